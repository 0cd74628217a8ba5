// Package imap is the sandbox's IMAP server: the inboxes of the demo's and
// the tests' mailboxes, where the fictional businesses' replies,
// out-of-office answers and bounce reports arrive (Deliver). It is go-imap's
// in-memory server (imapmemserver) behind a session of our own, served
// on loopback twice, with STARTTLS (or plain text) on one port and
// implicit TLS on the other, under a certificate from the sandbox CA (or a
// CA of its own). Each user is one mailbox's login and has one INBOX.
//
// It behaves as a real server does where the reader of replies depends on
// it:
//   - EXAMINE is read-only: a FETCH of BODY[] does not set \Seen there,
//     and STORE, EXPUNGE and MOVE are refused;
//   - UIDVALIDITY starts from the server's start time, as real servers
//     derive it, so that a restarted sandbox (a demo run again) is never
//     taken for the same mailbox by a reader that remembers UIDs;
//     ResetUIDValidity renumbers an INBOX as a server restored from backup
//     does;
//   - every command a client sent is kept per user (Commands), so tests
//     can check that a reader only examined, peeked and never stored.
package imap

import (
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"sync"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/prospectorhq/prospector/internal/sandbox/ca"
	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/mailnet"
)

// DefaultHostname is the name in the certificate (with localhost,
// 127.0.0.1 and ::1).
const DefaultHostname = "imap.sandbox.example"

// DefaultPassword is the password the sandbox gives the inboxes it makes
// for the demo's mailboxes.
const DefaultPassword = "sandbox-imap-password"

// Inbox is the one mailbox each user has.
const Inbox = "INBOX"

// ErrNoSuchUser is returned for a user the server does not know.
var ErrNoSuchUser = errors.New("sandbox imap: no such user")

// Options configures Start. The zero value is a working server with no
// users (AddUser adds them).
type Options struct {
	// Addr listens for plain-text connections that may STARTTLS;
	// TLSAddr for implicit TLS. Both default to 127.0.0.1:0 and must be
	// loopback addresses.
	Addr, TLSAddr string
	// Hostname is the certificate's first name; DefaultHostname when
	// empty. Hostnames are further names it is valid for.
	Hostname  string
	Hostnames []string
	// CA issues the server's certificate: the sandbox passes its own, so
	// that the one CA file a demo trusts verifies this server too. A CA
	// of the server's own is made when nil.
	CA *ca.Authority
	// Users maps user names (case-insensitive) to passwords; each gets an
	// empty INBOX.
	Users map[string]string
	// RequireTLS refuses LOGIN before STARTTLS (LOGINDISABLED), as real
	// servers do. Off by default: a loopback mailbox with security "none"
	// is allowed, and Prospector's own refusal to send a password in the
	// clear is what the tests check.
	RequireTLS bool
	// Record, when set, is called for each command a logged-in (or
	// logging-in) client sends, with the command's name ("LOGIN",
	// "EXAMINE", "SELECT", "SEARCH", "FETCH", "STORE"…) and the user,
	// and returns the fault that applies and how long to wait before
	// answering. A fault with a Status answers NO with the response code
	// in Code (UNAVAILABLE when empty).
	Record func(command, user string) (fake.Fault, time.Duration)
	// Now is the clock of delivered messages' internal dates and of the
	// first UIDVALIDITY; time.Now when nil.
	Now func() time.Time
}

// Server is a running sandbox IMAP server. It is safe for concurrent use.
type Server struct {
	opts      Options
	ca        *ca.Authority
	srv       *imapserver.Server
	listeners *mailnet.Listeners
	// uidBase is added to the in-memory server's UIDVALIDITY (a counter
	// from 1 per user): the start time in seconds.
	uidBase  uint32
	sessions sync.WaitGroup // every session, until its connection ends
	done     chan struct{}  // closed by Close: cuts latencies short
	once     sync.Once
	closeErr error

	mu    sync.Mutex
	users map[string]*account // by lower-case name
}

// account is one user: the password and the in-memory user holding the
// INBOX, and the commands its sessions sent.
type account struct {
	name, password string
	user           *imapmemserver.User
	inbox          sync.Mutex // held by Deliver, Messages, Inbox and ResetUIDValidity

	mu       sync.Mutex
	commands []string
}

// maxCommands bounds each user's command log (the most recent are kept).
const maxCommands = 2000

