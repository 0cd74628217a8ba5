package mail

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
)

// startSandbox starts the sandbox SMTP server for one test.
func startSandbox(t testing.TB, opts sandboxsmtp.Options) *sandboxsmtp.Server {
	t.Helper()
	sb, err := sandboxsmtp.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sb.Close(); err != nil {
			t.Error(err)
		}
	})
	return sb
}

// dialTo is a dialer that connects to target whatever address it is asked
// for: how a test makes "smtp.example.com" reach the loopback server.
func dialTo(target string) DialFunc {
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, target)
	}
}

// directDial dials the address asked for.
func directDial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func portOf(t testing.TB, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sandboxServer is the mailbox settings that reach sb with the given
// security: STARTTLS and none on its plain port, TLS on its TLS port.
func sandboxServer(t testing.TB, sb *sandboxsmtp.Server, security Security) Server {
	t.Helper()
	addr, host := sb.Addr(), "localhost"
	switch security {
	case SecurityTLS:
		addr = sb.TLSAddr()
	case SecurityNone:
		host = "127.0.0.1"
	}
	return Server{
		Host: host, Port: portOf(t, addr), Security: security,
		Username: sandboxsmtp.DefaultUsername, Password: sandboxsmtp.DefaultPassword,
		TLS:     &tls.Config{RootCAs: sb.CertPool()},
		Dial:    directDial,
		Timeout: 5 * time.Second,
	}
}

// buildFor builds stepOne to the given recipient.
func buildFor(t testing.TB, to string) *Built {
	t.Helper()
	m := stepOne()
	m.To = to
	built, err := Builder{}.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	return built
}

// wantError asserts err is an *Error of kind whose message is msg
// exactly (or contains it, with contains).
func wantError(t *testing.T, err error, kind Kind, msg string, contains bool) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want a *mail.Error of kind %v", err, err, kind)
	}
	if e.Kind != kind {
		t.Errorf("kind %v (%v), want %v", e.Kind, e, kind)
	}
	if contains && !strings.Contains(e.Msg, msg) || !contains && e.Msg != msg {
		t.Errorf("message %q, want %q", e.Msg, msg)
	}
	return e
}

func TestSendDeliversByteExact(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{})
	cases := []struct {
		security Security
		tls      bool
	}{
		{SecurityStartTLS, true},
		{SecurityTLS, true},
		{SecurityNone, false},
	}
	for i, tc := range cases {
		t.Run(string(tc.security), func(t *testing.T) {
			// The international message has a line starting with a dot:
			// it must arrive unchanged through dot-stuffing.
			m := international()
			m.From = "jose@mueller-beratung.example"
			built, err := Builder{}.Build(m)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(built.Bytes, []byte("\r\n.5 Sekunden")) {
				t.Fatal("the message has no line starting with a dot")
			}
			if err := Send(t.Context(), sandboxServer(t, sb, tc.security), m.From, m.To, built.Bytes); err != nil {
				t.Fatal(err)
			}
			if err := sb.Wait(t.Context(), i+1); err != nil {
				t.Fatal(err)
			}
			got := sb.Messages()[i]
			if !bytes.Equal(got.Data, built.Bytes) {
				t.Errorf("the server received other bytes:\n--- got\n%s\n--- sent\n%s", got.Data, built.Bytes)
			}
			if got.From != m.From || len(got.To) != 1 || got.To[0] != m.To {
				t.Errorf("envelope %s → %v, want %s → %s", got.From, got.To, m.From, m.To)
			}
			if got.TLS != tc.tls || got.Username != sandboxsmtp.DefaultUsername {
				t.Errorf("TLS %v as %q, want TLS %v as %q", got.TLS, got.Username, tc.tls, sandboxsmtp.DefaultUsername)
			}
			if got.MessageID != built.MessageID {
				t.Errorf("server saw Message-ID %q, built %q", got.MessageID, built.MessageID)
			}
		})
	}
	if d := sb.Duplicates(); len(d) != 0 {
		t.Errorf("duplicates: %v", d)
	}
}

