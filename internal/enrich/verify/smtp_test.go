package verify

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpServer is a fake mail server on loopback. How it answers RCPT TO
// depends on the recipient's domain, so one server plays every receiver in
// testdata/zone.txt:
//
//	probe.test      only maria@probe.test exists; others get 550 5.1.1
//	catchall.test   every address is accepted
//	greylist.test   451 4.7.1, come back later
//	tarpit.test     no answer at all to RCPT
//	blocked.test    550 5.7.1, the client is on a blocklist
//	rejectall.test  550 without an enhanced code, for every address
//	backup.test     like probe.test (reached through its backup MX)
type smtpServer struct {
	ln net.Listener
	wg sync.WaitGroup

	mu       sync.Mutex
	sessions [][]string // the commands of each session, in order
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.session(conn)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *smtpServer) session(conn net.Conn) {
	defer conn.Close()
	// A tarpitted session ends when the client gives up and closes.
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	s.mu.Lock()
	s.sessions = append(s.sessions, nil)
	idx := len(s.sessions) - 1
	s.mu.Unlock()
	record := func(cmd string) {
		s.mu.Lock()
		s.sessions[idx] = append(s.sessions[idx], cmd)
		s.mu.Unlock()
	}

	r := textproto.NewReader(bufio.NewReader(conn))
	w := bufio.NewWriter(conn)
	reply := func(line string) bool {
		_, err := w.WriteString(line + "\r\n")
		return err == nil && w.Flush() == nil
	}
	if !reply("220 fake.test ESMTP ready") {
		return
	}
	for {
		line, err := r.ReadLine()
		if err != nil {
			return
		}
		record(line)
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			reply("250-fake.test greets " + arg)
			reply("250 8BITMIME")
		case "HELO", "NOOP", "RSET":
			reply("250 OK")
		case "MAIL":
			reply("250 2.1.0 OK")
		case "RCPT":
			answer := s.rcpt(arg)
			if answer == "" {
				// Tarpit: read on until the client hangs up.
				_, _ = r.ReadLine()
				return
			}
			reply(answer)
		case "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			reply("502 5.5.2 command not recognized")
		}
	}
}

// rcpt answers "TO:<addr>"; "" means do not answer.
func (s *smtpServer) rcpt(arg string) string {
	addr := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(arg, "TO:<"), ">"))
	_, domain := splitAddress(addr)
	switch domain {
	case "probe.test", "backup.test":
		if strings.HasPrefix(addr, "maria@") {
			return "250 2.1.5 OK"
		}
		return "550 5.1.1 <" + addr + ">: user unknown"
	case "catchall.test":
		return "250 2.1.5 OK"
	case "greylist.test":
		return "451 4.7.1 greylisted, please try again later"
	case "tarpit.test":
		return ""
	case "blocked.test":
		return "550 5.7.1 client host blocked using zen.spamhaus.org"
	case "rejectall.test":
		return "550 requested action not taken: mailbox unavailable"
	}
	return "550 5.1.2 no such domain here"
}

func (s *smtpServer) commands() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]string, len(s.sessions))
	for i, cmds := range s.sessions {
		out[i] = append([]string(nil), cmds...)
	}
	return out
}

// dialer sends every connection to the fake server, refuses hosts whose
// name starts with "down.", and remembers which addresses were dialled.
type dialer struct {
	target string
	mu     sync.Mutex
	dialed []string
}

func (d *dialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.dialed = append(d.dialed, addr)
	d.mu.Unlock()
	if strings.HasPrefix(addr, "down.") {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, d.target)
}

func (d *dialer) addrs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.dialed...)
}

