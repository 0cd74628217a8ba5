// Package smtp is the sandbox's mail server: the SMTP server a demo or test
// mailbox sends through, standing in for both the user's submission server
// and the fictional businesses' own. It listens on loopback twice, with
// STARTTLS (or plain text) on one port and implicit TLS on the other, under
// a certificate from a CA made at Start (CACertPEM, CertPool); requires
// AUTH PLAIN or LOGIN with the configured credentials before MAIL; accepts
// mail for the fictional businesses' domains only; refuses some recipients
// on purpose (550 5.1.1 unknown user, 452 4.2.2 try again later: see
// DefaultVerdict and WorldVerdict); and records every accepted message,
// envelope and bytes, for tests and benchmarks to count (Count, Messages,
// Wait, Duplicates).
package smtp

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

	gosmtp "github.com/emersion/go-smtp"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/mailnet"
)

// Default credentials, when Options.Users is empty.
const (
	DefaultUsername = "sandbox@prospector.test"
	DefaultPassword = "sandbox-smtp-password"
)

// DefaultHostname is the name in the greeting and the certificate (with
// localhost, 127.0.0.1 and ::1).
const DefaultHostname = "smtp.sandbox.example"

// Options configures Start. The zero value is a working server.
type Options struct {
	// Addr listens for plain-text connections that may STARTTLS;
	// TLSAddr for implicit TLS. Both default to 127.0.0.1:0 and must be
	// loopback addresses.
	Addr, TLSAddr string
	// Hostname is the greeting's name and the certificate's first name;
	// DefaultHostname when empty. Hostnames are further names the
	// certificate is valid for.
	Hostname  string
	Hostnames []string
	// Users maps user names to passwords; DefaultUsername with
	// DefaultPassword when empty.
	Users map[string]string
	// RequireTLS refuses AUTH before STARTTLS (as real submission servers
	// do). Off by default: a loopback mailbox with security "none" is
	// allowed, and Prospector's own refusal to send a password in the
	// clear is what the tests check.
	RequireTLS bool
	// Domains reports whether the server receives mail for a domain
	// (lower case); nil accepts every domain under ".example", the
	// fictional towns' top-level domain. Others are refused at RCPT
	// with NoRelay.
	Domains func(domain string) bool
	// Verdict answers RCPT TO for an address at an accepted domain;
	// DefaultVerdict when nil.
	Verdict func(addr string) Reply
	// Record, when set, is called for each MAIL, RCPT and DATA with the
	// command and its address ("" for DATA) and returns the fault that
	// applies (a Status from 400 to 599 answers that SMTP code, with
	// Code as its text) and how long to wait before answering.
	Record func(command, arg string) (fake.Fault, time.Duration)
	// Keep bounds how many accepted messages keep their bytes (the most
	// recent; default 20,000). Counts are exact however many arrive.
	Keep int
	// Now is the clock of Received.At; time.Now when nil.
	Now func() time.Time
	// Accepted, when set, is called with each message the server took,
	// after it is recorded and before the client hears 250: the sandbox
	// has the fictional businesses answer it. It must not block.
	Accepted func(Received)
}

// Server is a running sandbox SMTP server. It is safe for concurrent use.
type Server struct {
	opts      Options
	ca        *authority
	srv       *gosmtp.Server
	listeners *mailnet.Listeners
	done      chan struct{} // closed by Close: cuts latencies short
	once      sync.Once

	*journal
}

// Start listens on both addresses and serves until Close.
func Start(opts Options) (*Server, error) {
	opts.Addr = cmp.Or(opts.Addr, "127.0.0.1:0")
	opts.TLSAddr = cmp.Or(opts.TLSAddr, "127.0.0.1:0")
	opts.Hostname = cmp.Or(opts.Hostname, DefaultHostname)
	if len(opts.Users) == 0 {
		opts.Users = map[string]string{DefaultUsername: DefaultPassword}
	}
	if opts.Domains == nil {
		opts.Domains = func(d string) bool { return strings.HasSuffix(d, ".example") }
	}
	if opts.Verdict == nil {
		opts.Verdict = DefaultVerdict
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Keep <= 0 {
		opts.Keep = 20000
	}
	names := append([]string{opts.Hostname, "localhost", "127.0.0.1", "::1"}, opts.Hostnames...)
	ca, err := newAuthority(names, time.Now())
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, ca: ca, journal: newJournal(opts.Keep), done: make(chan struct{})}
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{ca.leaf}, MinVersion: tls.VersionTLS12}

	srv := gosmtp.NewServer(gosmtp.BackendFunc(s.newSession))
	srv.Domain = opts.Hostname
	srv.TLSConfig = tlsConfig
	srv.AllowInsecureAuth = !opts.RequireTLS
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	// A client that gives up on our certificate is what some tests do
	// on purpose: nothing to print.
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv = srv

	if s.listeners, err = mailnet.Listen(opts.Addr, opts.TLSAddr, tlsConfig); err != nil {
		return nil, fmt.Errorf("sandbox smtp: %w", err)
	}
	s.listeners.Serve(srv.Serve)
	return s, nil
}

// Close stops listening, ends every session, and waits for the serving
// goroutines.
func (s *Server) Close() error {
	s.once.Do(func() { close(s.done) })
	err := s.srv.Close()
	s.listeners.Close()
	if errors.Is(err, gosmtp.ErrServerClosed) {
		return nil
	}
	return err
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
