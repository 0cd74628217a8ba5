package mail

import (
	"context"
	"crypto/tls"
	"net"
	"strconv"
	"strings"
	"time"
)

// Security is how a connection to a mail server is encrypted.
type Security string

// Securities, as the mailbox's smtp_security and imap_security fields spell
// them.
const (
	// SecurityStartTLS connects in plain text and upgrades with STARTTLS
	// before anything else (submission, port 587). A server that does not
	// offer STARTTLS is an error: never a silent fallback to plain text.
	SecurityStartTLS Security = "starttls"
	// SecurityTLS is TLS from the first byte (port 465 for SMTP, 993 for
	// IMAP).
	SecurityTLS Security = "tls"
	// SecurityNone is plain text, allowed to a loopback host only.
	SecurityNone Security = "none"
)

// DefaultTimeout bounds each network step (connecting, the TLS handshake,
// each command's answer) when Server.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// DialFunc opens a TCP connection. The send stage passes one that goes
// through the address guard, so that a mailbox's host cannot reach our own
// network.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Server is a mailbox's SMTP (or IMAP) server and credentials.
type Server struct {
	Host     string
	Port     int
	Security Security
	// Username and Password authenticate with AUTH PLAIN (or LOGIN when
	// the server offers only that); no AUTH when Username is empty.
	Username string
	Password string
	// TLS is the base TLS configuration, for tests' and the demo's roots
	// (RootCAs); nil for the system's. ServerName is always Host, and
	// certificates are always verified.
	TLS *tls.Config
	// Dial opens the TCP connection; required, so that no caller forgets
	// the address guard by accident.
	Dial DialFunc
	// LocalName is the name given in EHLO; "localhost" when empty (a
	// submission server knows us by our login, not by this name).
	LocalName string
	// Timeout bounds each step; DefaultTimeout when zero. The answer to
	// the end of a message gets four times as long: servers scan it before
	// answering, and giving up early makes an uncertain message.
	Timeout time.Duration
}

func (s Server) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

// host is Host without a trailing dot or the brackets of an IPv6 literal.
func (s Server) host() string {
	return strings.Trim(strings.TrimSuffix(strings.TrimSpace(s.Host), "."), "[]")
}

func (s Server) addr() string { return net.JoinHostPort(s.host(), strconv.Itoa(s.Port)) }

// check refuses settings no connection should be tried with. These are
// the mailbox's problems (KindConnection: it pauses until fixed).
func (s Server) check(step string) *Error {
	bad := func(msg string) *Error { return &Error{Kind: KindConnection, Step: step, Msg: msg} }
	host := s.host()
	switch {
	case s.Dial == nil:
		return &Error{Kind: KindInvalid, Step: step, Msg: "no dialer configured"}
	case host == "":
		return bad("the server's host name is missing")
	case strings.ContainsAny(host, " \t\r\n/@:") && net.ParseIP(host) == nil:
		return bad("the server's host name is not a host name")
	case s.Port < 1 || s.Port > 65535:
		return bad("the server's port is not a number from 1 to 65535")
	case strings.ContainsAny(s.LocalName, " \t\r\n"):
		return bad("the EHLO name contains a space or a line break")
	case strings.ContainsAny(s.Username, "\r\n") || strings.ContainsAny(s.Password, "\r\n"):
		return bad("the user name or password contains a line break")
	}
	switch s.Security {
	case SecurityStartTLS, SecurityTLS:
	case SecurityNone:
		if !isLoopbackHost(host) {
			// Contract: plain text only to this machine. Refused before
			// connecting, so the password never leaves.
			return bad("refusing an unencrypted connection to " + host + ": choose STARTTLS or TLS (plain text is for a server on this machine only)")
		}
	default:
		return bad("the security setting must be starttls, tls or none")
	}
	return nil
}

// connect checks the settings and opens the TCP connection, within one
// timeout: the first step of an SMTP session and of an IMAP check alike.
func (s Server) connect(ctx context.Context) (*boundedConn, error) {
	if err := s.check("connect"); err != nil {
		return nil, err
	}
	timeout := s.timeout()
	dctx, cancel := context.WithTimeout(ctx, timeout)
	raw, err := s.Dial(dctx, "tcp", s.addr())
	cancel()
	if err != nil {
		if ctxEnded(ctx) {
			return nil, ctxError(ctx, "connect", false)
		}
		return nil, &Error{Kind: KindConnection, Step: "connect", Msg: netReason(err, s.host(), false), Err: err}
	}
	return &boundedConn{Conn: raw, limit: timeout}, nil
}

// tlsConfig is the configuration for a handshake with host.
func (s Server) tlsConfig() *tls.Config {
	cfg := &tls.Config{}
	if s.TLS != nil {
		cfg = s.TLS.Clone()
	}
	cfg.ServerName = s.host()
	cfg.InsecureSkipVerify = false
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	return cfg
}
