package web_test

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestTheDemoShowsWhatItsSandboxReceived(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{}})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")
		addr := srv.Sandbox.SMTP.Addr()
		host, port, _ := net.SplitHostPort(addr)
		box := `{"email":"dana@reyes-growth.example","smtp_host":"` + host + `","smtp_port":` + port +
			`,"smtp_security":"none","smtp_username":"` + sandboxsmtp.DefaultUsername + `","smtp_password":"` + sandboxsmtp.DefaultPassword + `"}`
		if a := b.send("POST", "/api/mailboxes", "application/json", strings.NewReader(box)); a.status != http.StatusCreated {
			t.Fatalf("mailbox = %d %s", a.status, a.body)
		}

		if got := text(t, b.page("/app/sandbox/mail")); !strings.Contains(got, "No sandbox mail yet") {
			t.Errorf("the empty sandbox mail page: %s", got)
		}
		if got := text(t, b.page("/app/emails")); !strings.Contains(got, "Sandbox mail") {
			t.Errorf("the emails page does not link to the sandbox mail: %s", got)
		}

		to := ""
		for _, biz := range srv.Sandbox.Town("plumber", "Austin, TX").Businesses {
			if biz.Site != nil && biz.Site.MX && len(biz.Site.People) > 0 && biz.Site.People[0].Email != "" {
				to = biz.Site.People[0].Email
				break
			}
		}
		if to == "" {
			t.Fatal("the sandbox town has no owner with mail")
		}
		send := func(from, subject string) {
			t.Helper()
			msg := "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n" +
				"List-Unsubscribe: <https://prospector.example/u/token>\r\n\r\nHello from the test.\r\n"
			c, err := smtp.Dial(addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			sb := srv.Sandbox.SMTP
			auth := smtp.PlainAuth("", sandboxsmtp.DefaultUsername, sandboxsmtp.DefaultPassword, host)
			steps := []func() error{
				func() error { return c.StartTLS(&tls.Config{ServerName: sb.Hostname(), RootCAs: sb.CertPool()}) },
				func() error { return c.Auth(auth) },
				func() error { return c.Mail(from) },
				func() error { return c.Rcpt(to) },
				func() error {
					w, err := c.Data()
					if err != nil {
						return err
					}
					if _, err := w.Write([]byte(msg)); err != nil {
						return err
					}
					return w.Close()
				},
				c.Quit,
			}
			for _, step := range steps {
				if err := step(); err != nil {
					t.Fatalf("send to the sandbox: %v", err)
				}
			}
		}
		send("dana@reyes-growth.example", "=?utf-8?q?A_faster_website=E2=80=94soon?=")
		send("someone@else.example", "Not Ada's mail")

		page := b.page("/app/sandbox/mail")
		checkPage(t, "sandbox mail", page)
		got := text(t, page)
		for _, want := range []string{"A faster website—soon", "To " + to, "List-Unsubscribe: <https://prospector.example/u/token>",
			"not to real people"} {
			if !strings.Contains(got, want) {
				t.Errorf("the sandbox mail page lacks %q: %s", want, got)
			}
		}
		if strings.Contains(got, "Not Ada's mail") {
			t.Errorf("the sandbox mail page shows mail another mailbox sent: %s", got)
		}
		if got := text(t, other(t, srv).page("/app/sandbox/mail")); !strings.Contains(got, "No sandbox mail yet") {
			t.Errorf("another user sees this user's sandbox mail: %s", got)
		}
	})
}

func TestWithoutTheSandboxThereIsNoSandboxMail(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	b := newBrowser(t, srv)
	b.signUp("ada@example.test")
	if a := b.get("/app/sandbox/mail"); a.status != http.StatusNotFound {
		t.Errorf("/app/sandbox/mail without the sandbox = %d, want 404", a.status)
	}
	if got := text(t, b.page("/app/emails")); strings.Contains(got, "Sandbox mail") {
		t.Errorf("the emails page links to a sandbox that does not run: %s", got)
	}
}
