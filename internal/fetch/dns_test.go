package fetch

import (
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// zone maps a lower-case name to the answers for its first, second, …
// query of each type; the last set repeats. A and AAAA answers are picked
// from one list by address family, so {"127.0.0.1", "::1"} answers both.
type zone map[string][][]string

// dnsServer is a minimal authoritative DNS server on loopback UDP, enough for
// Go's resolver to ask A and AAAA questions. Unknown names get NXDOMAIN.
type dnsServer struct {
	addr string
	zone zone

	mu      sync.Mutex
	queries map[string]int // "name type" → how many were asked
}

func startDNS(t *testing.T, z zone) *dnsServer {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &dnsServer{addr: pc.LocalAddr().String(), zone: z, queries: map[string]int{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return // closed by Cleanup
			}
			if resp, ok := s.answer(buf[:n]); ok {
				_, _ = pc.WriteTo(resp, from)
			}
		}
	}()
	t.Cleanup(func() {
		pc.Close()
		<-done
	})
	return s
}

// count returns how many questions of type qtype ("A", "AAAA") were asked
// about name.
func (s *dnsServer) count(name, qtype string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[name+" "+qtype]
}

func (s *dnsServer) answer(msg []byte) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil {
		return nil, false
	}
	q, err := p.Question()
	if err != nil {
		return nil, false
	}
	name := strings.TrimSuffix(strings.ToLower(q.Name.String()), ".")
	rcode := dnsmessage.RCodeSuccess
	var answers []netip.Addr
	sets, known := s.zone[name]
	switch {
	case !known:
		rcode = dnsmessage.RCodeNameError
	case q.Type == dnsmessage.TypeA || q.Type == dnsmessage.TypeAAAA:
		qtype := strings.TrimPrefix(q.Type.String(), "Type")
		s.mu.Lock()
		n := s.queries[name+" "+qtype]
		s.queries[name+" "+qtype]++
		s.mu.Unlock()
		for _, a := range sets[min(n, len(sets)-1)] {
			ip := netip.MustParseAddr(a)
			if ip.Is4() == (q.Type == dnsmessage.TypeA) {
				answers = append(answers, ip)
			}
		}
	}

	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{
		ID: h.ID, Response: true, Authoritative: true,
		RecursionDesired: h.RecursionDesired, RecursionAvailable: true, RCode: rcode,
	})
	if b.StartQuestions() != nil || b.Question(q) != nil || b.StartAnswers() != nil {
		return nil, false
	}
	for _, ip := range answers {
		rh := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET}
		if ip.Is4() {
			err = b.AResource(rh, dnsmessage.AResource{A: ip.As4()})
		} else {
			err = b.AAAAResource(rh, dnsmessage.AAAAResource{AAAA: ip.As16()})
		}
		if err != nil {
			return nil, false
		}
	}
	out, err := b.Finish()
	return out, err == nil
}

func TestDNSServer(t *testing.T) {
	t.Parallel()
	dns := startDNS(t, zone{"two.test": {{"127.0.0.1", "::1"}, {"127.0.0.2"}}})
	r := NewResolver(dns.addr)
	tests := []struct {
		name string
		want []string
	}{
		{"two.test", []string{"127.0.0.1", "::1"}},
		{"two.test", []string{"127.0.0.2"}},
		{"two.test", []string{"127.0.0.2"}},
	}
	for _, tt := range tests {
		ips, err := r.LookupNetIP(t.Context(), "ip", tt.name)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ip := range ips {
			got = append(got, ip.Unmap().String())
		}
		// The resolver orders addresses by RFC 6724, not as answered.
		slices.Sort(got)
		if want := slices.Sorted(slices.Values(tt.want)); !slices.Equal(got, want) {
			t.Errorf("lookup %s = %v, want %v", tt.name, got, tt.want)
		}
	}
	if _, err := r.LookupNetIP(t.Context(), "ip", "missing.test"); err == nil {
		t.Error("lookup of an unknown name succeeded")
	}
}
