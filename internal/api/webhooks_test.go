package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	sandboxinstantly "github.com/prospectorhq/prospector/internal/sandbox/instantly"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// instantlyPushed is c's campaign through Instantly with both drafts
// approved and pushed: Instantly's campaign id, the leads' addresses by
// sequence id, and the secret Instantly sends back with every event.
func instantlyPushed(t *testing.T, srv *apptest.Server, c *apptest.Client) (campaignID, instantlyID string, leads map[string]string, secret string) {
	t.Helper()
	fk := srv.Sandbox.Instantly()
	before := len(fk.Campaigns())
	id, drafts := instantlyCampaign(t, srv, c)
	if resp := c.JSON("POST", "/api/outreach/approve", map[string]any{"ids": drafts}); resp.Status != http.StatusOK {
		t.Fatalf("approve = %d %s", resp.Status, resp.Body)
	}
	camps := waitInstantly(t, fk, "the campaign with both leads", func(cs []sandboxinstantly.Campaign) bool {
		return len(cs) == before+1 && len(fk.Leads(cs[before].ID)) == 2
	})
	srv.WaitJobsIdle(t)
	leads = map[string]string{}
	for _, d := range drafts {
		var p struct {
			Contacts []struct {
				ID    string `json:"id"`
				Email string `json:"email"`
			} `json:"contacts"`
		}
		var s sequence
		c.Get("/api/outreach/"+d).JSON(t, &s)
		c.Get("/api/prospects/"+s.ProspectID).JSON(t, &p)
		for _, ct := range p.Contacts {
			if ct.ID == s.ContactID {
				leads[d] = ct.Email
			}
		}
	}
	hooks := fk.Webhooks()
	return id, camps[before].ID, leads, hooks[len(hooks)-1].Headers["X-Prospector-Secret"]
}

func TestInstantlyWebhookEvents(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, nil)
		c, _ := srv.SignUp(t)
		id, instantlyID, leads, secret := instantlyPushed(t, srv, c)
		if secret == "" {
			t.Fatal("the webhook carries no X-Prospector-Secret")
		}
		var seqA, seqB string
		for s := range leads {
			if seqA == "" {
				seqA = s
			} else {
				seqB = s
			}
		}
		fk := srv.Sandbox.Instantly()
		target := srv.URL + "/api/webhooks/instantly"
		deliver := func(ev map[string]any) {
			t.Helper()
			ev["campaign_id"] = instantlyID
			// Lead fields arrive as extra top-level keys.
			ev["firstName"], ev["companyName"], ev["city"] = "Ana", "Acme Plumbing", "Austin"
			statuses, err := fk.Deliver(context.Background(), target, ev)
			if err != nil || len(statuses) != 1 || statuses[0] != http.StatusOK {
				t.Fatalf("deliver %v = %v, %v; want one 200", ev["event_type"], statuses, err)
			}
		}
		messages := func(seq string) []messageView {
			var l struct {
				Data []messageView `json:"data"`
			}
			c.Get("/api/messages?sequence_id="+seq).JSON(t, &l)
			return l.Data
		}
		outreachSent := func() int {
			var camp struct {
				OutreachSent int `json:"outreach_sent"`
			}
			c.Get("/api/campaigns/"+id).JSON(t, &camp)
			return camp.OutreachSent
		}

		sent := map[string]any{"event_type": "email_sent", "lead_email": leads[seqA], "email_id": "em-1", "step": 1,
			"email_account": "dana@reyes-growth.example", "timestamp": "2026-12-02T16:00:00.000Z"}
		deliver(sent)
		deliver(map[string]any{"event_type": "email_sent", "lead_email": leads[seqA], "email_id": "em-1", "step": "1",
			"timestamp": "2026-12-02T16:00:00.000Z"}) // a repeat, step as a string
		ms := messages(seqA)
		if len(ms) != 1 || ms[0].Status != "sent" || ms[0].Provider != "instantly" || ms[0].Step != 1 || ms[0].SentAt == nil {
			t.Fatalf("messages after email_sent = %+v, want step 1 sent by Instantly", ms)
		}
		if n := outreachSent(); n != 1 {
			t.Errorf("outreach_sent = %d after one email sent twice, want 1", n)
		}
		deliver(map[string]any{"event_type": "email_opened", "lead_email": leads[seqA], "email_id": "em-1", "step": 1})
		deliver(map[string]any{"event_type": "link_clicked", "lead_email": leads[seqA], "email_id": "em-1", "step": 1})
		deliver(map[string]any{"event_type": "email_link_clicked", "lead_email": leads[seqA], "email_id": "em-1", "step": 1})
		deliver(map[string]any{"event_type": "lead_interested", "lead_email": leads[seqA]}) // ignored
		if m := messages(seqA)[0]; m.Opens != 1 || m.Clicks != 1 {
			t.Errorf("opens %d clicks %d, want 1 and 1 (the two click types are one event)", m.Opens, m.Clicks)
		}
		deliver(map[string]any{"event_type": "reply_received", "lead_email": leads[seqA], "email_id": "em-1", "step": 1,
			"reply_text_snippet": "Sure, send me more info", "reply_subject": "Re: hello"})
		var s sequence
		c.Get("/api/outreach/"+seqA).JSON(t, &s)
		if s.Status != "replied" {
			t.Errorf("sequence after reply_received = %s, want replied", s.Status)
		}
		// A bounce for the other lead, with no email_sent before it.
		deliver(map[string]any{"event_type": "email_bounced", "lead_email": leads[seqB], "email_id": "em-2", "step": 1})
		c.Get("/api/outreach/"+seqB).JSON(t, &s)
		if ms := messages(seqB); s.Status != "bounced" || len(ms) != 1 || ms[0].Status != "bounced" || ms[0].SentAt == nil {
			t.Errorf("after email_bounced: sequence %s, messages %+v; want bounced, its message sent then bounced", s.Status, ms)
		}
		if n := outreachSent(); n != 2 {
			t.Errorf("outreach_sent = %d, want 2", n)
		}
		var sup struct {
			Data []struct {
				Email string `json:"email"`
			} `json:"data"`
		}
		c.Get("/api/suppressions").JSON(t, &sup)
		if len(sup.Data) != 1 || !strings.EqualFold(sup.Data[0].Email, leads[seqB]) {
			t.Errorf("suppressions = %+v, want the bounced lead", sup.Data)
		}
		var evs struct {
			Data []struct {
				Type string `json:"type"`
			} `json:"data"`
		}
		c.Get("/api/events?campaign_id="+id).JSON(t, &evs)
		counts := map[string]int{}
		for _, e := range evs.Data {
			counts[e.Type]++
		}
		if counts["sent"] != 2 || counts["opened"] != 1 || counts["clicked"] != 1 || counts["replied"] != 1 || counts["bounced"] != 1 {
			t.Errorf("events = %v, want 2 sent and one each of opened, clicked, replied, bounced", counts)
		}
	})
}