func TestSendRecipientRefusals(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{})
	srv := sandboxServer(t, sb, SecurityStartTLS)
	cases := []struct {
		to       string
		kind     Kind
		code     int
		enhanced string
		msg      string
	}{
		{"unknown@lakeside-dental.example", KindRejected, 550, "5.1.1", "550 5.1.1 unknown user"},
		{"nobody.2@lakeside-dental.example", KindRejected, 550, "5.1.1", "550 5.1.1 unknown user"},
		{"busy@lakeside-dental.example", KindTemporary, 452, "4.2.2", "452 4.2.2 try again later"},
		{"someone@gmail.com", KindRejected, 554, "5.7.1", "554 5.7.1 relay access denied: the sandbox delivers to the fictional businesses' domains only"},
	}
	for _, tc := range cases {
		t.Run(tc.to, func(t *testing.T) {
			err := Send(t.Context(), srv, "dana@reyes-growth.example", tc.to, buildFor(t, tc.to).Bytes)
			e := wantError(t, err, tc.kind, tc.msg, false)
			if e.Code != tc.code || e.Enhanced != tc.enhanced || e.Step != "rcpt" || e.Kind.PausesMailbox() {
				t.Errorf("code %d %s at %s (pauses mailbox: %v), want %d %s at rcpt, mailbox goes on", e.Code, e.Enhanced, e.Step, e.Kind.PausesMailbox(), tc.code, tc.enhanced)
			}
			if got := Reason(fmt.Errorf("deliver: %w", err)); got != tc.msg {
				t.Errorf("Reason = %q, want the server's own words %q", got, tc.msg)
			}
		})
	}
	if n := sb.Count(); n != 0 {
		t.Errorf("the server accepted %d messages", n)
	}
}

func TestCheck(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{})
	for _, security := range []Security{SecurityStartTLS, SecurityTLS, SecurityNone} {
		t.Run(string(security), func(t *testing.T) {
			if err := Check(t.Context(), sandboxServer(t, sb, security)); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		srv := sandboxServer(t, sb, SecurityStartTLS)
		srv.Password = "not-the-password"
		e := wantError(t, Check(t.Context(), srv), KindAuth, "535 5.7.8 authentication failed", false)
		if e.Step != "auth" || !e.Kind.PausesMailbox() {
			t.Errorf("step %q, pauses mailbox %v: want auth, true", e.Step, e.Kind.PausesMailbox())
		}
		if strings.Contains(e.Error(), "not-the-password") {
			t.Errorf("the error shows the password: %v", e)
		}
	})
	t.Run("wrong user over LOGIN", func(t *testing.T) {
		// AUTH LOGIN is used only when PLAIN is not offered; the server
		// offers both, so this checks PLAIN's refusal with another user.
		srv := sandboxServer(t, sb, SecurityTLS)
		srv.Username = "someone-else@prospector.test"
		wantError(t, Check(t.Context(), srv), KindAuth, "535 5.7.8 authentication failed", false)
	})
	if n := sb.Count(); n != 0 {
		t.Errorf("Check sent %d messages", n)
	}
	if ok, failed := sb.Logins(); ok != 3 || failed != 2 {
		t.Errorf("logins: %d ok, %d failed; want 3 and 2", ok, failed)
	}
}

// TestRefusesPlaintextPasswordToRemoteHost: a mailbox on another machine
// with security "none" never gets a connection, let alone the password,
// even when the name leads to a server that would accept it.
func TestRefusesPlaintextPasswordToRemoteHost(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{})
	srv := sandboxServer(t, sb, SecurityNone)
	dialed := false
	srv.Host = "smtp.example.com"
	srv.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed = true
		return dialTo(sb.Addr())(ctx, network, addr)
	}
	for name, run := range map[string]func() error{
		"check": func() error { return Check(t.Context(), srv) },
		"send": func() error {
			return Send(t.Context(), srv, "dana@reyes-growth.example", "maria@lakeside-dental.example", buildFor(t, "maria@lakeside-dental.example").Bytes)
		},
	} {
		t.Run(name, func(t *testing.T) {
			wantError(t, run(), KindConnection, "refusing an unencrypted connection to smtp.example.com", true)
		})
	}
	if ok, failed := sb.Logins(); dialed || ok+failed != 0 {
		t.Errorf("dialed %v, %d logins: the password went out", dialed, ok+failed)
	}
}

// remoteConn is a connection that says it goes to another machine.
type remoteConn struct{ net.Conn }

func (remoteConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.ParseIP("203.0.113.5"), Port: 25}
}