func TestSMTPProbe(t *testing.T) {
	t.Parallel()
	res := startDNS(t, "testdata/zone.txt")
	srv := startSMTP(t)

	tests := []struct {
		email      string
		status     string
		reason     string // a substring of one of the reasons
		wantDialed []string
	}{
		{"maria@probe.test", StatusValid, "a random address is refused", []string{"mx.probe.test:25"}},
		{"nobody@probe.test", StatusInvalid, "mailbox refused (550 5.1.1)", nil},
		{"anyone@catchall.test", StatusCatchAll, "catch-all", nil},
		{"maria@greylist.test", StatusUnknown, "greylisting (451 4.7.1)", nil},
		{"maria@tarpit.test", StatusUnknown, "RCPT timed out", nil},
		{"maria@blocked.test", StatusUnknown, "policy reasons", nil},
		{"maria@rejectall.test", StatusInvalid, "mailbox refused (550)", nil},
		{"maria@backup.test", StatusValid, "", []string{"down.backup.test:25", "mx.backup.test:25"}},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			t.Parallel()
			d := &dialer{target: srv.ln.Addr().String()}
			v, err := New(Config{
				Resolver:  res,
				SMTPProbe: true,
				HeloName:  "probe.prospector.test",
				MailFrom:  "bounces@prospector.test",
				Dialer:    d.dial,
				Timeout:   500 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			got := v.Verify(context.Background(), tt.email)
			if got.Status != tt.status {
				t.Fatalf("Status = %q, want %q (reasons %q)", got.Status, tt.status, got.Reasons)
			}
			if got.Verified != (tt.status == StatusValid) {
				t.Errorf("Verified = %v for status %q", got.Verified, got.Status)
			}
			if tt.reason != "" && !hasReason(got.Reasons, tt.reason) {
				t.Errorf("Reasons = %q, want one containing %q", got.Reasons, tt.reason)
			}
			if tt.wantDialed != nil && fmt.Sprint(d.addrs()) != fmt.Sprint(tt.wantDialed) {
				t.Errorf("dialed %q, want %q", d.addrs(), tt.wantDialed)
			}
		})
	}

	// Every session that got past the greeting ended with QUIT, and the
	// probe introduced itself as configured.
	t.Cleanup(func() {
		for _, cmds := range srv.commands() {
			if len(cmds) == 0 {
				continue
			}
			if cmds[0] != "EHLO probe.prospector.test" {
				t.Errorf("session opened with %q, want EHLO probe.prospector.test", cmds[0])
			}
			if !strings.HasPrefix(cmds[1], "MAIL FROM:<bounces@prospector.test>") {
				t.Errorf("session sent %q, want MAIL FROM:<bounces@prospector.test>", cmds[1])
			}
			if last := cmds[len(cmds)-1]; last != "QUIT" && !strings.Contains(strings.Join(cmds, " "), "tarpit.test") {
				t.Errorf("session ended with %q, not QUIT: %q", last, cmds)
			}
		}
	})
}

// TestSMTPProbeDecoy checks the catch-all test itself: the second RCPT is a
// random address at the same domain, different every time.
func TestSMTPProbeDecoy(t *testing.T) {
	t.Parallel()
	res := startDNS(t, "testdata/zone.txt")
	srv := startSMTP(t)
	d := &dialer{target: srv.ln.Addr().String()}
	v, err := New(Config{Resolver: res, SMTPProbe: true, HeloName: "probe.prospector.test", Dialer: d.dial, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got := v.Verify(context.Background(), "maria@probe.test"); got.Status != StatusValid {
			t.Fatalf("Status = %q (%q)", got.Status, got.Reasons)
		}
	}
	var decoys []string
	for _, cmds := range srv.commands() {
		// net/smtp adds BODY=8BITMIME when the server offers it.
		want := []string{"EHLO probe.prospector.test", "MAIL FROM:<> BODY=8BITMIME", "RCPT TO:<maria@probe.test>"}
		if len(cmds) != 5 || fmt.Sprint(cmds[:3]) != fmt.Sprint(want) || cmds[4] != "QUIT" {
			t.Fatalf("session = %q", cmds)
		}
		decoy := strings.TrimSuffix(strings.TrimPrefix(cmds[3], "RCPT TO:<"), ">")
		local, domain := splitAddress(decoy)
		if domain != "probe.test" || len(local) < 20 {
			t.Errorf("decoy %q is not a long random address at probe.test", decoy)
		}
		decoys = append(decoys, decoy)
	}
	if len(decoys) != 2 || decoys[0] == decoys[1] {
		t.Errorf("decoys %q, want two different ones", decoys)
	}
}

func TestClassifyRcpt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code int
		msg  string
		want rcptAnswer
	}{
		{550, "5.1.1 <x@y.test>: Recipient address rejected: User unknown", rcptNoMailbox},
		{550, "5.1.10 RESOLVER.ADR.RecipientNotFound", rcptNoMailbox},
		{550, "5.2.1 mailbox disabled", rcptNoMailbox},
		{550, "5.1.8 sender domain does not exist", rcptRefused},
		{550, "5.7.1 Service unavailable; client host blocked", rcptRefused},
		{554, "5.7.1 relay access denied", rcptRefused},
		{552, "5.2.2 mailbox full", rcptRefused},
		{550, "No such user here", rcptNoMailbox},
		{553, "sorry, that domain isn't in my list of allowed rcpthosts", rcptNoMailbox},
		{550, "Blocked by Spamhaus", rcptRefused},
		{550, "5.0.0 message rejected as spam", rcptRefused},
		{554, "transaction failed", rcptRefused},
		{450, "4.2.0 greylisted", rcptTemporary},
		{421, "too busy", rcptTemporary},
	}
	for _, tt := range tests {
		got, _ := classifyRcpt(&textproto.Error{Code: tt.code, Msg: tt.msg})
		if got != tt.want {
			t.Errorf("classifyRcpt(%d %s) = %v, want %v", tt.code, tt.msg, got, tt.want)
		}
	}
	if got, _ := classifyRcpt(nil); got != rcptAccepted {
		t.Errorf("classifyRcpt(nil) = %v", got)
	}
	if got, _ := classifyRcpt(errors.New("EOF")); got != rcptBroken {
		t.Errorf("classifyRcpt(EOF) = %v", got)
	}
}

func hasReason(reasons []string, sub string) bool {
	for _, r := range reasons {
		if strings.Contains(r, sub) {
			return true
		}
	}
	return false
}
