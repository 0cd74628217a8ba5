package smtp

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"github.com/prospectorhq/prospector/internal/sandbox/town"
	"github.com/prospectorhq/prospector/internal/sandbox/world"
)

func start(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// client is an authenticated STARTTLS client of s that verifies its
// certificate against s.CertPool.
func client(t *testing.T, s *Server) *gosmtp.Client {
	t.Helper()
	c, err := gosmtp.DialStartTLS(s.Addr(), &tls.Config{ServerName: "localhost", RootCAs: s.CertPool()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Auth(sasl.NewPlainClient("", DefaultUsername, DefaultPassword)); err != nil {
		t.Fatal(err)
	}
	return c
}

// message is a small message with a Message-ID.
func message(id string) []byte {
	return []byte("From: a@sender.example\r\nTo: b@lakeside-dental.example\r\nMessage-ID: <" + id + ">\r\nSubject: hi\r\n\r\nHello.\r\n.dot line\r\n")
}

// smtpCode is the reply code of a go-smtp client error, 0 if none.
func smtpCode(err error) (int, string) {
	var se *gosmtp.SMTPError
	if errors.As(err, &se) {
		return se.Code, fmt.Sprintf("%d.%d.%d %s", se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2], se.Message)
	}
	return 0, ""
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, o := range []Options{{Addr: "0.0.0.0:0"}, {TLSAddr: "192.0.2.1:0"}, {Addr: "example.com:25"}} {
		if s, err := Start(o); err == nil {
			s.Close()
			t.Errorf("Start(%+v) listened", o)
		}
	}
}

func TestRecipientVerdicts(t *testing.T) {
	s := start(t, Options{})
	c := client(t, s)
	if err := c.Mail("dana@reyes-growth.example", nil); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		to   string
		code int
		text string
	}{
		{"maria@lakeside-dental.example", 0, ""},
		{"unknown@lakeside-dental.example", 550, "5.1.1 unknown user"},
		{"Nobody+x@lakeside-dental.example", 550, "5.1.1 unknown user"},
		{"bounce.7@lakeside-dental.example", 550, "5.1.1 unknown user"},
		{"busy@lakeside-dental.example", 452, "4.2.2 try again later"},
		{"greylist@lakeside-dental.example", 452, "4.2.2 try again later"},
		{"unknownperson@lakeside-dental.example", 0, ""},
		{"someone@gmail.com", 554, "5.7.1 relay access denied: the sandbox delivers to the fictional businesses' domains only"},
	}
	for _, tc := range cases {
		code, text := smtpCode(c.Rcpt(tc.to, nil))
		if code != tc.code || text != tc.text && tc.code != 0 {
			t.Errorf("RCPT %s: %d %s, want %d %s", tc.to, code, text, tc.code, tc.text)
		}
	}
}

func TestRecordsWhatArrived(t *testing.T) {
	s := start(t, Options{})
	c := client(t, s)
	for _, id := range []string{"one@x.example", "two@x.example", "one@x.example"} {
		if err := c.SendMail("dana@reyes-growth.example", []string{"maria@lakeside-dental.example", "unknown@lakeside-dental.example"}, bytes.NewReader(message(id))); err == nil {
			t.Fatal("a refused recipient in SendMail did not fail it")
		}
		if err := c.Reset(); err != nil {
			t.Fatal(err)
		}
		if err := c.SendMail("dana@reyes-growth.example", []string{"maria@lakeside-dental.example"}, bytes.NewReader(message(id))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Wait(t.Context(), 3); err != nil {
		t.Fatal(err)
	}
	got := s.Messages()
	if s.Count() != 3 || len(got) != 3 {
		t.Fatalf("count %d, %d kept; want 3", s.Count(), len(got))
	}
	if r := got[1]; !bytes.Equal(r.Data, message("two@x.example")) || r.From != "dana@reyes-growth.example" || len(r.To) != 1 || r.To[0] != "maria@lakeside-dental.example" || !r.TLS || r.Username != DefaultUsername || r.MessageID != "<two@x.example>" {
		t.Errorf("second message recorded as %+v", r)
	}
	if n := s.CountTo("MARIA@lakeside-dental.example"); n != 3 {
		t.Errorf("CountTo = %d, want 3", n)
	}
	if d := s.Duplicates(); len(d) != 1 || d[0] != "<one@x.example>" {
		t.Errorf("Duplicates = %v, want <one@x.example>", d)
	}
}

func TestAuthentication(t *testing.T) {
	s := start(t, Options{Users: map[string]string{"box1@prospector.test": "pw1", "box2@prospector.test": "pw2"}})
	cases := []struct {
		name string
		mech sasl.Client
		code int
	}{
		{"plain", sasl.NewPlainClient("", "box1@prospector.test", "pw1"), 0},
		{"login", sasl.NewLoginClient("box2@prospector.test", "pw2"), 0},
		{"wrong password", sasl.NewPlainClient("", "box1@prospector.test", "pw2"), 535},
		{"unknown user", sasl.NewLoginClient("box3@prospector.test", "pw1"), 535},
		{"other identity", sasl.NewPlainClient("box2@prospector.test", "box1@prospector.test", "pw1"), 535},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := gosmtp.DialTLS(s.TLSAddr(), &tls.Config{ServerName: DefaultHostname, RootCAs: s.CertPool()})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			code, text := smtpCode(c.Auth(tc.mech))
			if code != tc.code || code == 535 && text != "5.7.8 authentication failed" {
				t.Errorf("AUTH: %d %s, want %d", code, text, tc.code)
			}
		})
	}
	if ok, failed := s.Logins(); ok != 2 || failed != 3 {
		t.Errorf("logins %d ok, %d failed; want 2 and 3", ok, failed)
	}
}

func TestMailNeedsAuth(t *testing.T) {
	s := start(t, Options{})
	c, err := gosmtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if code, _ := smtpCode(c.Mail("a@b.example", nil)); code != 530 {
		t.Errorf("MAIL without AUTH: %d, want 530", code)
	}
}

func TestRequireTLS(t *testing.T) {
	s := start(t, Options{RequireTLS: true})
	c, err := gosmtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", DefaultUsername, DefaultPassword)); err == nil {
		t.Error("AUTH over plain text succeeded with RequireTLS")
	}
	if ok, _ := s.Logins(); ok != 0 {
		t.Errorf("%d logins", ok)
	}
}