func TestInstantlyWebhookRefusesBadInput(t *testing.T) {
	srv := startNoKeys(t, storetest.Engines()[0], nil)
	c, _ := srv.SignUp(t)
	_, instantlyID, leads, secret := instantlyPushed(t, srv, c)
	other, _ := srv.SignUp(t)
	_, otherInstantlyID, _, otherSecret := instantlyPushed(t, srv, other)
	var lead string
	for _, l := range leads {
		lead = l
	}
	hook := func(secret, contentType, body string) *apptest.Response {
		t.Helper()
		cl := srv.Client(t)
		if secret != "" {
			cl.Header = http.Header{"X-Prospector-Secret": {secret}}
		}
		return cl.Do("POST", "/api/webhooks/instantly", contentType, strings.NewReader(body))
	}
	good := `{"event_type": "email_opened", "campaign_id": "` + instantlyID + `", "lead_email": "` + lead + `", "step": 1}`
	tests := []struct {
		name, secret, contentType, body string
		status                          int
		code                            string
	}{
		{"no secret", "", "application/json", good, 401, "unauthorized"},
		{"a forged secret", secret[:len(secret)-2] + "xx", "application/json", good, 401, "unauthorized"},
		{"another purpose's token", "eyJ.abc", "application/json", good, 401, "unauthorized"},
		{"malformed JSON", secret, "application/json", `{"event_type": `, 400, "invalid_json"},
		{"not an object", secret, "application/json", `["email_opened"]`, 400, "invalid_json"},
		{"event_type of the wrong type", secret, "application/json", `{"event_type": 7}`, 400, "validation_failed"},
		{"step of the wrong type", secret, "application/json", `{"event_type": "email_opened", "campaign_id": "` + instantlyID +
			`", "lead_email": "` + lead + `", "step": {"n": 1}}`, 400, "validation_failed"},
		{"no campaign", secret, "application/json", `{"event_type": "email_opened", "lead_email": "` + lead + `"}`, 400, "validation_failed"},
		{"not JSON", secret, "text/plain", good, 415, "unsupported_media_type"},
		{"oversize", secret, "application/json", `{"event_type": "email_opened", "pad": "` + strings.Repeat("x", 1<<20) + `"}`, 413, "payload_too_large"},
		{"another user's campaign", secret, "application/json", `{"event_type": "email_opened", "campaign_id": "` + otherInstantlyID +
			`", "lead_email": "` + lead + `", "step": 1}`, 404, "not_found"},
		{"another user's secret for this campaign", otherSecret, "application/json", good, 404, "not_found"},
		{"an unknown lead", secret, "application/json", `{"event_type": "email_opened", "campaign_id": "` + instantlyID +
			`", "lead_email": "nobody@nowhere.example", "step": 1}`, 404, "not_found"},
		{"an unknown event type", secret, "application/json", `{"event_type": "lead_meeting_booked"}`, 200, ""},
		{"the good one", secret, "application/json", good, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := hook(tt.secret, tt.contentType, tt.body)
			if resp.Status != tt.status {
				t.Fatalf("= %d %s, want %d", resp.Status, resp.Body, tt.status)
			}
			if tt.code != "" {
				if got := resp.ErrorCode(t); got != tt.code {
					t.Errorf("code = %q, want %q", got, tt.code)
				}
			}
		})
	}
	// Nothing of the other user's changed.
	var l struct {
		Data []messageView `json:"data"`
	}
	other.Get("/api/messages").JSON(t, &l)
	if len(l.Data) != 0 {
		t.Errorf("the other user's messages = %+v, want none", l.Data)
	}
}
