package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	sandboxinstantly "github.com/prospectorhq/prospector/internal/sandbox/instantly"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// instantlyCampaign is a drafted campaign of c's (two drafts) whose
// sending goes through the sandbox's Instantly, with a sender profile.
func instantlyCampaign(t *testing.T, srv *apptest.Server, c *apptest.Client) (string, []string) {
	t.Helper()
	if resp := c.JSON("PUT", "/api/settings/sending", map[string]any{"sender_name": "Dana Reyes", "company_name": "Reyes Growth",
		"postal_address": "100 Congress Ave, Suite 200, Austin, TX 78701", "default_timezone": "America/Chicago"}); resp.Status != http.StatusOK {
		t.Fatalf("sender profile = %d %s", resp.Status, resp.Body)
	}
	id := reachableCampaign(t, srv, c)
	if resp := c.JSON("PATCH", "/api/campaigns/"+id, map[string]any{"sending": map[string]any{"provider": "instantly",
		"instantly_accounts": []string{"dana@reyes-growth.example"}}}); resp.Status != http.StatusOK {
		t.Fatalf("sending settings = %d %s", resp.Status, resp.Body)
	}
	return id, twoDrafts(t, c, id)
}

// waitInstantly polls the fake until ok holds of its campaigns.
func waitInstantly(t *testing.T, fk *sandboxinstantly.Fake, what string, ok func([]sandboxinstantly.Campaign) bool) []sandboxinstantly.Campaign {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		camps := fk.Campaigns()
		if ok(camps) {
			return camps
		}
		if time.Now().After(deadline) {
			t.Fatalf("Instantly never got %s: %+v", what, camps)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestApprovedSequencesArePushedToInstantly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, nil)
		c, _ := srv.SignUp(t)
		id, drafts := instantlyCampaign(t, srv, c)
		if v := getCampaignSending(t, c, id); !v.Ready {
			t.Fatalf("campaign through Instantly not ready: %q", v.Problems)
		}
		if resp := c.JSON("POST", "/api/outreach/approve", map[string]any{"ids": drafts}); resp.Status != http.StatusOK {
			t.Fatalf("approve = %d %s", resp.Status, resp.Body)
		}
		fk := srv.Sandbox.Instantly()
		camps := waitInstantly(t, fk, "an active campaign with both leads", func(cs []sandboxinstantly.Campaign) bool {
			return len(cs) == 1 && cs[0].Status == 1 && len(fk.Leads(cs[0].ID)) == 2
		})
		if c := camps[0]; c.Name != "Send" || c.Activations != 1 {
			t.Errorf("campaign = %q activated %d times, want Send once", c.Name, c.Activations)
		}
		srv.WaitJobsIdle(t)
		for _, d := range drafts {
			var seq sequence
			c.Get("/api/outreach/"+d).JSON(t, &seq)
			if seq.Status != "scheduled" {
				t.Errorf("sequence %s = %s, want scheduled (Instantly's to send)", d, seq.Status)
			}
		}
		var l struct {
			Data []messageView `json:"data"`
		}
		c.Get("/api/messages?campaign_id="+id).JSON(t, &l)
		if len(l.Data) != 0 {
			t.Errorf("SMTP messages = %+v, want none", l.Data)
		}
		if n := len(fk.Webhooks()); n != 1 {
			t.Errorf("webhooks = %d, want 1", n)
		}

		// Pausing the campaign pauses Instantly's.
		if resp := c.JSON("POST", "/api/campaigns/"+id+"/pause", nil); resp.Status != http.StatusOK {
			t.Fatalf("pause = %d %s", resp.Status, resp.Body)
		}
		waitInstantly(t, fk, "the pause", func(cs []sandboxinstantly.Campaign) bool { return cs[0].Status == 2 })
		if n := len(fk.Campaigns()); n != 1 {
			t.Errorf("campaigns = %d, want still 1", n)
		}
	})
}

func TestInstantlyRefusalIsShownOnTheCampaign(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, map[string]string{"INSTANTLY_API_KEY": "a-key-instantly-does-not-know"})
		c, _ := srv.SignUp(t)
		id, drafts := instantlyCampaign(t, srv, c)
		if resp := c.JSON("POST", "/api/outreach/approve", map[string]any{"ids": drafts}); resp.Status != http.StatusOK {
			t.Fatalf("approve = %d %s", resp.Status, resp.Body)
		}
		srv.WaitJobsIdle(t)
		v := getCampaignSending(t, c, id)
		if v.Ready || len(v.Problems) != 1 || !strings.Contains(v.Problems[0], "Instantly refused the API key") {
			t.Errorf("readiness = %v %q, want the refused key", v.Ready, v.Problems)
		}
		if n := len(srv.Sandbox.Instantly().Campaigns()); n != 0 {
			t.Errorf("campaigns = %d, want none", n)
		}
		var seq sequence
		c.Get("/api/outreach/"+drafts[0]).JSON(t, &seq)
		if seq.Status != "approved" {
			t.Errorf("sequence = %s, want still approved", seq.Status)
		}
	})
}
