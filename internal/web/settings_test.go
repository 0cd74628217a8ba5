package web_test

import (
	"bytes"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// flashOf follows a form's redirect and answers the page it lands on.
func (b *browser) follow(a answer, wantTo string) answer {
	b.t.Helper()
	if a.status != http.StatusSeeOther || a.location() != wantTo {
		b.t.Fatalf("= %d to %q, want 303 to %q: %s", a.status, a.location(), wantTo, a.body)
	}
	return b.page(wantTo)
}

func TestTheSenderProfile(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")
		if a := b.get("/app/settings"); a.status != http.StatusSeeOther || a.location() != "/app/settings/profile" {
			t.Errorf("/app/settings = %d to %q", a.status, a.location())
		}
		got := text(t, b.page("/app/settings/profile"))
		if !strings.Contains(got, "ada@example.test") || !strings.Contains(got, "Not ready") {
			t.Errorf("a new account's profile: %s", got)
		}
		// A refused profile says what is wrong and keeps what was typed.
		a := b.post("/app/settings/profile", url.Values{"sender_name": {"Dana Reyes"}, "postal_address": {"short"},
			"default_timezone": {"Mars/Olympus"}})
		if a.status != http.StatusBadRequest {
			t.Fatalf("a bad profile = %d, want 400", a.status)
		}
		checkPage(t, "refused profile", a)
		got = text(t, a)
		if !strings.Contains(got, "Postal address:") || !strings.Contains(got, "Time zone:") ||
			fieldValue(t, a, "sender_name") != "Dana Reyes" || fieldValue(t, a, "default_timezone") != "Mars/Olympus" {
			t.Errorf("the refused profile lost what was typed or does not say why: %s", got)
		}
		page := b.follow(b.post("/app/settings/profile", url.Values{"sender_name": {"Dana Reyes"},
			"postal_address": {"100 Congress Ave, Austin, TX 78701"}, "default_timezone": {"America/Chicago"}}), "/app/settings/profile")
		if got := text(t, page); !strings.Contains(got, "Sender profile saved.") || !strings.Contains(got, "Ready") {
			t.Errorf("after saving: %s", got)
		}
		if a := b.do(http.MethodPost, "/app/settings/profile", url.Values{"sender_name": {"Eve"}}, "Sec-Fetch-Site", "cross-site"); a.status != http.StatusForbidden {
			t.Errorf("a cross-site profile form = %d, want 403", a.status)
		}
	})
}

