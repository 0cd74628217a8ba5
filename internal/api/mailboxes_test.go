package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type mailboxView struct {
	ID              string  `json:"id"`
	Email           string  `json:"email"`
	FromName        string  `json:"from_name"`
	SMTPHost        string  `json:"smtp_host"`
	SMTPPort        int     `json:"smtp_port"`
	SMTPSecurity    string  `json:"smtp_security"`
	SMTPUsername    string  `json:"smtp_username"`
	IMAPHost        *string `json:"imap_host"`
	IMAPPort        *int    `json:"imap_port"`
	IMAPSecurity    *string `json:"imap_security"`
	DailyLimit      int     `json:"daily_limit"`
	Status          string  `json:"status"`
	StatusReason    *string `json:"status_reason"`
	HasSMTPPassword bool    `json:"has_smtp_password"`
	HasIMAPPassword bool    `json:"has_imap_password"`
	RepliesDetected bool    `json:"replies_detected"`
	Warmup          struct {
		Enabled   bool `json:"enabled"`
		Start     int  `json:"start"`
		Increment int  `json:"increment"`
	} `json:"warmup"`
}

const smtpPassword = "mailbox-Secret-Password-42"

func createMailbox(t *testing.T, c *apptest.Client, body map[string]any) (mailboxView, *apptest.Response) {
	t.Helper()
	resp := c.JSON("POST", "/api/mailboxes", body)
	return decodedOn[mailboxView](t, resp, http.StatusCreated), resp
}

