package fetch

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/netip"
	"strings"
	"time"
)

// checkedConn is a connection to an address that passed the check. It
// remembers that address, and for TLS the verification outcome, so Get can
// report them for whichever pooled connection served the final response.
type checkedConn struct {
	net.Conn
	ip  netip.Addr
	tls *TLSInfo // set during the handshake, before the transport sees the conn
}

func checkedConnOf(c net.Conn) *checkedConn {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	cc, _ := c.(*checkedConn)
	return cc
}

// dial is the transport's DialContext, and the one place an outbound
// connection is made: it resolves addr once, refuses it unless every answer
// is allowed, and connects to those very addresses. The transport calls it
// for the first request and for every redirect target alike.
func (f *Fetcher) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	// The transport detaches dials from the request's deadline, so that a
	// late connection can serve the next request. Bound them anyway: a slow
	// DNS server or a long list of black-holed addresses must not hold a
	// goroutine much past the fetch that started it.
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Msg: "not a web address: the host is malformed", Err: err}
	}
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	allowedByName := f.allow[net.JoinHostPort(name, port)]

	var ips []netip.Addr
	literal, err := netip.ParseAddr(host)
	switch {
	case err == nil:
		ips = []netip.Addr{literal}
	case looksNumeric(name):
		// checkURL already refused these; repeated here because this is
		// the check that must hold whatever the caller did.
		return nil, &Error{Kind: KindBadURL, Msg: "not a web address: a numeric host must be written as four decimal numbers"}
	default:
		ips, err = f.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		if len(ips) == 0 {
			return nil, &Error{Kind: KindDNS, Msg: "no address for " + name}
		}
	}

	for i, ip := range ips {
		// The resolver may answer IPv4 in its 16-byte form; dial and
		// report the plain one.
		ip = ip.Unmap()
		ips[i] = ip
		if allowedByName || f.allow[net.JoinHostPort(ip.String(), port)] {
			continue
		}
		// One bad answer refuses the name: a public address next to a
		// private one is how rebinding attacks pick their moment.
		// The message names the kind of address only: it is shown to
		// the tenant, and "db.internal resolves to 10.0.0.5" would
		// map our own network for them, one prospect at a time.
		if what := blockedAs(ip); what != "" {
			return nil, &Error{Kind: KindBlocked, Msg: "refused: the site's address is " + what}
		}
	}

	var errs []error
	for _, ip := range ips {
		conn, err := f.dialTCP(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return &checkedConn{Conn: conn, ip: ip}, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// dialTLS is the transport's DialTLSContext. It does the handshake itself so
// the verification outcome can be tied to this connection: verification runs
// in VerifyConnection and is recorded, never enforced, because a site with a
// broken certificate is still analysed. Nothing secret is ever sent over
// these connections, which is what makes that safe.
func (f *Fetcher) dialTLS(ctx context.Context, network, addr string) (net.Conn, error) {
	conn, err := f.dial(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	cc := conn.(*checkedConn)
	host, _, _ := net.SplitHostPort(addr)
	serverName := strings.TrimSuffix(host, ".")
	cfg := &tls.Config{
		ServerName: serverName,
		// Real verification happens in VerifyConnection, which
		// records its outcome instead of failing the handshake.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			cc.tls = verify(cs, f.roots, serverName, time.Now())
			return nil
		},
		// Old protocol versions are accepted so such sites can still be
		// analysed; verify reports them as invalid, as browsers would.
		MinVersion: tls.VersionTLS10,
		NextProtos: []string{"http/1.1"},
	}
	tc := tls.Client(cc, cfg)
	hctx, cancel := context.WithTimeout(ctx, min(tlsHandshakeTimeout, f.timeout))
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		cc.Close()
		return nil, &handshakeError{err: err}
	}
	return tc, nil
}

// verify checks the chain the server sent against roots (nil: the system's)
// and the host name, the way a browser would.
func verify(cs tls.ConnectionState, roots *x509.CertPool, serverName string, now time.Time) *TLSInfo {
	info := &TLSInfo{Version: tls.VersionName(cs.Version)}
	if len(cs.PeerCertificates) == 0 {
		info.Error = "the server sent no certificate"
		return info
	}
	leaf := cs.PeerCertificates[0]
	info.NotAfter = leaf.NotAfter
	info.Issuer = leaf.Issuer.String()
	intermediates := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		intermediates.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: intermediates,
		DNSName:       serverName,
		CurrentTime:   now,
	})
	switch {
	case err != nil:
		info.Error = describeCertError(err, now)
	case cs.Version < tls.VersionTLS12:
		info.Error = "the server only speaks " + info.Version + ", which browsers refuse"
	default:
		info.Valid = true
	}
	return info
}

func describeCertError(err error, now time.Time) string {
	if e, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		if c := e.Cert; c != nil && bytes.Equal(c.RawIssuer, c.RawSubject) &&
			c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil {
			return "the certificate is self-signed"
		}
		return "the certificate is not signed by a trusted authority"
	}
	if e, ok := errors.AsType[x509.HostnameError](err); ok {
		return "the certificate is not valid for " + e.Host
	}
	if e, ok := errors.AsType[x509.CertificateInvalidError](err); ok && e.Reason == x509.Expired && e.Cert != nil {
		if now.Before(e.Cert.NotBefore) {
			return "the certificate is not valid before " + e.Cert.NotBefore.UTC().Format(time.DateOnly)
		}
		return "the certificate expired on " + e.Cert.NotAfter.UTC().Format(time.DateOnly)
	}
	return strings.TrimPrefix(err.Error(), "x509: ")
}
