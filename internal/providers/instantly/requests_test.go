package instantly_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers/instantly"
)

func TestCreateCampaignSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	c, err := f.Client.CreateCampaign(context.Background(), campaignParams())
	checkSecrets(t, f, f.SB.InstantlyAPIKey, err)
	if err != nil {
		t.Fatal(err)
	}
	reqs := requests(f)
	if len(reqs) != 1 {
		t.Fatalf("requests = %d", len(reqs))
	}
	checkRequest(t, f, reqs[0], "POST", "/campaigns", "create_campaign.request.json", nil)
	if c.ID == "" || c.Name != "Austin plumbers — Q3 (Prospector)" || c.Status != instantly.StatusDraft || c.TimestampCreated == "" {
		t.Errorf("campaign = %+v", c)
	}
	held, ok := f.SB.Instantly().Campaign(c.ID)
	if !ok || held.Status != 0 {
		t.Errorf("the fake holds %+v", held)
	}
	calls := f.Rec.Calls()
	if len(calls) != 1 || calls[0].Endpoint != instantly.EndpointCreateCampaign || calls[0].Status != 200 || calls[0].Err != nil || calls[0].CostUSD != 0 {
		t.Errorf("calls = %+v", calls)
	}
}

func TestActivateAndPauseSendNoBody(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	ctx := context.Background()
	c := newCampaign(t, f)
	steps := []struct {
		name   string
		do     func(context.Context, string) (instantly.Campaign, error)
		path   string
		status instantly.CampaignStatus
	}{
		{"activate", f.Client.ActivateCampaign, "/campaigns/" + c.ID + "/activate", instantly.StatusActive},
		{"pause", f.Client.PauseCampaign, "/campaigns/" + c.ID + "/pause", instantly.StatusPaused},
		{"resume", f.Client.ActivateCampaign, "/campaigns/" + c.ID + "/activate", instantly.StatusActive},
	}
	for i, s := range steps {
		got, err := s.do(ctx, c.ID)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got.ID != c.ID || got.Status != s.status {
			t.Errorf("%s: campaign = %+v", s.name, got)
		}
		if held, _ := f.SB.Instantly().Campaign(c.ID); held.Status != int(s.status) {
			t.Errorf("%s: the fake's campaign is %d", s.name, held.Status)
		}
		checkRequest(t, f, requests(f)[1+i], "POST", s.path, "", nil)
	}
	if _, err := f.Client.ActivateCampaign(ctx, ""); err == nil || !strings.Contains(err.Error(), "no campaign id") {
		t.Errorf("empty id: %v", err)
	}
	if n := len(requests(f)); n != 4 {
		t.Errorf("requests = %d, want 4", n)
	}
}

func TestAddLeadsSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	ctx := context.Background()
	c := newCampaign(t, f)
	leads := []instantly.Lead{
		{Email: "dana@lonestarplumbing.example", FirstName: "Dana", LastName: "Reyes", CompanyName: "Lone Star Plumbing",
			Website: "https://lonestarplumbing.example", Steps: sequence("Lone Star Plumbing")},
		{Email: "info@brightsmile.example", CompanyName: "Bright Smile Dental", Steps: sequence("Bright Smile Dental")[:2]},
	}
	res, err := f.Client.AddLeads(ctx, c.ID, leads)
	checkSecrets(t, f, f.SB.InstantlyAPIKey, err)
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, f, requests(f)[1], "POST", "/leads/add", "add_leads.request.json", map[string]string{c.ID: "CAMPAIGN_ID"})
	held := f.SB.Instantly().Leads(c.ID)
	if res.Sent != 2 || res.Uploaded != 2 || res.Skipped != 0 || len(res.IDs) != 2 || len(held) != 2 ||
		res.IDs["dana@lonestarplumbing.example"] != held[0].ID || res.IDs["info@brightsmile.example"] != held[1].ID {
		t.Errorf("result %+v, held %+v", res, held)
	}
	// What Instantly will merge into {{p_body_1}} is the approved text as HTML.
	if got := held[0].CustomVariables["p_body_1"]; got != "Hi Dana,<br/><br/>Your site loads in 9 s on a phone &amp; the booking form is &lt;hidden&gt;.<br/><br/>Best,<br/>Sam" {
		t.Errorf("p_body_1 = %q", got)
	}
	if got := held[0].CustomVariables["p_subject_2"]; got != "Re: Quick question about Lone Star Plumbing" {
		t.Errorf("p_subject_2 = %q", got)
	}

	// Sending the same leads again (a retry after a lost answer) adds nobody.
	again, err := f.Client.AddLeads(ctx, c.ID, leads)
	if err != nil || again.Uploaded != 0 || again.Skipped != 2 || len(f.SB.Instantly().Leads(c.ID)) != 2 {
		t.Errorf("again: %+v %v", again, err)
	}
}