func TestMailboxesAreCreatedEditedPausedAndDeleted(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		var logs bytes.Buffer
		srv := apptest.Start(t, e, apptest.Options{LogTo: &logs, Env: map[string]string{"SEND_ALLOWLIST": "127.0.0.1:2525"}})
		a, b := twoUsers(t, srv)

		m, resp := createMailbox(t, a, map[string]any{"email": "Dana@Reyes.example", "from_name": "Dana Reyes",
			"smtp_host": "smtp.reyes.example", "smtp_password": smtpPassword})
		if resp.Status != http.StatusCreated {
			t.Fatalf("create = %d %s", resp.Status, resp.Body)
		}
		if m.Email != "dana@reyes.example" || m.SMTPPort != 587 || m.SMTPSecurity != "starttls" || m.SMTPUsername != "dana@reyes.example" ||
			m.DailyLimit != 30 || !m.Warmup.Enabled || m.Warmup.Start != 5 || m.Warmup.Increment != 2 || m.Status != "active" ||
			!m.HasSMTPPassword || m.HasIMAPPassword || m.RepliesDetected {
			t.Errorf("created mailbox = %s, want the contract's defaults", resp.Body)
		}
		// The reading of its inbox: what failed (a refused login is shown
		// here) and when it was last read; nothing yet.
		for _, key := range []string{"imap_error", "imap_checked_at"} {
			if v, ok := resp.Map(t)[key]; !ok || v != nil {
				t.Errorf("created mailbox %s = %v (present %v), want null", key, v, ok)
			}
		}
		if bytes.Contains(resp.Body, []byte(smtpPassword)) || bytes.Contains(resp.Body, []byte(`"smtp_password":`)) {
			t.Errorf("answer holds the password: %s", resp.Body)
		}

		// PATCH changes what it names; the password stays unless given.
		resp = a.JSON("PATCH", "/api/mailboxes/"+m.ID, map[string]any{"daily_limit": 50, "warmup": map[string]any{"enabled": false},
			"imap_host": "imap.reyes.example", "imap_password": "imap-Secret-Password-7"})
		var patched mailboxView
		resp.JSON(t, &patched)
		if resp.Status != http.StatusOK || patched.DailyLimit != 50 || patched.Warmup.Enabled || patched.Warmup.Start != 5 ||
			!patched.HasSMTPPassword || !patched.HasIMAPPassword || patched.IMAPHost == nil || *patched.IMAPPort != 993 ||
			*patched.IMAPSecurity != "tls" || !patched.RepliesDetected || patched.SMTPHost != "smtp.reyes.example" {
			t.Errorf("patch = %d %s", resp.Status, resp.Body)
		}
		resp = a.JSON("PATCH", "/api/mailboxes/"+m.ID, map[string]any{"imap_host": ""})
		var noIMAP mailboxView
		resp.JSON(t, &noIMAP)
		if resp.Status != http.StatusOK || noIMAP.IMAPHost != nil || noIMAP.HasIMAPPassword || noIMAP.RepliesDetected {
			t.Errorf("clearing IMAP = %d %s", resp.Status, resp.Body)
		}

		var paused mailboxView
		resp = a.JSON("POST", "/api/mailboxes/"+m.ID+"/pause", nil)
		resp.JSON(t, &paused)
		if resp.Status != http.StatusOK || paused.Status != "paused" || paused.StatusReason == nil {
			t.Errorf("pause = %d %s", resp.Status, resp.Body)
		}
		var resumed mailboxView
		resp = a.JSON("POST", "/api/mailboxes/"+m.ID+"/resume", nil)
		resp.JSON(t, &resumed)
		if resp.Status != http.StatusOK || resumed.Status != "active" || resumed.StatusReason != nil {
			t.Errorf("resume = %d %s", resp.Status, resp.Body)
		}

		// The same address twice is a conflict.
		if _, resp := createMailbox(t, a, map[string]any{"email": "dana@reyes.example", "smtp_host": "smtp.reyes.example",
			"smtp_password": smtpPassword}); resp.Status != http.StatusConflict {
			t.Errorf("second mailbox for one address = %d %s, want 409", resp.Status, resp.Body)
		}
		// A loopback server is only for the allowlist (tests, the demo),
		// and only there may security be none.
		if _, resp := createMailbox(t, a, map[string]any{"email": "sandbox@reyes.example", "smtp_host": "127.0.0.1", "smtp_port": 2525,
			"smtp_security": "none", "smtp_password": smtpPassword}); resp.Status != http.StatusCreated {
			t.Errorf("allowlisted loopback server = %d %s, want 201", resp.Status, resp.Body)
		}

		// Another user's mailbox is not found, on every route.
		for _, r := range []struct{ method, path string }{
			{"GET", "/api/mailboxes/" + m.ID}, {"PATCH", "/api/mailboxes/" + m.ID}, {"DELETE", "/api/mailboxes/" + m.ID},
			{"POST", "/api/mailboxes/" + m.ID + "/pause"}, {"POST", "/api/mailboxes/" + m.ID + "/resume"},
			{"GET", "/api/mailboxes/not-an-id"},
		} {
			body := any(nil)
			if r.method == "PATCH" {
				body = map[string]any{"daily_limit": 1}
			}
			if resp := b.JSON(r.method, r.path, body); resp.Status != http.StatusNotFound || resp.ErrorCode(t) != "not_found" {
				t.Errorf("%s %s as another user = %d %s, want 404", r.method, r.path, resp.Status, resp.Body)
			}
		}
		var list struct {
			Data []mailboxView `json:"data"`
		}
		b.Get("/api/mailboxes").JSON(t, &list)
		if len(list.Data) != 0 {
			t.Errorf("another user's list = %+v, want empty", list.Data)
		}
		a.Get("/api/mailboxes").JSON(t, &list)
		if len(list.Data) != 2 {
			t.Errorf("list = %d mailboxes, want 2", len(list.Data))
		}

		if resp := a.JSON("DELETE", "/api/mailboxes/"+m.ID, nil); resp.Status != http.StatusNoContent {
			t.Errorf("delete = %d %s", resp.Status, resp.Body)
		}
		if resp := a.Get("/api/mailboxes/" + m.ID); resp.Status != http.StatusNotFound {
			t.Errorf("deleted mailbox = %d, want 404", resp.Status)
		}
		for _, secret := range []string{smtpPassword, "imap-Secret-Password-7"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the log holds a mailbox password")
			}
		}
	})
}

func TestMailboxBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		a, _ := srv.SignUp(t)
		valid := `"email":"dana@reyes.example","smtp_host":"smtp.reyes.example","smtp_password":"pw-0123456789"`
		host := func(h string) string {
			return `{"email":"dana@reyes.example","smtp_host":"` + h + `","smtp_password":"pw-0123456789"}`
		}
		for _, tc := range []struct {
			name, body, code, field string
			status                  int
		}{
			{"malformed JSON", `{"email":`, "invalid_json", "", 400},
			{"unknown field", `{` + valid + `,"password":"x"}`, "invalid_json", "", 400},
			{"wrong type", `{` + valid + `,"smtp_port":"587"}`, "validation_failed", "smtp_port", 400},
			{"missing email", `{"smtp_host":"smtp.reyes.example","smtp_password":"pw"}`, "validation_failed", "email", 400},
			{"missing password", `{"email":"dana@reyes.example","smtp_host":"smtp.reyes.example"}`, "validation_failed", "smtp_password", 400},
			{"missing host", `{"email":"dana@reyes.example","smtp_password":"pw"}`, "validation_failed", "smtp_host", 400},
			{"bad email", `{"email":"dana","smtp_host":"smtp.reyes.example","smtp_password":"pw"}`, "validation_failed", "email", 400},
			{"host with a scheme", host("smtp://smtp.reyes.example"), "validation_failed", "smtp_host", 400},
			{"private host", host("10.0.0.5"), "validation_failed", "smtp_host", 400},
			{"loopback host", host("127.0.0.1"), "validation_failed", "smtp_host", 400},
			{"localhost", host("localhost"), "validation_failed", "smtp_host", 400},
			{"metadata host", host("169.254.169.254"), "validation_failed", "smtp_host", 400},
			{"unencrypted to the Internet", `{` + valid + `,"smtp_security":"none"}`, "validation_failed", "smtp_security", 400},
			{"unknown security", `{` + valid + `,"smtp_security":"ssl"}`, "validation_failed", "smtp_security", 400},
			{"port out of range", `{` + valid + `,"smtp_port":70000}`, "validation_failed", "smtp_port", 400},
			{"daily limit too high", `{` + valid + `,"daily_limit":501}`, "validation_failed", "daily_limit", 400},
			{"daily limit zero", `{` + valid + `,"daily_limit":0}`, "validation_failed", "daily_limit", 400},
			{"warm-up start zero", `{` + valid + `,"warmup":{"start":0}}`, "validation_failed", "warmup.start", 400},
			{"warm-up unknown key", `{` + valid + `,"warmup":{"rate":3}}`, "invalid_json", "", 400},
			{"IMAP settings without a host", `{` + valid + `,"imap_port":993}`, "validation_failed", "imap_host", 400},
			{"IMAP host without a password", `{` + valid + `,"imap_host":"imap.reyes.example"}`, "validation_failed", "imap_password", 400},
			{"control character", `{` + valid + `,"from_name":"Dana\u0000"}`, "validation_failed", "from_name", 400},
			{"oversize", `{` + valid + `,"from_name":"` + strings.Repeat("x", 1<<20) + `"}`, "payload_too_large", "", 413},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp := a.JSON("POST", "/api/mailboxes", tc.body)
				if resp.Status != tc.status || resp.ErrorCode(t) != tc.code {
					t.Fatalf("POST %.80s = %d %.300s, want %d %s", tc.body, resp.Status, resp.Body, tc.status, tc.code)
				}
				if tc.field != "" && !strings.Contains(string(resp.Body), `"`+tc.field+`"`) {
					t.Errorf("answer %s does not name %s", resp.Body, tc.field)
				}
			})
		}
		if resp := srv.Client(t).JSON("POST", "/api/mailboxes", `{`+valid+`}`); resp.Status != http.StatusUnauthorized {
			t.Errorf("create without auth = %d, want 401", resp.Status)
		}
		if resp := srv.Client(t).Get("/api/mailboxes"); resp.Status != http.StatusUnauthorized {
			t.Errorf("list without auth = %d, want 401", resp.Status)
		}
	})
}