// TestRefusesPlaintextPasswordToRemoteAddress: "localhost" passes the
// settings check, but a dialer that ends up elsewhere (a hosts file, a
// proxy) still gets no password in the clear: the check at AUTH looks at
// where the connection goes.
func TestRefusesPlaintextPasswordToRemoteAddress(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{})
	srv := sandboxServer(t, sb, SecurityNone)
	srv.Host = "localhost"
	srv.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialTo(sb.Addr())(ctx, network, addr)
		return remoteConn{c}, err
	}
	e := wantError(t, Check(t.Context(), srv), KindConnection, "refusing to send the password unencrypted to localhost: choose STARTTLS or TLS", false)
	if e.Step != "auth" {
		t.Errorf("step %q, want auth", e.Step)
	}
	if ok, failed := sb.Logins(); ok+failed != 0 {
		t.Errorf("%d logins: the password went out", ok+failed)
	}
}

// TestStartTLSNotOffered: with STARTTLS a server that does not offer
// it is an error, never a fallback to plain text.
func TestStartTLSNotOffered(t *testing.T) {
	addr, heard := scriptedServer(t, "220 old.example ESMTP\r\n", map[string]string{"EHLO": "250-old.example\r\n250 AUTH PLAIN\r\n"})
	srv := Server{Host: "localhost", Port: portOf(t, addr), Security: SecurityStartTLS, Username: "u", Password: "secret", Dial: directDial, Timeout: 2 * time.Second}
	wantError(t, Check(t.Context(), srv), KindConnection, "the server does not offer STARTTLS (choose TLS, or another port)", false)
	if got := heard(); strings.Contains(got, "AUTH") {
		t.Errorf("the client sent %q", got)
	}
}

func TestConnectionFailures(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{})
	closed := closedPort(t)
	silent, _ := scriptedServer(t, "", nil)
	cases := []struct {
		name   string
		change func(*Server)
		msg    string
		step   string
	}{
		{"connection refused", func(s *Server) { s.Host, s.Port = "127.0.0.1", closed }, "connection refused", "connect"},
		{"TLS name mismatch", func(s *Server) {
			s.Host, s.Security, s.Dial = "smtp.example.com", SecurityTLS, dialTo(sb.TLSAddr())
		}, "TLS handshake: certificate is not valid for smtp.example.com", "tls"},
		{"STARTTLS name mismatch", func(s *Server) {
			s.Host, s.Dial = "smtp.example.com", dialTo(sb.Addr())
		}, "TLS handshake: certificate is not valid for smtp.example.com", "tls"},
		{"unknown authority", func(s *Server) { s.TLS = nil }, "TLS handshake: certificate signed by an unknown authority", "tls"},
		{"TLS to the plain port", func(s *Server) { s.Security, s.Port = SecurityTLS, portOf(t, sb.Addr()) }, "TLS handshake: the server does not speak TLS on this port (try STARTTLS)", "tls"},
		{"no such host", func(s *Server) {
			s.Host = "smtp.nowhere.example"
			s.Dial = func(context.Context, string, string) (net.Conn, error) {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "smtp.nowhere.example", IsNotFound: true}}
			}
		}, "no such host smtp.nowhere.example", "connect"},
		{"silent server", func(s *Server) {
			s.Host, s.Port, s.Security, s.Timeout = "127.0.0.1", portOf(t, silent), SecurityNone, 200*time.Millisecond
		}, "the server did not answer in time", "greeting"},
		{"silent server, STARTTLS", func(s *Server) {
			s.Port, s.Timeout = portOf(t, silent), 200*time.Millisecond
		}, "the server did not answer in time", "starttls"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := sandboxServer(t, sb, SecurityStartTLS)
			tc.change(&srv)
			start := time.Now()
			e := wantError(t, Check(t.Context(), srv), KindConnection, tc.msg, false)
			if e.Step != tc.step || !e.Kind.PausesMailbox() {
				t.Errorf("step %q, pauses mailbox %v: want %s, true", e.Step, e.Kind.PausesMailbox(), tc.step)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	if ok, _ := sb.Logins(); ok != 0 {
		t.Errorf("%d logins succeeded over connections that should have failed", ok)
	}
}

func TestSendContext(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{
		// The answer to the end of data for slow@ comes after 3 s: the
		// server has the whole message by then.
		Record: func(cmd, arg string) (fake.Fault, time.Duration) {
			if cmd == "RCPT" && strings.HasPrefix(arg, "slow-rcpt@") {
				return fake.Fault{}, 3 * time.Second
			}
			return fake.Fault{}, 0
		},
		Verdict: func(addr string) sandboxsmtp.Reply { return sandboxsmtp.Reply{} },
	})
	slowData := startSandbox(t, sandboxsmtp.Options{
		Record: func(cmd, _ string) (fake.Fault, time.Duration) {
			if cmd == "DATA" {
				return fake.Fault{}, 3 * time.Second
			}
			return fake.Fault{}, 0
		},
	})
	silent, _ := scriptedServer(t, "", nil)
	// Contexts are made when each case starts: their clocks must not run
	// during the cases before.
	type makeCtx func() context.Context
	cancelled := func() context.Context {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		return ctx
	}
	after := func(d time.Duration) makeCtx {
		return func() context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(d, cancel)
			return ctx
		}
	}
	deadline := func(d time.Duration) makeCtx {
		return func() context.Context {
			ctx, cancel := context.WithTimeout(t.Context(), d)
			t.Cleanup(cancel)
			return ctx
		}
	}
	cases := []struct {
		name string
		ctx  makeCtx
		srv  Server
		to   string
		kind Kind
		msg  string
	}{
		{"cancelled before", cancelled, sandboxServer(t, sb, SecurityStartTLS), "maria@lakeside-dental.example", KindCanceled, "cancelled before the message was sent"},
		{"cancelled waiting for the greeting", after(100 * time.Millisecond), func() Server {
			s := sandboxServer(t, sb, SecurityNone)
			s.Port = portOf(t, silent)
			return s
		}(), "maria@lakeside-dental.example", KindCanceled, "cancelled before the message was sent"},
		{"cancelled at RCPT", after(300 * time.Millisecond), sandboxServer(t, sb, SecurityStartTLS), "slow-rcpt@lakeside-dental.example", KindCanceled, "cancelled before the message was sent"},
		{"deadline at RCPT", deadline(300 * time.Millisecond), sandboxServer(t, sb, SecurityTLS), "slow-rcpt@lakeside-dental.example", KindConnection, "the server did not answer in time"},
		{"cancelled after the end of data", after(300 * time.Millisecond), sandboxServer(t, slowData, SecurityStartTLS), "maria@lakeside-dental.example", KindUncertain, "the message was sent but the server's answer did not come in time: it may have been delivered"},
		{"deadline after the end of data", deadline(300 * time.Millisecond), sandboxServer(t, slowData, SecurityTLS), "maria@lakeside-dental.example", KindUncertain, "the message was sent but the server's answer did not come in time: it may have been delivered"},
		{"timeout after the end of data", t.Context, func() Server {
			s := sandboxServer(t, slowData, SecurityStartTLS)
			s.Timeout = 100 * time.Millisecond // the end of data gets 4×: 400 ms
			return s
		}(), "maria@lakeside-dental.example", KindUncertain, "the message was sent but the server's answer was lost (the server did not answer in time): it may have been delivered"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			err := Send(tc.ctx(), tc.srv, "dana@reyes-growth.example", tc.to, buildFor(t, tc.to).Bytes)
			wantError(t, err, tc.kind, tc.msg, false)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Send took %v: the context did not stop it", d)
			}
		})
	}
	if n := sb.Count(); n != 0 {
		t.Errorf("%d messages arrived from cancelled sends", n)
	}
}