// Start listens on both addresses and serves until Close.
func Start(opts Options) (*Server, error) {
	opts.Addr = cmp.Or(opts.Addr, "127.0.0.1:0")
	opts.TLSAddr = cmp.Or(opts.TLSAddr, "127.0.0.1:0")
	opts.Hostname = cmp.Or(opts.Hostname, DefaultHostname)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	now := time.Now()
	authority := opts.CA
	if authority == nil {
		var err error
		if authority, err = ca.New("Prospector Sandbox IMAP CA (fictional)", now.Add(-time.Hour), now.Add(5*365*24*time.Hour)); err != nil {
			return nil, fmt.Errorf("sandbox imap: %w", err)
		}
	}
	names := append([]string{opts.Hostname, "localhost", "127.0.0.1", "::1"}, opts.Hostnames...)
	leaf, err := authority.Issue(names, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("sandbox imap: %w", err)
	}
	s := &Server{
		opts: opts, ca: authority, done: make(chan struct{}), users: map[string]*account{},
		uidBase: uint32(opts.Now().Unix()),
	}
	for name, password := range opts.Users {
		if err := s.AddUser(name, password); err != nil {
			return nil, err
		}
	}
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12}
	s.srv = imapserver.New(&imapserver.Options{
		NewSession:   s.newSession,
		Caps:         goimap.CapSet{goimap.CapIMAP4rev1: {}},
		TLSConfig:    tlsConfig,
		InsecureAuth: !opts.RequireTLS,
		// Clients that give up on our certificate, or hang up without
		// LOGOUT, are what some tests do on purpose: nothing to print.
		Logger: log.New(io.Discard, "", 0),
	})

	if s.listeners, err = mailnet.Listen(opts.Addr, opts.TLSAddr, tlsConfig); err != nil {
		return nil, fmt.Errorf("sandbox imap: %w", err)
	}
	s.listeners.Serve(s.srv.Serve)
	return s, nil
}

// Close stops listening, ends every session, and waits for them. It may
// be called more than once.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.mu.Lock() // see newSession
		close(s.done)
		s.mu.Unlock()
		s.closeErr = s.srv.Close()
		s.listeners.Close()
		s.sessions.Wait()
	})
	return s.closeErr
}

// Addr is "127.0.0.1:port" of the plain-text/STARTTLS listener.
func (s *Server) Addr() string { return s.listeners.Plain.Addr().String() }

// TLSAddr is "127.0.0.1:port" of the implicit-TLS listener.
func (s *Server) TLSAddr() string { return s.listeners.TLS.Addr().String() }

// Hostname is the name the certificate is first issued for.
func (s *Server) Hostname() string { return s.opts.Hostname }

// CACertPEM is the PEM of the CA that issued the server's certificate.
func (s *Server) CACertPEM() []byte { return append([]byte(nil), s.ca.PEM...) }

// CertPool holds that CA alone: clients set it as their RootCAs.
func (s *Server) CertPool() *x509.CertPool { return s.ca.Pool() }

// AddUser adds a user (a mailbox's login) with an empty INBOX. A user
// name already taken is an error: its INBOX is kept as it is.
func (s *Server) AddUser(name, password string) error {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "" || password == "" {
		return errors.New("sandbox imap: a user needs a name and a password")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[key]; ok {
		return fmt.Errorf("sandbox imap: user %q already exists", name)
	}
	u := imapmemserver.NewUser(key, password)
	if err := u.Create(Inbox, nil); err != nil {
		return fmt.Errorf("sandbox imap: %w", err)
	}
	s.users[key] = &account{name: key, password: password, user: u}
	return nil
}

// account returns the user called name (case-insensitive).
func (s *Server) account(name string) (*account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.users[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return nil, ErrNoSuchUser
	}
	return a, nil
}

// sleep waits for d, or less if the server closes first.
func (s *Server) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.done:
	}
}

// fault asks Record what applies to command and waits its latency; a
// fault with a Status is the NO to answer.
func (s *Server) fault(command, user string) error {
	if s.opts.Record == nil {
		return nil
	}
	f, latency := s.opts.Record(command, user)
	s.sleep(latency)
	if f.Status == 0 {
		return nil
	}
	code := goimap.ResponseCodeUnavailable
	if f.Code != "" {
		code = goimap.ResponseCode(f.Code)
	}
	return &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: code, Text: "Sandbox fault: try again later"}
}