func TestTheMailboxes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		smtp, err := sandboxsmtp.Start(sandboxsmtp.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { smtp.Close() })
		host, port, _ := net.SplitHostPort(smtp.Addr())
		srv := apptest.Start(t, e, apptest.Options{Env: map[string]string{"SEND_ALLOWLIST": smtp.Addr()}})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")
		if got := text(t, b.page("/app/settings/mailboxes")); !strings.Contains(got, "No mailbox yet") {
			t.Errorf("no mailbox: %s", got)
		}
		form := func(email, password string) url.Values {
			return url.Values{"email": {email}, "smtp_host": {host}, "smtp_port": {port}, "smtp_security": {"none"},
				"smtp_username": {sandboxsmtp.DefaultUsername}, "smtp_password": {password}, "daily_limit": {"30"}}
		}

		// A form the rules refuse comes back as typed, the password aside.
		bad := form("dana@reyes.example", "typed-secret")
		bad.Set("smtp_port", "twenty-five")
		a := b.post("/app/settings/mailboxes", bad)
		if a.status != http.StatusBadRequest || !strings.Contains(text(t, a), "SMTP port: must be a whole number") ||
			fieldValue(t, a, "email") != "dana@reyes.example" || strings.Contains(a.body, "typed-secret") {
			t.Errorf("a bad port = %d: %s", a.status, text(t, a))
		}
		bad = form("not an address", "typed-secret")
		if a := b.post("/app/settings/mailboxes", bad); a.status != http.StatusBadRequest || !strings.Contains(text(t, a), "Email address:") {
			t.Errorf("a bad address = %d: %s", a.status, text(t, a))
		}

		// A wrong password is saved, tested at once, and the test says why it failed.
		page := b.follow(b.post("/app/settings/mailboxes", form("wrong@reyes.example", "not-the-password")), "/app/settings/mailboxes")
		got := text(t, page)
		if !strings.Contains(got, "Mailbox wrong@reyes.example added. SMTP failed:") || !strings.Contains(got, "535") {
			t.Errorf("a wrong password: %s", got)
		}
		page = b.follow(b.post("/app/settings/mailboxes", form("dana@reyes.example", sandboxsmtp.DefaultPassword)), "/app/settings/mailboxes")
		if got := text(t, page); !strings.Contains(got, "Mailbox dana@reyes.example added. SMTP: signed in.") {
			t.Errorf("the right password: %s", got)
		}
		if strings.Contains(page.body, sandboxsmtp.DefaultPassword) {
			t.Error("the page holds a mailbox password")
		}
		id := mailboxIDOf(t, srv, b, "dana@reyes.example")
		page = b.follow(b.post("/app/settings/mailboxes/"+id+"/pause", url.Values{}), "/app/settings/mailboxes")
		if got := text(t, page); !strings.Contains(got, "dana@reyes.example paused") || !strings.Contains(got, "Resume dana@reyes.example") {
			t.Errorf("after pausing: %s", got)
		}
		page = b.follow(b.post("/app/settings/mailboxes/"+id+"/resume", url.Values{}), "/app/settings/mailboxes")
		if got := text(t, page); !strings.Contains(got, "Pause dana@reyes.example") {
			t.Errorf("after resuming: %s", got)
		}
		if n := smtp.Count(); n != 0 {
			t.Errorf("the tests sent %d messages, want none", n)
		}

		other := newBrowser(t, srv)
		other.signUp("eve@example.test")
		for _, action := range []string{"test", "pause", "delete"} {
			if a := other.post("/app/settings/mailboxes/"+id+"/"+action, url.Values{}); a.status != http.StatusNotFound {
				t.Errorf("another user's %s = %d, want 404", action, a.status)
			}
		}
		page = b.follow(b.post("/app/settings/mailboxes/"+id+"/delete", url.Values{}), "/app/settings/mailboxes")
		if got := text(t, page); !strings.Contains(got, "removed") || strings.Contains(got, "Pause dana@reyes.example") {
			t.Errorf("after removing: %s", got)
		}
	})
}

// mailboxIDOf finds a mailbox's id through the API, as its owner.
func mailboxIDOf(t *testing.T, srv *apptest.Server, b *browser, email string) string {
	t.Helper()
	a := b.get("/api/mailboxes")
	i := strings.Index(a.body, `"email":"`+email+`"`)
	j := strings.LastIndex(a.body[:max(i, 0)], `"id":"`)
	if i < 0 || j < 0 {
		t.Fatalf("mailbox %s not in %s", email, a.body)
	}
	return a.body[j+6 : j+6+36]
}

func TestTheAPIKeys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")
		if got := text(t, b.page("/app/settings/api-keys")); !strings.Contains(got, "Anthropic") || !strings.Contains(got, "No key of yours") {
			t.Errorf("no keys: %s", got)
		}
		a := b.post("/app/settings/api-keys/anthropic", url.Values{"key": {"short key"}})
		if a.status != http.StatusBadRequest || !strings.Contains(text(t, a), "The key must be 20 to 300 characters.") || strings.Contains(a.body, "short key") {
			t.Errorf("a short key = %d: %s", a.status, text(t, a))
		}
		key := "sk-ant-test-0123456789abcdefWXYZ"
		page := b.follow(b.post("/app/settings/api-keys/anthropic", url.Values{"key": {key}}), "/app/settings/api-keys")
		if got := text(t, page); !strings.Contains(got, "ending in WXYZ") || strings.Contains(page.body, key) {
			t.Errorf("after saving: %s", got)
		}
		if a := b.post("/app/settings/api-keys/stripe", url.Values{"key": {key}}); a.status != http.StatusNotFound {
			t.Errorf("a service without keys = %d, want 404", a.status)
		}
		page = b.follow(b.post("/app/settings/api-keys/anthropic/delete", url.Values{}), "/app/settings/api-keys")
		if got := text(t, page); strings.Contains(got, "WXYZ") || !strings.Contains(got, "Key removed") {
			t.Errorf("after removing: %s", got)
		}
	})
}

