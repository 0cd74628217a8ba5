// Package dns is the DNS fake: a small resolver on 127.0.0.1 (UDP and TCP, one port) for
// Prospector's DNS_RESOLVER. For the domains of the towns this sandbox has
// generated it answers
//   - A for <domain> and www.<domain>: the web host's IP (127.0.0.1);
//   - MX for <domain> when the business receives mail: 10 mail.<domain>,
//     whose A record is the same IP (sent along as additional data), and a
//     TXT "v=spf1 mx -all";
//   - no record at all (NOERROR, empty answer) for town.SiteDead domains, and for
//     record types a name does not have;
//
// and NXDOMAIN for every other name. Answers are authoritative, with an SOA
// in the authority section when empty, and carry RA so that stub resolvers
// (Go's included) accept them.
package dns

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
	"github.com/prospectorhq/prospector/internal/sandbox/world"
	"golang.org/x/net/dns/dnsmessage"
)

const dnsTTL = 300

// Options configures Start.
type Options struct {
	// World holds the domains the server knows.
	World *world.World
	// IP is the web host's IPv4 address, which every A record gives.
	IP net.IP
	// Record logs one query (its name and type, "A", "MX"…) with the
	// sandbox and returns the fault that applies to it and how long to
	// wait before answering.
	Record func(name, qtype string) (fake.Fault, time.Duration)
}

// Server is a running DNS server.
type Server struct {
	opts   Options
	addr   string
	udp    net.PacketConn
	tcp    net.Listener
	ctx    context.Context // ends at close: cuts latencies short
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

// Start listens on addr over UDP and TCP (the same port) and serves until
// Close.
func Start(addr string, opts Options) (*Server, error) {
	d := &Server{opts: opts, conns: map[net.Conn]struct{}{}}
	_, port, _ := net.SplitHostPort(addr)
	for attempt := 0; ; attempt++ {
		pc, err := net.ListenPacket("udp4", addr)
		if err != nil {
			return nil, err
		}
		ln, err := net.Listen("tcp4", pc.LocalAddr().String())
		if err != nil {
			pc.Close()
			if port == "0" && attempt < 20 {
				continue // the TCP side of that UDP port is taken: try another
			}
			return nil, err
		}
		d.udp, d.tcp, d.addr = pc, ln, pc.LocalAddr().String()
		break
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.wg.Add(2)
	go d.serveUDP()
	go d.serveTCP()
	return d, nil
}

// Addr is the "127.0.0.1:port" the server answers on, over UDP and TCP.
func (d *Server) Addr() string { return d.addr }

// Close stops the server, cutting queries still waiting on a latency.
func (d *Server) Close() error {
	d.mu.Lock()
	d.closed = true
	for c := range d.conns {
		c.Close()
	}
	d.mu.Unlock()
	d.cancel()
	err := errors.Join(d.udp.Close(), d.tcp.Close())
	d.wg.Wait()
	return err
}

func (d *Server) serveUDP() {
	defer d.wg.Done()
	buf := make([]byte, 65535)
	for {
		n, from, err := d.udp.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		msg := append([]byte(nil), buf[:n]...)
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			if resp := d.answer(msg, true); resp != nil {
				d.udp.WriteTo(resp, from)
			}
		}()
	}
}

func (d *Server) serveTCP() {
	defer d.wg.Done()
	for {
		c, err := d.tcp.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		d.mu.Lock()
		if d.closed {
			d.mu.Unlock()
			c.Close()
			return
		}
		d.conns[c] = struct{}{}
		d.mu.Unlock()
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			defer func() {
				d.mu.Lock()
				delete(d.conns, c)
				d.mu.Unlock()
				c.Close()
			}()
			d.serveConn(c)
		}()
	}
}

