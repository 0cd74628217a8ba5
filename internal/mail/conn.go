package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// boundedConn is the connection go-smtp reads and writes. go-smtp sets
// its own deadline before each command (minutes long) and clears it after;
// boundedConn caps every deadline it asks for at limit from now and at the
// caller's context deadline, so that no step outlives our timeout even in
// the calls where go-smtp's timeouts cannot be set first (the greeting read
// inside NewClientStartTLS).
type boundedConn struct {
	net.Conn

	mu       sync.Mutex
	limit    time.Duration
	deadline time.Time // the current call's context deadline; zero if none
	wire     error     // the first error a Read or Write returned
}

func (c *boundedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.note(err)
	return n, err
}

func (c *boundedConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.note(err)
	return n, err
}

func (c *boundedConn) note(err error) {
	if err == nil {
		return
	}
	c.mu.Lock()
	if c.wire == nil {
		c.wire = err
	}
	c.mu.Unlock()
}

// wireErr is the first error the connection itself returned, nil if none:
// the cause to show when a client library reports it only as text
// (go-imap formats read errors with %v, losing "timeout").
func (c *boundedConn) wireErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wire
}

func (c *boundedConn) SetDeadline(t time.Time) error {
	return c.Conn.SetDeadline(c.bound(t))
}

func (c *boundedConn) SetReadDeadline(t time.Time) error {
	return c.Conn.SetReadDeadline(c.bound(t))
}

func (c *boundedConn) SetWriteDeadline(t time.Time) error {
	return c.Conn.SetWriteDeadline(c.bound(t))
}

// bound caps t. A zero t (go-smtp clearing its deadline between commands)
// stays zero but for the context's deadline: nothing is read then.
func (c *boundedConn) bound(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !t.IsZero() {
		if most := time.Now().Add(c.limit); t.After(most) {
			t = most
		}
	}
	if !c.deadline.IsZero() && (t.IsZero() || t.After(c.deadline)) {
		t = c.deadline
	}
	return t
}

func (c *boundedConn) setLimit(d time.Duration) {
	c.mu.Lock()
	c.limit = d
	c.mu.Unlock()
}

// watch ties the connection to ctx for one call: its deadline caps every
// step, and its end closes the connection (go-smtp takes no context: this
// is how a cancelled send stops at once, whatever it is waiting for). The
// returned function ends the watch.
func (c *boundedConn) watch(ctx context.Context) func() {
	d, _ := ctx.Deadline()
	c.mu.Lock()
	c.deadline = d
	c.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { c.Conn.Close() })
	return func() {
		stop()
		c.mu.Lock()
		c.deadline = time.Time{}
		c.mu.Unlock()
	}
}

// remoteIsLoopback reports whether the connection really goes to this
// machine, whatever name was dialed.
func remoteIsLoopback(c net.Conn) bool {
	a, ok := c.RemoteAddr().(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}

// netReason is what went wrong on the wire, as the user reads it next to
// the mailbox ("connection refused", "TLS handshake: certificate is not
// valid for smtp.example.com"). inTLS is set while the handshake may be
// what failed: an EOF or reset then means the server does not speak TLS
// as configured.
func netReason(err error, host string, inTLS bool) string {
	var (
		hostErr    x509.HostnameError
		authErr    x509.UnknownAuthorityError
		invalidErr x509.CertificateInvalidError
		verifyErr  *tls.CertificateVerificationError
		recordErr  tls.RecordHeaderError
		alertErr   tls.AlertError
		dnsErr     *net.DNSError
		netErr     net.Error
	)
	switch {
	case errors.As(err, &hostErr):
		return "TLS handshake: certificate is not valid for " + host
	case errors.As(err, &authErr):
		return "TLS handshake: certificate signed by an unknown authority"
	case errors.As(err, &invalidErr):
		if invalidErr.Reason == x509.Expired {
			return "TLS handshake: certificate has expired or is not yet valid"
		}
		return "TLS handshake: certificate is not valid: " + invalidErr.Error()
	case errors.As(err, &verifyErr):
		return "TLS handshake: certificate is not valid: " + verifyErr.Err.Error()
	case errors.As(err, &recordErr):
		return "TLS handshake: the server does not speak TLS on this port (try STARTTLS)"
	case errors.As(err, &alertErr):
		return "TLS handshake: the server refused: " + alertErr.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		if inTLS {
			return "TLS handshake: the connection was reset (does the server speak TLS on this port?)"
		}
		return "the connection was reset by the server"
	case errors.Is(err, syscall.ENETUNREACH):
		return "network is unreachable"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "no route to host"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "no such host " + host
		}
		return "the DNS lookup of " + host + " failed"
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "the server did not answer in time"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		if inTLS {
			return "TLS handshake: the server closed the connection (does it speak TLS on this port?)"
		}
		return "the server closed the connection"
	}
	msg := err.Error()
	if inTLS && !strings.HasPrefix(msg, "tls: ") {
		return "TLS handshake: " + truncate(msg, 200)
	}
	if inTLS {
		return "TLS handshake: " + truncate(strings.TrimPrefix(msg, "tls: "), 200)
	}
	return truncate(msg, 200)
}