func TestCertificateIsVerifiable(t *testing.T) {
	s := start(t, Options{Hostnames: []string{"mail.demo.example"}})
	for _, name := range []string{"localhost", "127.0.0.1", DefaultHostname, "mail.demo.example"} {
		conn, err := tls.Dial("tcp", s.TLSAddr(), &tls.Config{ServerName: name, RootCAs: s.CertPool()})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		conn.Close()
	}
	if _, err := tls.Dial("tcp", s.TLSAddr(), &tls.Config{ServerName: "smtp.example.com", RootCAs: s.CertPool()}); err == nil {
		t.Error("the certificate is valid for a name it was not issued for")
	}
	if _, err := tls.Dial("tcp", s.TLSAddr(), &tls.Config{ServerName: "localhost"}); err == nil {
		t.Error("the certificate verified without the sandbox's CA")
	}
	if !bytes.HasPrefix(s.CACertPEM(), []byte("-----BEGIN CERTIFICATE-----")) {
		t.Errorf("CACertPEM = %q", s.CACertPEM())
	}
}

func TestWaitAndKeep(t *testing.T) {
	s := start(t, Options{Keep: 4})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := s.Wait(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait with nothing sent: %v", err)
	}
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			c, err := gosmtp.Dial(s.Addr())
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			if err := c.Auth(sasl.NewPlainClient("", DefaultUsername, DefaultPassword)); err != nil {
				t.Error(err)
				return
			}
			if err := c.SendMail("a@sender.example", []string{fmt.Sprintf("p%d@lakeside-dental.example", i)}, bytes.NewReader(message(fmt.Sprintf("%d@x.example", i)))); err != nil {
				t.Error(err)
			}
		})
	}
	if err := s.Wait(t.Context(), 10); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if s.Count() != 10 || len(s.Messages()) > 4 || len(s.Duplicates()) != 0 {
		t.Errorf("count %d, kept %d, duplicates %v: want 10, at most 4, none", s.Count(), len(s.Messages()), s.Duplicates())
	}
}

func TestWorldVerdict(t *testing.T) {
	w := world.New(world.Options{})
	tw := w.Town("dentist", "Springfield, IL")
	var strict, acceptAll *town.Business
	for i := range tw.Businesses {
		b := &tw.Businesses[i]
		switch {
		case b.Site == nil || !b.Site.MX:
		case b.Site.AcceptAll && acceptAll == nil:
			acceptAll = b
		case !b.Site.AcceptAll && strict == nil && len(b.Site.People) > 0:
			strict = b
		}
	}
	if strict == nil || acceptAll == nil {
		t.Fatal("the town has no strict and accept-all mail domains")
	}
	verdict, domains := WorldVerdict(w), WorldDomains(w)
	cases := []struct {
		addr string
		want Reply
	}{
		{strict.Site.People[0].Email, Reply{}},
		{strings.ToUpper(strict.Site.People[0].Email), Reply{}},
		{"zz.guess@" + strict.Domain, UnknownUser},
		{"zz.guess@" + acceptAll.Domain, Reply{}},
		{"unknown@" + acceptAll.Domain, UnknownUser},
		{"busy@" + strict.Domain, TryLater},
		{"a@not-a-business.example", UnknownUser},
	}
	for _, tc := range cases {
		if got := verdict(tc.addr); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.addr, got, tc.want)
		}
	}
	if !domains(strict.Domain) || domains("not-a-business.example") {
		t.Errorf("WorldDomains(%s) = %v, WorldDomains(not-a-business.example) = %v", strict.Domain, domains(strict.Domain), domains("not-a-business.example"))
	}
}
