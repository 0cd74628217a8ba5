package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/ca"
	sandboximap "github.com/prospectorhq/prospector/internal/sandbox/imap"
)

const (
	imapUser     = "dana@reyes-growth.example"
	imapPassword = "imap-password"
)

// imapFixture is the sandbox's IMAP server on loopback, with a plain
// (STARTTLS-capable) and an implicit-TLS listener under a certificate for
// localhost from a CA that pool alone verifies, and one user, imapUser.
type imapFixture struct {
	*sandboximap.Server
	plain, tls string
	pool       *x509.CertPool
}

func startIMAP(t *testing.T, opts sandboximap.Options) imapFixture {
	t.Helper()
	a, err := ca.New("Prospector mail test CA", time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	opts.CA = a
	if opts.Users == nil {
		opts.Users = map[string]string{imapUser: imapPassword}
	}
	srv, err := sandboximap.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	})
	return imapFixture{Server: srv, plain: srv.Addr(), tls: srv.TLSAddr(), pool: a.Pool()}
}

// server is the mailbox settings that reach f with the given security:
// STARTTLS and none on its plain port, TLS on its TLS port.
func (f imapFixture) server(t testing.TB, security Security) Server {
	t.Helper()
	addr := f.plain
	if security == SecurityTLS {
		addr = f.tls
	}
	host := "localhost"
	if security == SecurityNone {
		host = "127.0.0.1"
	}
	return Server{Host: host, Port: portOf(t, addr), Security: security, Username: imapUser, Password: imapPassword,
		TLS: &tls.Config{RootCAs: f.pool}, Dial: directDial, Timeout: 5 * time.Second}
}

func TestCheckIMAP(t *testing.T) {
	f := startIMAP(t, sandboximap.Options{})
	base := func(security Security) Server { return f.server(t, security) }
	for _, security := range []Security{SecurityTLS, SecurityStartTLS, SecurityNone} {
		t.Run(string(security), func(t *testing.T) {
			if err := CheckIMAP(t.Context(), base(security)); err != nil {
				t.Fatal(err)
			}
		})
	}
	cases := []struct {
		name   string
		srv    func() Server
		kind   Kind
		msg    string
		substr bool
	}{
		{"wrong password", func() Server { s := base(SecurityTLS); s.Password = "nope"; return s }, KindAuth, "NO [AUTHENTICATIONFAILED] Authentication failed", false},
		{"name mismatch", func() Server {
			s := base(SecurityTLS)
			s.Host, s.Dial = "imap.example.com", dialTo(f.tls)
			return s
		}, KindConnection, "TLS handshake: certificate is not valid for imap.example.com", false},
		{"STARTTLS name mismatch", func() Server {
			s := base(SecurityStartTLS)
			s.Host, s.Dial = "imap.example.com", dialTo(f.plain)
			return s
		}, KindConnection, "TLS handshake: certificate is not valid for imap.example.com", false},
		{"plain text to another host", func() Server {
			s := base(SecurityNone)
			s.Host, s.Dial = "imap.example.com", dialTo(f.plain)
			return s
		}, KindConnection, "refusing an unencrypted connection to imap.example.com", true},
		{"plain text to another address", func() Server {
			s := base(SecurityNone)
			s.Host = "localhost"
			s.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := dialTo(f.plain)(ctx, network, addr)
				return remoteConn{c}, err
			}
			return s
		}, KindConnection, "refusing to send the password unencrypted to localhost: choose STARTTLS or TLS", false},
		{"connection refused", func() Server { s := base(SecurityTLS); s.Host, s.Port = "127.0.0.1", closedPort(t); return s }, KindConnection, "connection refused", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, CheckIMAP(t.Context(), tc.srv()), tc.kind, tc.msg, tc.substr)
		})
	}
}
