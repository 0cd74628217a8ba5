package verify

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// zoneRecord is one line of testdata/zone.txt.
type zoneRecord struct {
	typ  string
	pref uint16
	data string
}

// dnsServer is a minimal authoritative DNS server on loopback UDP, enough
// for the resolver's MX, A and AAAA queries against a fixture zone.
type dnsServer struct {
	conn net.PacketConn
	zone map[string][]zoneRecord
	wg   sync.WaitGroup
}

// startDNS serves the zone file on 127.0.0.1 and returns a resolver that
// asks only this server.
func startDNS(t *testing.T, zoneFile string) *net.Resolver {
	t.Helper()
	zone, err := readZone(zoneFile)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &dnsServer{conn: conn, zone: zone}
	s.wg.Add(1)
	go s.serve(t)
	t.Cleanup(func() {
		conn.Close()
		s.wg.Wait()
	})
	addr := conn.LocalAddr().String()
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", addr)
		},
	}
}

func readZone(path string) (map[string][]zoneRecord, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	zone := map[string][]zoneRecord{}
	err = eachEntry(string(text), func(fields []string) error {
		if len(fields) < 2 {
			return errors.New("zone line without a type: " + strings.Join(fields, " "))
		}
		r := zoneRecord{typ: fields[1]}
		switch r.typ {
		case "MX":
			if len(fields) != 4 {
				return errors.New("MX needs pref and host: " + strings.Join(fields, " "))
			}
			p, err := strconv.ParseUint(fields[2], 10, 16)
			if err != nil {
				return err
			}
			r.pref, r.data = uint16(p), fields[3]
		case "A", "AAAA":
			if len(fields) != 3 {
				return errors.New("address record needs an address: " + strings.Join(fields, " "))
			}
			r.data = fields[2]
		}
		name := strings.ToLower(fields[0])
		zone[name] = append(zone[name], r)
		return nil
	})
	return zone, err
}

func (s *dnsServer) serve(t *testing.T) {
	defer s.wg.Done()
	buf := make([]byte, 1500)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		resp, ok := s.answer(buf[:n])
		if !ok {
			continue
		}
		if _, err := s.conn.WriteTo(resp, from); err != nil {
			t.Logf("dns server: write: %v", err)
		}
	}
}

// answer builds the response to one query; ok is false when the server
// should stay silent.
func (s *dnsServer) answer(query []byte) (resp []byte, ok bool) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, false
	}
	q, err := p.Question()
	if err != nil {
		return nil, false
	}
	records, known := s.zone[strings.ToLower(q.Name.String())]
	rcode := dnsmessage.RCodeSuccess
	if !known {
		rcode = dnsmessage.RCodeNameError
	}
	for _, r := range records {
		switch r.typ {
		case "DROP":
			return nil, false
		case "SERVFAIL":
			rcode = dnsmessage.RCodeServerFailure
		}
	}
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{
		ID: h.ID, Response: true, Authoritative: true,
		RecursionDesired: h.RecursionDesired, RecursionAvailable: true, RCode: rcode,
	})
	b.EnableCompression()
	if b.StartQuestions() != nil || b.Question(q) != nil || b.StartAnswers() != nil {
		return nil, false
	}
	rh := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}
	for _, r := range records {
		if rcode != dnsmessage.RCodeSuccess {
			break
		}
		var err error
		switch {
		case r.typ == "MX" && q.Type == dnsmessage.TypeMX:
			err = b.MXResource(rh, dnsmessage.MXResource{Pref: r.pref, MX: dnsmessage.MustNewName(r.data)})
		case r.typ == "A" && q.Type == dnsmessage.TypeA:
			err = b.AResource(rh, dnsmessage.AResource{A: netip.MustParseAddr(r.data).As4()})
		case r.typ == "AAAA" && q.Type == dnsmessage.TypeAAAA:
			err = b.AAAAResource(rh, dnsmessage.AAAAResource{AAAA: netip.MustParseAddr(r.data).As16()})
		}
		if err != nil {
			return nil, false
		}
	}
	resp, err = b.Finish()
	return resp, err == nil
}

// TestDNSServer checks the fixture server itself through the resolver, so a
// failure in the verifier tests is not the fixture's.
func TestDNSServer(t *testing.T) {
	t.Parallel()
	res := startDNS(t, "testdata/zone.txt")
	ctx := context.Background()

	mxs, err := res.LookupMX(ctx, "valid.test.")
	if err != nil || len(mxs) != 2 || mxs[0].Host != "mx1.valid.test." {
		t.Fatalf("LookupMX(valid.test) = %v, %v", mxs, err)
	}
	mxs, err = res.LookupMX(ctx, "nullmx.test.")
	if err != nil || len(mxs) != 1 || mxs[0].Host != "." {
		t.Fatalf("LookupMX(nullmx.test) = %v, %v; want the null MX", mxs, err)
	}
	ips, err := res.LookupNetIP(ctx, "ip", "nomx.test.")
	if err != nil || len(ips) != 1 || ips[0].String() != "192.0.2.10" {
		t.Fatalf("LookupNetIP(nomx.test) = %v, %v", ips, err)
	}
	_, err = res.LookupMX(ctx, "nomx.test.")
	if !isNotFound(err) {
		t.Fatalf("LookupMX(nomx.test) error = %v, want not found", err)
	}
	_, err = res.LookupMX(ctx, "missing.test.")
	if !isNotFound(err) {
		t.Fatalf("LookupMX(missing.test) error = %v, want not found", err)
	}
}