// serveConn answers length-prefixed queries on one TCP connection until the
// client closes it or stays idle for 10 seconds.
func (d *Server) serveConn(c net.Conn) {
	var size [2]byte
	for {
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.ReadFull(c, size[:]); err != nil {
			return
		}
		msg := make([]byte, binary.BigEndian.Uint16(size[:]))
		if _, err := io.ReadFull(c, msg); err != nil {
			return
		}
		resp := d.answer(msg, false)
		if resp == nil {
			return
		}
		out := binary.BigEndian.AppendUint16(nil, uint16(len(resp)))
		if _, err := c.Write(append(out, resp...)); err != nil {
			return
		}
	}
}

// dnsAnswer is what the server says about one question.
type dnsAnswer struct {
	rcode   dnsmessage.RCode
	auth    bool
	a       bool   // an A record with the web host's IP
	mx      string // an MX target, with its A record as additional data
	txt     string
	soaZone string  // an SOA for this zone in the authority section
	ip      [4]byte // the web host's IP, for A records
}

// answer builds the response to one query; nil when the query cannot be
// read at all (it is then dropped, as real servers do).
func (d *Server) answer(msg []byte, udp bool) []byte {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil {
		return nil
	}
	rh := dnsmessage.Header{ID: h.ID, Response: true, OpCode: h.OpCode, RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
	q, err := p.Question()
	if err != nil {
		rh.RCode = dnsmessage.RCodeFormatError
		return buildDNS(rh, nil, dnsAnswer{}, false, udp)
	}
	if _, err := p.Question(); !errors.Is(err, dnsmessage.ErrSectionDone) {
		rh.RCode = dnsmessage.RCodeFormatError
		return buildDNS(rh, nil, dnsAnswer{}, false, udp)
	}
	edns := false
	if err := p.SkipAllAnswers(); err == nil {
		if err := p.SkipAllAuthorities(); err == nil {
			for {
				ah, err := p.AdditionalHeader()
				if err != nil {
					break
				}
				if ah.Type == dnsmessage.TypeOPT {
					edns = true
				}
				if p.SkipAdditional() != nil {
					break
				}
			}
		}
	}

	name := strings.ToLower(q.Name.String())
	f, latency := d.opts.Record(name, strings.TrimPrefix(q.Type.String(), "Type"))
	if !fake.Sleep(d.ctx, latency) {
		return nil
	}
	var a dnsAnswer
	switch {
	case h.OpCode != 0:
		a.rcode = dnsmessage.RCodeNotImplemented
	case f.Status != 0:
		a.rcode = dnsmessage.RCodeServerFailure
	case f.Empty:
		a = dnsAnswer{rcode: dnsmessage.RCodeNameError, auth: true, soaZone: negativeZone(name)}
	default:
		a = d.lookup(strings.TrimSuffix(name, "."), q.Type)
	}
	rh.RCode, rh.Authoritative = a.rcode, a.auth
	return buildDNS(rh, &q, a, edns, udp)
}

// lookup answers a question about host (lowercase, no trailing dot).
func (d *Server) lookup(host string, t dnsmessage.Type) dnsAnswer {
	nx := dnsAnswer{rcode: dnsmessage.RCodeNameError, auth: true, soaZone: negativeZone(host + ".")}
	b, ok := d.opts.World.LookupSite(host)
	isMail := false
	if !ok {
		rest, cut := strings.CutPrefix(host, "mail.")
		if !cut {
			return nx
		}
		if b, ok = d.opts.World.LookupSite(rest); !ok || rest != b.Domain || !b.Site.MX {
			return nx
		}
		isMail = true
	}
	site := b.Site
	zone := b.Domain + "."
	empty := dnsAnswer{rcode: dnsmessage.RCodeSuccess, auth: true, soaZone: zone}
	if site.Variant == town.SiteDead {
		if host != b.Domain {
			return nx
		}
		return empty
	}
	apex := host == b.Domain
	a := dnsAnswer{rcode: dnsmessage.RCodeSuccess, auth: true}
	copy(a.ip[:], d.opts.IP)
	all := t == dnsmessage.TypeALL
	if t == dnsmessage.TypeA || all {
		a.a = true
	}
	if apex && !isMail && site.MX {
		if t == dnsmessage.TypeMX || all {
			a.mx = "mail." + b.Domain + "."
		}
		if t == dnsmessage.TypeTXT || all {
			a.txt = "v=spf1 mx -all"
		}
	}
	if !a.a && a.mx == "" && a.txt == "" {
		return empty
	}
	return a
}

// negativeZone is the zone whose SOA goes with a negative answer for name.
func negativeZone(name string) string {
	if strings.HasSuffix(name, ".example.") {
		return "example."
	}
	return "."
}

func buildDNS(rh dnsmessage.Header, q *dnsmessage.Question, a dnsAnswer, edns, udp bool) []byte {
	msg, err := buildDNSMessage(rh, q, a, edns)
	if err != nil {
		rh.RCode = dnsmessage.RCodeServerFailure
		msg, _ = buildDNSMessage(rh, q, dnsAnswer{}, false)
		return msg
	}
	limit := 512
	if edns {
		limit = 1232
	}
	if udp && len(msg) > limit {
		rh.Truncated = true
		msg, _ = buildDNSMessage(rh, q, dnsAnswer{}, false)
	}
	return msg
}

func buildDNSMessage(rh dnsmessage.Header, q *dnsmessage.Question, a dnsAnswer, edns bool) ([]byte, error) {
	b := dnsmessage.NewBuilder(make([]byte, 0, 512), rh)
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if q == nil {
		return b.Finish()
	}
	if err := b.Question(*q); err != nil {
		return nil, err
	}
	hdr := func(name dnsmessage.Name) dnsmessage.ResourceHeader {
		return dnsmessage.ResourceHeader{Name: name, Class: dnsmessage.ClassINET, TTL: dnsTTL}
	}
	if err := b.StartAnswers(); err != nil {
		return nil, err
	}
	if a.a {
		if err := b.AResource(hdr(q.Name), dnsmessage.AResource{A: a.ip}); err != nil {
			return nil, err
		}
	}
	var mx dnsmessage.Name
	if a.mx != "" {
		var err error
		if mx, err = dnsmessage.NewName(a.mx); err != nil {
			return nil, err
		}
		if err := b.MXResource(hdr(q.Name), dnsmessage.MXResource{Pref: 10, MX: mx}); err != nil {
			return nil, err
		}
	}
	if a.txt != "" {
		if err := b.TXTResource(hdr(q.Name), dnsmessage.TXTResource{TXT: []string{a.txt}}); err != nil {
			return nil, err
		}
	}
	if err := b.StartAuthorities(); err != nil {
		return nil, err
	}
	if a.soaZone != "" {
		zone, err := dnsmessage.NewName(a.soaZone)
		if err != nil {
			return nil, err
		}
		ns, _ := dnsmessage.NewName("ns1.sandbox.example.")
		mbox, _ := dnsmessage.NewName("hostmaster.sandbox.example.")
		soa := dnsmessage.SOAResource{NS: ns, MBox: mbox, Serial: 2026010101, Refresh: 7200, Retry: 900, Expire: 1209600, MinTTL: dnsTTL}
		if err := b.SOAResource(hdr(zone), soa); err != nil {
			return nil, err
		}
	}
	if err := b.StartAdditionals(); err != nil {
		return nil, err
	}
	if a.mx != "" {
		if err := b.AResource(hdr(mx), dnsmessage.AResource{A: a.ip}); err != nil {
			return nil, err
		}
	}
	if edns {
		var opt dnsmessage.ResourceHeader
		if err := opt.SetEDNS0(1232, dnsmessage.RCodeSuccess, false); err != nil {
			return nil, err
		}
		if err := b.OPTResource(opt, dnsmessage.OPTResource{}); err != nil {
			return nil, err
		}
	}
	return b.Finish()
}
