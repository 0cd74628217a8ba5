package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app"
)

// TestDemo runs `prospector demo` as a user would: read the URL and login it
// prints, log in, start the demo campaign and watch prospects arrive.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	env := map[string]string{"LISTEN_ADDR": "127.0.0.1:0", "LOG_LEVEL": "warn"}
	go func() {
		// A --data folder that does not exist yet is made.
		done <- app.Main(ctx, []string{"demo", "--data", filepath.Join(t.TempDir(), "new")}, func(k string) string { return env[k] }, outW, io.Discard)
		outW.Close()
	}()

	urlRe := regexp.MustCompile(`^Prospector demo: (http://\S+)$`)
	loginRe := regexp.MustCompile(`^Log in as (\S+), password (\S+)$`)
	var base, email, password string
	sc := bufio.NewScanner(outR)
	for sc.Scan() && (base == "" || password == "") {
		if m := urlRe.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
		if m := loginRe.FindStringSubmatch(sc.Text()); m != nil {
			email, password = m[1], m[2]
		}
	}
	go io.Copy(io.Discard, outR)
	if base == "" || password == "" {
		t.Fatalf("demo printed no URL and login (exit %v)", <-done)
	}

	// Issue 12: the printed URL answered "404 page not found". It opens
	// the login page, and the printed login signs a browser in.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	visit := func(method, path string, form url.Values) (int, string, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequestWithContext(ctx, method, base+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(page)
	}
	if code, to, _ := visit("GET", "/", nil); code != http.StatusSeeOther || to != "/login" {
		t.Errorf("the printed URL = %d to %q, want the login page", code, to)
	}
	if code, _, page := visit("GET", "/login", nil); code != http.StatusOK || !strings.Contains(page, "<h1>Log in</h1>") {
		t.Errorf("the login page = %d %s", code, page)
	}
	if code, to, _ := visit("POST", "/login", url.Values{"email": {email}, "password": {password}}); code != http.StatusSeeOther || to != "/app" {
		t.Errorf("logging in with the printed login = %d to %q, want the dashboard", code, to)
	}
	if code, _, page := visit("GET", "/app", nil); code != http.StatusOK || !strings.Contains(page, "<h1>Dashboard</h1>") {
		t.Errorf("the demo account's dashboard = %d %s", code, page)
	}
	if code, _, page := visit("GET", "/app/campaigns", nil); code != http.StatusOK || !strings.Contains(page, "Plumbers in Austin, TX (sandbox)") {
		t.Errorf("the demo account's campaigns = %d %s", code, page)
	}

	call := func(method, path, token, body string, into any) int {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		if into != nil {
			json.NewDecoder(resp.Body).Decode(into)
		}
		return resp.StatusCode
	}
	var login struct {
		AccessToken string `json:"access_token"`
	}
	if code := call("POST", "/api/auth/login", "", `{"email":"`+email+`","password":"`+password+`"}`, &login); code != 200 {
		t.Fatalf("login with the printed credentials = %d", code)
	}
	var campaigns struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	call("GET", "/api/campaigns", login.AccessToken, "", &campaigns)
	if len(campaigns.Data) != 1 {
		t.Fatalf("demo account has %d campaigns, want the demo one", len(campaigns.Data))
	}
	id := campaigns.Data[0].ID
	// The demo account has a (fictional) sender profile, so drafts are
	// signed and sending needs only a mailbox.
	var profile struct {
		SenderName string `json:"sender_name"`
		Ready      bool   `json:"sending_ready"`
	}
	if call("GET", "/api/settings/sending", login.AccessToken, "", &profile); profile.SenderName == "" || !profile.Ready {
		t.Errorf("demo sender profile = %+v, want a ready one", profile)
	}
	// ... and a mailbox on the sandbox's SMTP server, on the campaign.
	var ready struct {
		Ready    bool     `json:"sending_ready"`
		Problems []string `json:"sending_problems"`
		Sending  struct {
			MailboxIDs []string `json:"mailbox_ids"`
		} `json:"sending"`
	}
	call("GET", "/api/campaigns/"+id, login.AccessToken, "", &ready)
	if !ready.Ready || len(ready.Sending.MailboxIDs) != 1 {
		t.Fatalf("demo campaign sending = %+v, want ready with its sandbox mailbox", ready)
	}
	// Its inbox is on the sandbox's IMAP server, where answers arrive.
	type serverCheck struct {
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	}
	var check struct {
		SMTP serverCheck  `json:"smtp"`
		IMAP *serverCheck `json:"imap"`
	}
	if call("POST", "/api/mailboxes/"+ready.Sending.MailboxIDs[0]+"/test", login.AccessToken, "", &check); !check.SMTP.OK || check.IMAP == nil || !check.IMAP.OK {
		t.Errorf("testing the demo mailbox = {smtp: %+v, imap: %+v}, want signed in to both sandbox servers", check.SMTP, check.IMAP)
	}
	if code := call("POST", "/api/campaigns/"+id+"/start", login.AccessToken, "", nil); code != http.StatusAccepted {
		t.Fatalf("start demo campaign = %d", code)
	}
	for {
		var st struct {
			Status     string `json:"status"`
			LeadsFound int    `json:"leads_found"`
			Outreach   struct {
				Drafts int `json:"drafts"`
			} `json:"outreach"`
		}
		call("GET", "/api/campaigns/"+id+"/stats", login.AccessToken, "", &st)
		if st.Status == "completed" {
			if st.LeadsFound == 0 || st.Outreach.Drafts == 0 {
				t.Fatalf("the demo campaign completed with %d prospects and %d drafts, want some of each", st.LeadsFound, st.Outreach.Drafts)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("demo campaign still %s", st.Status)
		case <-time.After(200 * time.Millisecond):
		}
	}
	// The drafts come from the sandbox's Claude, through the real client.
	var drafts struct {
		Data []struct {
			Status      string `json:"status"`
			GeneratedBy string `json:"generated_by"`
		} `json:"data"`
	}
	call("GET", "/api/outreach?campaign_id="+id+"&status=draft&limit=5", login.AccessToken, "", &drafts)
	if len(drafts.Data) == 0 || drafts.Data[0].GeneratedBy != "claude-sonnet-4-6" {
		t.Errorf("demo drafts = %+v, want drafts written by the default writer model", drafts.Data)
	}

	// Approving sends through the sandbox's SMTP server; a share of the
	// fictional businesses answer into the demo inbox, and the poller
	// reads them: replies end their sequences, bounces theirs.
	var all struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	call("GET", "/api/outreach?campaign_id="+id+"&status=draft&limit=200", login.AccessToken, "", &all)
	ids := make([]string, len(all.Data))
	for i, d := range all.Data {
		ids[i] = `"` + d.ID + `"`
	}
	if code := call("POST", "/api/outreach/approve", login.AccessToken, `{"ids": [`+strings.Join(ids, ",")+`]}`, nil); code != http.StatusOK {
		t.Fatalf("approve the demo drafts = %d", code)
	}
	approved := time.Now()
	for {
		var st struct {
			Outreach struct {
				Sent    int `json:"sent"`
				Replied int `json:"replied"`
				Bounced int `json:"bounced"`
			} `json:"outreach"`
		}
		call("GET", "/api/campaigns/"+id+"/stats", login.AccessToken, "", &st)
		var replied struct {
			Data []struct {
				StatusReason *string `json:"status_reason"`
			} `json:"data"`
		}
		call("GET", "/api/outreach?campaign_id="+id+"&status=replied", login.AccessToken, "", &replied)
		if st.Outreach.Replied > 0 && st.Outreach.Bounced > 0 && len(replied.Data) > 0 {
			t.Logf("%s after approving %d sequences: %d sent, %d replied, %d bounced", time.Since(approved).Round(time.Second),
				len(ids), st.Outreach.Sent, st.Outreach.Replied, st.Outreach.Bounced)
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("after approving %d sequences: %+v, want replies and bounces", len(ids), st.Outreach)
		case <-time.After(500 * time.Millisecond):
		}
	}

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("demo exit code after interrupt = %d, want 0", code)
	}
}