// TestSessionSendsSeveral: one session sends message after message; a
// refused recipient does not end it.
func TestSessionSendsSeveral(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{})
	s, err := Dial(t.Context(), sandboxServer(t, sb, SecurityStartTLS))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		to   string
		kind Kind
	}{
		{"a@one.example", KindUnknown},
		{"unknown@one.example", KindRejected},
		{"b@two.example", KindUnknown},
		{"busy@two.example", KindTemporary},
		{"c@three.example", KindUnknown},
	} {
		err := s.Send(t.Context(), "dana@reyes-growth.example", tc.to, buildFor(t, tc.to).Bytes)
		if KindOf(err) != tc.kind {
			t.Errorf("%s: %v, want kind %v", tc.to, err, tc.kind)
		}
	}
	if n := sb.Count(); n != 3 {
		t.Errorf("%d messages arrived, want 3", n)
	}
	for _, to := range []string{"a@one.example", "b@two.example", "c@three.example"} {
		if n := sb.CountTo(to); n != 1 {
			t.Errorf("%s got %d messages", to, n)
		}
	}
}

func TestServerRefusals(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{
		Record: func(cmd, arg string) (fake.Fault, time.Duration) {
			switch {
			case cmd == "MAIL" && strings.HasPrefix(arg, "blocked@"):
				return fake.Fault{Status: 550, Code: "sender not allowed"}, 0
			case cmd == "MAIL" && strings.HasPrefix(arg, "throttled@"):
				return fake.Fault{Status: 421, Code: "too many connections"}, 0
			case cmd == "DATA" && arg == "":
				return fake.Fault{}, 0
			}
			return fake.Fault{}, 0
		},
	})
	spam := startSandbox(t, sandboxsmtp.Options{
		Record: func(cmd, _ string) (fake.Fault, time.Duration) {
			if cmd == "DATA" {
				return fake.Fault{Status: 554, Code: "message looks like spam"}, 0
			}
			return fake.Fault{}, 0
		},
	})
	cases := []struct {
		name, from string
		srv        Server
		kind       Kind
		step, msg  string
	}{
		{"sender refused", "blocked@reyes-growth.example", sandboxServer(t, sb, SecurityStartTLS), KindSender, "mail", "550 5.0.0 sender not allowed"},
		{"sender throttled", "throttled@reyes-growth.example", sandboxServer(t, sb, SecurityStartTLS), KindTemporary, "mail", "421 4.0.0 too many connections"},
		{"content refused", "dana@reyes-growth.example", sandboxServer(t, spam, SecurityStartTLS), KindRefused, "data", "554 5.0.0 message looks like spam"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Send(t.Context(), tc.srv, tc.from, "maria@lakeside-dental.example", buildFor(t, "maria@lakeside-dental.example").Bytes)
			if e := wantError(t, err, tc.kind, tc.msg, false); e.Step != tc.step {
				t.Errorf("step %q, want %q", e.Step, tc.step)
			}
		})
	}
}

