package instantly_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/instantly"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
	"github.com/prospectorhq/prospector/internal/sandbox"
)

// TestErrorsTellTheUserWhatToDo maps every status Instantly documents to
// its reason and its sentence; only 429 and 5xx are retried.
func TestErrorsTellTheUserWhatToDo(t *testing.T) {
	t.Parallel()
	const wrongKey = "ik_live_7d1e0c55b2a94f03-WRONG"
	tests := []struct {
		name         string
		key          string
		noKey        bool
		fault        *sandbox.Fault
		wantReason   error
		wantKind     providers.Kind
		wantStatus   int
		wantMessage  string
		wantRequests int
	}{
		{name: "bad key", key: wrongKey, wantReason: instantly.ErrUnauthorized, wantKind: providers.KindAuth, wantStatus: 401, wantRequests: 1,
			wantMessage: "Instantly refused the API key (401): check it in Settings → API keys"},
		{name: "no paid plan", key: sandbox.QuotaExhaustedKey, wantReason: instantly.ErrPaymentRequired, wantKind: providers.KindQuota, wantStatus: 402, wantRequests: 1,
			wantMessage: "Instantly refused to create the campaign (402): the workspace has no active paid plan; choose a plan in Instantly's billing settings"},
		{name: "key without the scope", fault: &sandbox.Fault{Status: 403}, wantReason: instantly.ErrForbidden, wantKind: providers.KindAuth, wantStatus: 403, wantRequests: 1,
			wantMessage: "Instantly refused to create the campaign (403): the API key lacks the scope for it; create a key with the campaigns, leads and webhooks scopes (or all:all) in Instantly and save it in Settings → API keys"},
		{name: "rate limited throughout", fault: &sandbox.Fault{Status: 429}, wantReason: instantly.ErrRateLimited, wantKind: providers.KindRateLimited, wantStatus: 429, wantRequests: 4,
			wantMessage: "Instantly is rate limiting requests (429): try again in 2s"},
		{name: "server error throughout", fault: &sandbox.Fault{Status: 500}, wantReason: instantly.ErrUnavailable, wantKind: providers.KindUnavailable, wantStatus: 500, wantRequests: 4,
			wantMessage: "Instantly is unavailable (500): try again later"},
		{name: "bad gateway throughout", fault: &sandbox.Fault{Status: 502}, wantReason: instantly.ErrUnavailable, wantKind: providers.KindUnavailable, wantStatus: 502, wantRequests: 4,
			wantMessage: "Instantly is unavailable (502): try again later"},
		{name: "bad request", fault: &sandbox.Fault{Status: 400, Code: "body/email_list/0 must match format \"email\""}, wantReason: instantly.ErrInvalid, wantKind: providers.KindInvalid, wantStatus: 400, wantRequests: 1,
			wantMessage: `Instantly rejected the request to create the campaign (400): body/email_list/0 must match format "email"`},
		{name: "no key at all", noKey: true, wantReason: instantly.ErrNoAPIKey, wantKind: providers.KindAuth, wantRequests: 0,
			wantMessage: "no Instantly API key is configured: add one in Settings → API keys (service instantly) or set INSTANTLY_API_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := setupOptions{key: tt.key, noKey: tt.noKey}
			if tt.fault != nil {
				o.faults = map[sandbox.Service]sandbox.Fault{sandbox.Instantly: *tt.fault}
			}
			f := setup(t, o)
			_, err := f.Client.CreateCampaign(context.Background(), campaignParams())
			if tt.key != "" {
				checkSecrets(t, f, tt.key, err)
			}
			checkSecrets(t, f, f.SB.InstantlyAPIKey, err)
			if !errors.Is(err, tt.wantReason) {
				t.Fatalf("err = %v, want reason %v", err, tt.wantReason)
			}
			var ie *instantly.Error
			if !errors.As(err, &ie) || ie.Status != tt.wantStatus || err.Error() != tt.wantMessage {
				t.Errorf("err = %q (status %d), want %q (status %d)", err, ie.Status, tt.wantMessage, tt.wantStatus)
			}
			if pe, ok := providers.AsError(err); !ok || pe.Kind != tt.wantKind || pe.Service != instantly.Service {
				t.Errorf("shared error = %+v, want kind %v", pe, tt.wantKind)
			}
			if n := f.SB.RequestCount(sandbox.Instantly); n != tt.wantRequests {
				t.Errorf("requests = %d, want %d", n, tt.wantRequests)
			}
			if len(f.SB.Instantly().Campaigns()) != 0 {
				t.Error("a failed call created a campaign")
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	_, err := f.Client.PauseCampaign(context.Background(), "019942fb-54a1-73dc-89a2-5f7483674a3d")
	if pe, ok := providers.AsError(err); !errors.Is(err, instantly.ErrNotFound) || !ok || pe.Kind != providers.KindNotFound {
		t.Fatalf("err = %v", err)
	}
	const want = "Instantly could not pause the campaign (404): it does not exist in this workspace (deleted in Instantly, or made with another API key)"
	if err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

// TestRetriesHonourRetryAfter runs on the fake clock: a 429 waits what
// Retry-After says (at least MinWaitAfterRateLimit), a 5xx the back-off,
// and the call then succeeds.
func TestRetriesHonourRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		fault      sandbox.Fault
		wantSleeps []time.Duration
	}{
		{name: "429 with Retry-After", fault: sandbox.Fault{Status: 429, RetryAfter: "30", Times: 1}, wantSleeps: []time.Duration{30 * time.Second}},
		{name: "429 asking for less than the minimum", fault: sandbox.Fault{Status: 429, RetryAfter: "1", Times: 1}, wantSleeps: []time.Duration{2 * time.Second}},
		{name: "429 without Retry-After", fault: sandbox.Fault{Status: 429, Times: 1}, wantSleeps: []time.Duration{2 * time.Second}},
		{name: "two 429s", fault: sandbox.Fault{Status: 429, RetryAfter: "5", Times: 2}, wantSleeps: []time.Duration{5 * time.Second, 5 * time.Second}},
		{name: "one 503", fault: sandbox.Fault{Status: 503, Times: 1}, wantSleeps: []time.Duration{250 * time.Millisecond}},
		{name: "503 with Retry-After", fault: sandbox.Fault{Status: 503, RetryAfter: "10", Times: 1}, wantSleeps: []time.Duration{10 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, setupOptions{faults: map[sandbox.Service]sandbox.Fault{sandbox.Instantly: tt.fault}})
			c, err := f.Client.CreateCampaign(context.Background(), campaignParams())
			if err != nil {
				t.Fatal(err)
			}
			f.Clock.CheckSleeps(t, tt.wantSleeps...)
			if n := len(f.SB.Instantly().Campaigns()); n != 1 || c.ID == "" {
				t.Errorf("campaigns = %d after retries", n)
			}
			if n := f.SB.RequestCount(sandbox.Instantly); n != tt.fault.Times+1 {
				t.Errorf("requests = %d", n)
			}
			calls := f.Rec.Calls()
			if len(calls) != tt.fault.Times+1 || calls[0].Err == nil || calls[len(calls)-1].Err != nil {
				t.Errorf("calls = %+v", calls)
			}
		})
	}
}

// TestLongRetryAfterIsHandedBack: a wait longer than the Doer holds a
// worker for is not slept; the error carries it for the job to reschedule.
func TestLongRetryAfterIsHandedBack(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{faults: map[sandbox.Service]sandbox.Fault{sandbox.Instantly: {Status: 429, RetryAfter: "120"}}})
	_, err := f.Client.AddLeads(context.Background(), "019942fb-54a1-73dc-89a2-5f7483674a3d", []instantly.Lead{{Email: "a@b.example", Steps: sequence("B")}})
	if wait, ok := providers.RetryAfterOf(err); !ok || wait != 2*time.Minute || !errors.Is(err, instantly.ErrRateLimited) {
		t.Fatalf("err = %v, retry after %v", err, wait)
	}
	if want := "Instantly is rate limiting requests (429): try again in 2m0s"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	f.Clock.CheckSleeps(t)
	if n := f.SB.RequestCount(sandbox.Instantly); n != 1 {
		t.Errorf("requests = %d", n)
	}
}