func TestAddLeadsSplitsLongLists(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	c := newCampaign(t, f)
	leads := make([]instantly.Lead, 2500)
	for i := range leads {
		leads[i] = instantly.Lead{Email: fmt.Sprintf("owner%d@business%d.example", i, i), Steps: []instantly.Email{{Subject: "Hi", Body: "Hello"}}}
	}
	res, err := f.Client.AddLeads(context.Background(), c.ID, leads)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 2500 || res.Uploaded != 2500 || len(res.IDs) != 2500 || len(f.SB.Instantly().Leads(c.ID)) != 2500 {
		t.Errorf("result sent=%d uploaded=%d ids=%d", res.Sent, res.Uploaded, len(res.IDs))
	}
	reqs := requests(f)[1:]
	if len(reqs) != 3 {
		t.Fatalf("uploads = %d, want 3", len(reqs))
	}
	for i, want := range []int{1000, 1000, 500} {
		if n := strings.Count(string(reqs[i].Body), `"email":`); n != want {
			t.Errorf("upload %d carried %d leads, want %d", i, n, want)
		}
	}
}

func TestCreateWebhookSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	const secret = "whsec_9f2c41d07a"
	p := instantly.WebhookParams{TargetURL: "https://prospector.example.com/api/webhooks/instantly", Secret: secret}
	w, err := f.Client.CreateWebhook(context.Background(), p)
	checkSecrets(t, f, f.SB.InstantlyAPIKey, err)
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, f, requests(f)[0], "POST", "/webhooks", "create_webhook.request.json", nil)
	if w.ID == "" || w.TargetHookURL != p.TargetURL || w.EventType != instantly.EventAllEvents || w.Campaign != nil || w.Headers[instantly.SecretHeader] != secret {
		t.Errorf("webhook = %+v", w)
	}
	held := f.SB.Instantly().Webhooks()
	if len(held) != 1 || held[0].Headers["X-Prospector-Secret"] != secret || held[0].Name != "Prospector" {
		t.Errorf("the fake holds %+v", held)
	}
}

func TestEnsureWebhookRegistersOnce(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	ctx := context.Background()
	p := instantly.WebhookParams{TargetURL: "https://prospector.example.com/api/webhooks/instantly", Secret: "first-secret"}
	tests := []struct {
		name        string
		params      instantly.WebhookParams
		wantCreated bool
		wantHooks   int
	}{
		{"first registration", p, true, 1},
		{"again, same secret", p, false, 1},
		{"a new secret", instantly.WebhookParams{TargetURL: p.TargetURL, Secret: "rotated-secret"}, true, 2},
		{"another instance", instantly.WebhookParams{TargetURL: "https://other.example.com/api/webhooks/instantly", Secret: "first-secret"}, true, 3},
	}
	for _, tt := range tests {
		w, created, err := f.Client.EnsureWebhook(ctx, tt.params)
		if err != nil || created != tt.wantCreated || w.ID == "" || w.TargetHookURL != tt.params.TargetURL {
			t.Errorf("%s: %+v created=%v %v", tt.name, w, created, err)
		}
		if n := len(f.SB.Instantly().Webhooks()); n != tt.wantHooks {
			t.Errorf("%s: webhooks = %d, want %d", tt.name, n, tt.wantHooks)
		}
	}
	r := requests(f)[0]
	if r.Method != "GET" || r.Path != "/instantly/api/v2/webhooks" || r.Query.Get("limit") != "100" || len(r.Body) != 0 {
		t.Errorf("list request = %s %s %v", r.Method, r.Path, r.Query)
	}
}

func TestListWebhooksFollowsPages(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	ctx := context.Background()
	for i := range 130 {
		if _, err := f.Client.CreateWebhook(ctx, instantly.WebhookParams{TargetURL: fmt.Sprintf("https://h%d.example/hook", i), Secret: "s"}); err != nil {
			t.Fatal(err)
		}
	}
	hooks, err := f.Client.ListWebhooks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 130 || hooks[0].TargetHookURL != "https://h0.example/hook" || hooks[129].TargetHookURL != "https://h129.example/hook" {
		t.Errorf("listed %d", len(hooks))
	}
	lists := requests(f)[130:]
	if len(lists) != 2 || lists[0].Query.Get("starting_after") != "" || lists[1].Query.Get("starting_after") != hooks[99].ID {
		t.Errorf("list requests %+v", lists)
	}
}