func TestSendRefusesBadInput(t *testing.T) {
	sb := startSandbox(t, sandboxsmtp.Options{})
	good := sandboxServer(t, sb, SecurityStartTLS)
	msg := buildFor(t, "maria@lakeside-dental.example").Bytes
	cases := []struct {
		name     string
		srv      func() Server
		from, to string
		kind     Kind
		want     string
	}{
		{"CRLF in envelope sender", func() Server { return good }, "dana@x.example\r\nRCPT TO:<victim@x.example>", "maria@lakeside-dental.example", KindInvalid, "line break"},
		{"CRLF in envelope recipient", func() Server { return good }, "dana@x.example", "maria@x.example\r\nDATA", KindInvalid, "line break"},
		{"no dialer", func() Server { s := good; s.Dial = nil; return s }, "dana@x.example", "maria@x.example", KindInvalid, "no dialer"},
		{"no host", func() Server { s := good; s.Host = ""; return s }, "dana@x.example", "maria@x.example", KindConnection, "host name is missing"},
		{"bad port", func() Server { s := good; s.Port = 70000; return s }, "dana@x.example", "maria@x.example", KindConnection, "port"},
		{"bad security", func() Server { s := good; s.Security = "ssl"; return s }, "dana@x.example", "maria@x.example", KindConnection, "starttls, tls or none"},
		{"CRLF in password", func() Server { s := good; s.Password = "x\r\nQUIT"; return s }, "dana@x.example", "maria@x.example", KindConnection, "line break"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Send(t.Context(), tc.srv(), tc.from, tc.to, msg)
			if KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want kind %v with %q", err, tc.kind, tc.want)
			}
		})
	}
	if n := sb.Count(); n != 0 {
		t.Errorf("%d messages arrived", n)
	}
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := portOf(t, ln.Addr().String())
	ln.Close()
	return port
}

// scriptedServer is a TCP server on loopback that sends greeting (nothing
// when ""), then answers each command line by its first word from answers
// (and closes on any other). heard returns what clients sent.
func scriptedServer(t *testing.T, greeting string, answers map[string]string) (addr string, heard func() string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	lines := make(chan string, 100)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				t.Cleanup(func() { c.Close() })
				if greeting == "" {
					// Silent: hold the connection until the test ends.
					_, _ = c.Read(make([]byte, 1))
					return
				}
				c.Write([]byte(greeting))
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					lines <- line
					word, _, _ := strings.Cut(strings.TrimSpace(line), " ")
					answer, ok := answers[strings.ToUpper(word)]
					if !ok {
						c.Write([]byte("221 bye\r\n"))
						return
					}
					c.Write([]byte(answer))
				}
			}()
		}
	}()
	return ln.Addr().String(), func() string {
		var all strings.Builder
		for {
			select {
			case l := <-lines:
				all.WriteString(l)
			default:
				return all.String()
			}
		}
	}
}