// TestKeyIsNeverLogged: the retry warnings name the service and the
// endpoint, never the key.
func TestKeyIsNeverLogged(t *testing.T) {
	t.Parallel()
	f := providerstest.StartSandboxed[*instantly.Client](t, map[sandbox.Service]sandbox.Fault{sandbox.Instantly: {Status: 503, Times: 2}}, false)
	var logs bytes.Buffer
	s := f.Settings()
	s.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := instantly.New(instantly.Config{APIKey: f.SB.InstantlyAPIKey, BaseURL: f.SB.InstantlyURL, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	p := instantly.WebhookParams{TargetURL: "https://prospector.example.com/api/webhooks/instantly", Secret: "whsec_do_not_log"}
	w, err := client.CreateWebhook(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	s.Logger.Info("registered", "webhook", w, "params", p)
	out := logs.String()
	if strings.Count(out, "provider call failed, retrying") != 2 || !strings.Contains(out, "endpoint=webhooks:create") {
		t.Errorf("logs = %s", out)
	}
	for _, secret := range []string{f.SB.InstantlyAPIKey, "whsec_do_not_log"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q is in the logs: %s", secret, out)
		}
	}
}

func TestInputIsCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	ctx := context.Background()
	edit := func(e func(p *instantly.CampaignParams)) instantly.CampaignParams {
		p := campaignParams()
		e(&p)
		return p
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"no accounts", func() error {
			_, err := f.Client.CreateCampaign(ctx, edit(func(p *instantly.CampaignParams) { p.Accounts = nil }))
			return err
		}, "cannot create the campaign in Instantly: no Instantly sending account is chosen (instantly_accounts)"},
		{"several problems", func() error {
			_, err := f.Client.CreateCampaign(ctx, edit(func(p *instantly.CampaignParams) { p.Name, p.Start, p.Days = " ", "9am", []int{0} }))
			return err
		}, `cannot create the campaign in Instantly: the campaign has no name; the window "9am"–"17:00" is not HH:MM to HH:MM; the sending days must be ISO weekdays 1–7, at least one`},
		{"send days going back", func() error {
			_, err := f.Client.CreateCampaign(ctx, edit(func(p *instantly.CampaignParams) { p.SendDays = []int{0, 5, 3} }))
			return err
		}, "the send days must start at 0 and never go back"},
		{"gaps upside down", func() error {
			_, err := f.Client.CreateCampaign(ctx, edit(func(p *instantly.CampaignParams) { p.MinGapSeconds, p.MaxGapSeconds = 600, 60 }))
			return err
		}, "the gap between emails must be 0 or more, its maximum at least its minimum"},
		{"lead without address", func() error {
			_, err := f.Client.AddLeads(ctx, "c", []instantly.Lead{{Email: "", Steps: sequence("X")}})
			return err
		}, "cannot add the leads to the campaign in Instantly: lead 1 has no email address"},
		{"lead without steps", func() error {
			_, err := f.Client.AddLeads(ctx, "c", []instantly.Lead{{Email: "a@b.example"}})
			return err
		}, "lead 1 has no steps"},
		{"no leads", func() error { _, err := f.Client.AddLeads(ctx, "c", nil); return err }, "no leads"},
		{"webhook to ftp", func() error {
			_, err := f.Client.CreateWebhook(ctx, instantly.WebhookParams{TargetURL: "ftp://x.example/h", Secret: "s"})
			return err
		}, "cannot register the webhook in Instantly: the target URL must be an http(s) URL"},
		{"webhook without secret", func() error {
			_, _, err := f.Client.EnsureWebhook(ctx, instantly.WebhookParams{TargetURL: "https://x.example/h"})
			return err
		}, "the webhook has no secret"},
	}
	for _, tt := range tests {
		err := tt.call()
		if !errors.Is(err, instantly.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want …%s", tt.name, err, tt.want)
		}
	}
	if n := f.SB.RequestCount(sandbox.Instantly); n != 0 {
		t.Errorf("%d requests sent for refused input", n)
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"ftp://api.instantly.ai", "https://api.instantly.ai/api/v2?key=x", "https://user:pw@api.instantly.ai", "api.instantly.ai"} {
		if _, err := instantly.New(instantly.Config{BaseURL: u}); err == nil {
			t.Errorf("New accepted %q", u)
		}
	}
	c, err := instantly.New(instantly.Config{})
	if err != nil || c.HasKey() {
		t.Errorf("the default base URL: %v, key %v", err, c.HasKey())
	}
	if !c.WithKey("k").HasKey() || c.HasKey() {
		t.Error("WithKey changed the original or did not set the key")
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	clock := providerstest.NewClock(providerstest.Epoch)
	client, err := instantly.New(instantly.Config{APIKey: "ik_secret_key", BaseURL: "http://" + addr + "/api/v2", Settings: providerstest.Settings(clock, &providerstest.Recorder{})})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.ActivateCampaign(context.Background(), "019942fb-54a1-73dc-89a2-5f7483674a3d")
	if !errors.Is(err, instantly.ErrUnavailable) || !providers.IsUnavailable(err) {
		t.Fatalf("err = %v", err)
	}
	if want := "Instantly could not be reached to activate the campaign: request failed: try again later"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if strings.Contains(fmt.Sprintf("%v %+v", err, err), "ik_secret_key") {
		t.Error("the key is in the error")
	}
	if n := len(clock.Sleeps()); n != 3 {
		t.Errorf("retries = %d, want 3 back-offs", n)
	}
}
