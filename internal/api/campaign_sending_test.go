package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type campaignSendingView struct {
	Sending struct {
		Provider   string   `json:"provider"`
		MailboxIDs []string `json:"mailbox_ids"`
		Schedule   struct {
			Timezone *string `json:"timezone"`
			Days     []int   `json:"days"`
			Start    string  `json:"start"`
			End      string  `json:"end"`
		} `json:"schedule"`
		MinGapSeconds int  `json:"min_gap_seconds"`
		MaxGapSeconds int  `json:"max_gap_seconds"`
		DailyLimit    *int `json:"daily_limit"`
		StopOnReply   bool `json:"stop_on_reply"`
		TrackOpens    bool `json:"track_opens"`
	} `json:"sending"`
	Ready    bool     `json:"sending_ready"`
	Problems []string `json:"sending_problems"`
}

func getCampaignSending(t *testing.T, c *apptest.Client, id string) campaignSendingView {
	t.Helper()
	resp := c.Get("/api/campaigns/" + id)
	if resp.Status != http.StatusOK {
		t.Fatalf("get campaign = %d %s", resp.Status, resp.Body)
	}
	var v campaignSendingView
	resp.JSON(t, &v)
	return v
}

func TestCampaignSendingSettingsAndReadiness(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		a, b := twoUsers(t, srv)
		id := createCampaign(t, a, nil)["id"].(string)

		v := getCampaignSending(t, a, id)
		s := v.Sending
		if s.Provider != "smtp" || len(s.MailboxIDs) != 0 || s.Schedule.Timezone != nil || len(s.Schedule.Days) != 5 ||
			s.Schedule.Start != "09:00" || s.Schedule.End != "17:00" || s.MinGapSeconds != 540 || s.MaxGapSeconds != 840 ||
			s.DailyLimit != nil || !s.StopOnReply || s.TrackOpens {
			t.Errorf("new campaign's sending = %+v, want the contract's defaults", s)
		}
		if v.Ready || len(v.Problems) != 3 {
			t.Errorf("readiness with nothing set up = %v %q, want 3 problems (name, postal address, mailbox)", v.Ready, v.Problems)
		}

		a.JSON("PUT", sendingPath, map[string]any{"sender_name": "Dana Reyes", "postal_address": "1200 Congress Ave, Austin, TX 78701"})
		m, resp := createMailbox(t, a, map[string]any{"email": "dana@reyes.example", "smtp_host": "smtp.reyes.example", "smtp_password": smtpPassword})
		if resp.Status != http.StatusCreated {
			t.Fatalf("create mailbox = %d %s", resp.Status, resp.Body)
		}
		resp = a.JSON("PATCH", "/api/campaigns/"+id, map[string]any{"sending": map[string]any{
			"mailbox_ids": []string{m.ID}, "schedule": map[string]any{"timezone": "America/Chicago", "start": "08:30"}, "daily_limit": 40}})
		if resp.Status != http.StatusOK {
			t.Fatalf("PATCH sending = %d %s", resp.Status, resp.Body)
		}
		v = getCampaignSending(t, a, id)
		if !v.Ready || len(v.Problems) != 0 || v.Sending.Schedule.Start != "08:30" || v.Sending.Schedule.End != "17:00" ||
			*v.Sending.Schedule.Timezone != "America/Chicago" || *v.Sending.DailyLimit != 40 || v.Sending.MinGapSeconds != 540 {
			t.Errorf("after PATCH = %+v, want ready with only the named keys changed", v)
		}
		// A PATCH of one key keeps the others.
		a.JSON("PATCH", "/api/campaigns/"+id, map[string]any{"sending": map[string]any{"track_opens": true}})
		if v = getCampaignSending(t, a, id); !v.Sending.TrackOpens || len(v.Sending.MailboxIDs) != 1 {
			t.Errorf("after a second PATCH = %+v, want track_opens on and the mailbox kept", v.Sending)
		}
		a.JSON("POST", "/api/mailboxes/"+m.ID+"/pause", nil)
		if v = getCampaignSending(t, a, id); v.Ready || len(v.Problems) != 1 || !strings.Contains(v.Problems[0], "paused") {
			t.Errorf("with its only mailbox paused = %v %q", v.Ready, v.Problems)
		}
		a.JSON("DELETE", "/api/mailboxes/"+m.ID, nil)
		if v = getCampaignSending(t, a, id); v.Ready || len(v.Problems) != 1 || !strings.Contains(v.Problems[0], "deleted") {
			t.Errorf("with its mailbox deleted = %v %q", v.Ready, v.Problems)
		}

		// Another user's mailbox cannot be named.
		theirs, _ := createMailbox(t, b, map[string]any{"email": "them@other.example", "smtp_host": "smtp.other.example", "smtp_password": smtpPassword})
		resp = a.JSON("PATCH", "/api/campaigns/"+id, map[string]any{"sending": map[string]any{"mailbox_ids": []string{theirs.ID}}})
		if resp.Status != 400 || resp.ErrorCode(t) != "validation_failed" || !strings.Contains(string(resp.Body), "sending.mailbox_ids") {
			t.Errorf("naming another user's mailbox = %d %s, want 400 on sending.mailbox_ids", resp.Status, resp.Body)
		}

		for _, tc := range []struct{ name, sending, field string }{
			{"unknown key", `{"from":"x"}`, "sending.from"},
			{"unknown provider", `{"provider":"sendgrid"}`, "sending.provider"},
			{"not a list of ids", `{"mailbox_ids":["x"]}`, "sending.mailbox_ids"},
			{"bad time zone", `{"schedule":{"timezone":"Mars/Olympus"}}`, "sending.schedule.timezone"},
			{"weekday 8", `{"schedule":{"days":[1,8]}}`, "sending.schedule.days"},
			{"no weekdays", `{"schedule":{"days":[]}}`, "sending.schedule.days"},
			{"bad clock", `{"schedule":{"start":"9am"}}`, "sending.schedule.start"},
			{"end before start", `{"schedule":{"start":"18:00"}}`, "sending.schedule.end"},
			{"unknown schedule key", `{"schedule":{"hours":8}}`, "sending.schedule.hours"},
			{"gap too long", `{"max_gap_seconds":86401}`, "sending.max_gap_seconds"},
			{"max below min", `{"min_gap_seconds":900}`, "sending.max_gap_seconds"},
			{"wrong type", `{"stop_on_reply":"yes"}`, "sending.stop_on_reply"},
			{"daily limit zero", `{"daily_limit":0}`, "sending.daily_limit"},
			{"not an object", `[1]`, "sending"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp := a.JSON("PATCH", "/api/campaigns/"+id, `{"sending":`+tc.sending+`}`)
				if resp.Status != 400 || resp.ErrorCode(t) != "validation_failed" || !strings.Contains(string(resp.Body), `"`+tc.field+`"`) {
					t.Errorf("PATCH sending %s = %d %s, want 400 naming %s", tc.sending, resp.Status, resp.Body, tc.field)
				}
			})
		}
		// Another user's campaign is not found.
		if resp := b.JSON("PATCH", "/api/campaigns/"+id, map[string]any{"sending": map[string]any{"track_opens": false}}); resp.Status != http.StatusNotFound {
			t.Errorf("another user's PATCH = %d, want 404", resp.Status)
		}
	})
}
