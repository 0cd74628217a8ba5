package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/prospectorhq/prospector/internal/sandbox/ca"
)

const (
	imapUser     = "dana@reyes-growth.example"
	imapPassword = "imap-password"
)

// imapFixture is go-imap's in-memory server on loopback, with a plain
// (STARTTLS-capable) and an implicit-TLS listener under a certificate for
// localhost that pool verifies.
type imapFixture struct {
	plain, tls string
	pool       *x509.CertPool
}

func startIMAP(t *testing.T) imapFixture {
	t.Helper()
	cert, pool := selfSigned(t, "localhost")
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(imapUser, imapPassword)
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		TLSConfig:    cfg,
		InsecureAuth: true, // loopback: the client's own refusal is what is tested
	})
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tlsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(plain)
	go srv.Serve(tls.NewListener(tlsLn, cfg))
	t.Cleanup(func() { srv.Close(); plain.Close(); tlsLn.Close() })
	return imapFixture{plain: plain.Addr().String(), tls: tlsLn.Addr().String(), pool: pool}
}

// selfSigned is a certificate for names that only pool trusts.
func selfSigned(t *testing.T, names ...string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	a, err := ca.New("Prospector mail test CA", time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := a.Issue(names, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return cert, a.Pool()
}

func TestCheckIMAP(t *testing.T) {
	f := startIMAP(t)
	base := func(security Security) Server {
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