func TestTheSuppressionList(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")
		if got := text(t, b.page("/app/settings/suppressions")); !strings.Contains(got, "The list is empty") {
			t.Errorf("an empty list: %s", got)
		}
		a := b.post("/app/settings/suppressions", url.Values{"entry": {"not an address@"}})
		if a.status != http.StatusBadRequest || fieldValue(t, a, "entry") != "not an address@" || !strings.Contains(text(t, a), "That email") {
			t.Errorf("a bad entry = %d: %s", a.status, text(t, a))
		}
		page := b.follow(b.post("/app/settings/suppressions", url.Values{"entry": {"Owner@Acme.example"}}), "/app/settings/suppressions")
		if got := text(t, page); !strings.Contains(got, "owner@acme.example added") {
			t.Errorf("after adding an address: %s", got)
		}
		b.follow(b.post("/app/settings/suppressions", url.Values{"entry": {"rivals.example"}}), "/app/settings/suppressions")
		page = b.follow(b.post("/app/settings/suppressions", url.Values{"entry": {"owner@acme.example"}}), "/app/settings/suppressions")
		if got := text(t, page); !strings.Contains(got, "already on the list") || !strings.Contains(got, "rivals.example (whole domain)") {
			t.Errorf("after adding twice: %s", got)
		}
		if got := text(t, b.page("/app/settings/suppressions?q=rivals")); strings.Contains(got, "owner@acme.example") || !strings.Contains(got, "rivals.example") {
			t.Errorf("search rivals: %s", got)
		}

		// An import says what it took and which rows it refused.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "list.csv")
		fw.Write([]byte("email\nfirst@import.example\nnot-an-address@\nrivals.example\n"))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, b.base+"/app/settings/suppressions/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := b.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw := new(bytes.Buffer)
		raw.ReadFrom(resp.Body)
		resp.Body.Close()
		imported := answer{status: resp.StatusCode, header: resp.Header, body: raw.String()}
		checkPage(t, "import", imported)
		if got := text(t, imported); resp.StatusCode != http.StatusOK || !strings.Contains(got, "1 entry imported") || !strings.Contains(got, "Row 3:") ||
			!strings.Contains(got, "first@import.example") {
			t.Errorf("import = %d: %s", resp.StatusCode, got)
		}

		id := suppressionIDOf(t, b, "owner@acme.example")
		other := newBrowser(t, srv)
		other.signUp("eve@example.test")
		if a := other.post("/app/settings/suppressions/"+id+"/delete", url.Values{}); a.status != http.StatusNotFound {
			t.Errorf("another user's entry = %d, want 404", a.status)
		}
		page = b.follow(b.post("/app/settings/suppressions/"+id+"/delete", url.Values{}), "/app/settings/suppressions")
		if got := text(t, page); strings.Contains(got, "owner@acme.example") || !strings.Contains(got, "Removed") {
			t.Errorf("after removing: %s", got)
		}
	})
}

func suppressionIDOf(t *testing.T, b *browser, email string) string {
	t.Helper()
	a := b.get("/api/suppressions?q=" + url.QueryEscape(email))
	i := strings.Index(a.body, `"id":"`)
	if i < 0 {
		t.Fatalf("%s not in %s", email, a.body)
	}
	return a.body[i+6 : i+6+36]
}
