package dns_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
	"golang.org/x/net/dns/dnsmessage"
)

func TestDNSAnswers(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	town := sb.Town("plumber", "Austin, TX")
	withMail := sandboxtest.FindSite(t, town, func(b *sandbox.Business) bool { return b.Site.Variant == sandbox.SiteModern && b.Site.MX })
	noMail := sandboxtest.FindSite(t, town, func(b *sandbox.Business) bool { return b.Site.Variant != sandbox.SiteDead && !b.Site.MX })
	dead := sandboxtest.FindSite(t, town, func(b *sandbox.Business) bool { return b.Site.Variant == sandbox.SiteDead })

	const (
		hasA = iota
		hasMX
		notFound
	)
	tests := []struct {
		name   string
		lookup int // hasA or hasMX: which lookup
		host   string
		want   int
	}{
		{"A of the domain", hasA, withMail.Domain, hasA},
		{"A of www", hasA, "www." + withMail.Domain, hasA},
		{"A in upper case", hasA, "WWW." + withMail.Domain, hasA},
		{"MX of a domain with mail", hasMX, withMail.Domain, hasMX},
		{"A of the mail host", hasA, "mail." + withMail.Domain, hasA},
		{"A of a domain without mail", hasA, noMail.Domain, hasA},
		{"no MX for a domain without mail", hasMX, noMail.Domain, notFound},
		{"no mail host without mail", hasA, "mail." + noMail.Domain, notFound},
		{"no A for a dead domain", hasA, dead.Domain, notFound},
		{"no MX for a dead domain", hasMX, dead.Domain, notFound},
		{"no www for a dead domain", hasA, "www." + dead.Domain, notFound},
		{"unknown name", hasA, "nosuchbusiness.example", notFound},
		{"unknown MX", hasMX, "nosuchbusiness.example", notFound},
		{"a subdomain nobody made", hasA, "shop." + withMail.Domain, notFound},
	}
	for _, network := range []string{"udp", "tcp"} {
		r := sandboxtest.Resolver(sb, network)
		for _, tt := range tests {
			t.Run(network+"/"+tt.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				var err error
				switch tt.lookup {
				case hasA:
					var addrs []string
					addrs, err = r.LookupHost(ctx, tt.host)
					if err == nil && !slices.Equal(addrs, []string{"127.0.0.1"}) {
						t.Errorf("addresses %v", addrs)
					}
				case hasMX:
					var mx []*net.MX
					mx, err = r.LookupMX(ctx, tt.host)
					if err == nil && (len(mx) != 1 || mx[0].Host != "mail."+withMail.Domain+"." || mx[0].Pref != 10) {
						t.Errorf("MX %+v", mx)
					}
				}
				var dnsErr *net.DNSError
				switch {
				case tt.want == notFound && (!errors.As(err, &dnsErr) || !dnsErr.IsNotFound):
					t.Errorf("error %v, want not found", err)
				case tt.want != notFound && err != nil:
					t.Errorf("error %v", err)
				}
			})
		}
	}
	if got := sb.RequestCount(sandbox.DNS); got == 0 {
		t.Error("no DNS query was logged")
	}
}

// On the wire: NXDOMAIN for unknown names, NOERROR without records for a
// dead domain, authoritative, with an SOA to cache the negative answer.
func TestDNSWireAnswers(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	var dead, live string
	for _, b := range sb.Town("dentist", "Portland, OR").Businesses {
		if b.Site != nil && b.Site.Variant == sandbox.SiteDead && dead == "" {
			dead = b.Domain
		}
		if b.Site != nil && b.Site.MX && live == "" {
			live = b.Domain
		}
	}
	tests := []struct {
		name    string
		host    string
		qtype   dnsmessage.Type
		rcode   dnsmessage.RCode
		answers int
		soa     bool
		extra   int
	}{
		{"unknown", "nosuchbusiness.example.", dnsmessage.TypeA, dnsmessage.RCodeNameError, 0, true, 0},
		{"dead domain", dead + ".", dnsmessage.TypeA, dnsmessage.RCodeSuccess, 0, true, 0},
		{"AAAA of a live domain", live + ".", dnsmessage.TypeAAAA, dnsmessage.RCodeSuccess, 0, true, 0},
		{"A", live + ".", dnsmessage.TypeA, dnsmessage.RCodeSuccess, 1, false, 0},
		{"MX with the mail host's address", live + ".", dnsmessage.TypeMX, dnsmessage.RCodeSuccess, 1, false, 1},
		{"TXT", live + ".", dnsmessage.TypeTXT, dnsmessage.RCodeSuccess, 1, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := exchange(t, sb.DNSAddr, tt.host, tt.qtype)
			if m.RCode != tt.rcode || !m.Authoritative || !m.RecursionAvailable || !m.Response {
				t.Errorf("header %+v", m.Header)
			}
			if len(m.Answers) != tt.answers || (len(m.Authorities) == 1) != tt.soa || len(m.Additionals) != tt.extra {
				t.Errorf("%d answers, %d authorities, %d additionals", len(m.Answers), len(m.Authorities), len(m.Additionals))
			}
		})
	}
}

func exchange(t *testing.T, addr, host string, qtype dnsmessage.Type) dnsmessage.Message {
	t.Helper()
	q := dnsmessage.Message{
		Header:    dnsmessage.Header{ID: 4242, RecursionDesired: true},
		Questions: []dnsmessage.Question{{Name: dnsmessage.MustNewName(host), Type: qtype, Class: dnsmessage.ClassINET}},
	}
	packed, err := q.Pack()
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write(packed); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1500)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	var m dnsmessage.Message
	if err := m.Unpack(buf[:n]); err != nil {
		t.Fatal(err)
	}
	if m.ID != 4242 {
		t.Errorf("id %d", m.ID)
	}
	return m
}

func TestDNSFault(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.DNS: {Status: 500}}})
	var domain string
	for _, b := range sb.Town("plumber", "Austin, TX").Businesses {
		if b.Site != nil && b.Site.Variant == sandbox.SiteModern {
			domain = b.Domain
			break
		}
	}
	if m := exchange(t, sb.DNSAddr, domain+".", dnsmessage.TypeA); m.RCode != dnsmessage.RCodeServerFailure {
		t.Errorf("rcode %v, want SERVFAIL", m.RCode)
	}
	sb.ClearFault(sandbox.DNS)
	if m := exchange(t, sb.DNSAddr, domain+".", dnsmessage.TypeA); m.RCode != dnsmessage.RCodeSuccess || len(m.Answers) != 1 {
		t.Errorf("after the fault: %v %d answers", m.RCode, len(m.Answers))
	}
}
