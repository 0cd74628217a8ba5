package api_test

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type messageView struct {
	ID            string     `json:"id"`
	SequenceID    string     `json:"sequence_id"`
	CampaignID    string     `json:"campaign_id"`
	Step          int        `json:"step"`
	MailboxID     *string    `json:"mailbox_id"`
	ToEmail       string     `json:"to_email"`
	Subject       string     `json:"subject"`
	Status        string     `json:"status"`
	StatusReason  *string    `json:"status_reason"`
	ScheduledAt   time.Time  `json:"scheduled_at"`
	SentAt        *time.Time `json:"sent_at"`
	MessageID     *string    `json:"message_id"`
	Provider      string     `json:"provider"`
	Opens         int        `json:"opens"`
	Clicks        int        `json:"clicks"`
	FirstOpenedAt *time.Time `json:"first_opened_at"`
	Events        []struct {
		Type      string `json:"type"`
		MessageID string `json:"message_id"`
		Machine   bool   `json:"machine"`
	} `json:"events"`
}

// sendingCampaign is a drafted campaign (two drafts) of c's whose sending
// is set up: a sender profile and a mailbox on the sandbox's SMTP server,
// a window open all week and no gaps. It returns the campaign id and the
// drafts' ids.
func sendingCampaign(t *testing.T, srv *apptest.Server, c *apptest.Client) (string, []string) {
	t.Helper()
	if resp := c.JSON("PUT", "/api/settings/sending", map[string]any{"sender_name": "Dana Reyes", "company_name": "Reyes Growth",
		"postal_address": "100 Congress Ave, Suite 200, Austin, TX 78701", "default_timezone": "America/Chicago"}); resp.Status != http.StatusOK {
		t.Fatalf("sender profile = %d %s", resp.Status, resp.Body)
	}
	host, port, _ := net.SplitHostPort(srv.Sandbox.SMTP.Addr())
	portNum, _ := strconv.Atoi(port)
	mb, resp := createMailbox(t, c, map[string]any{"email": "dana@reyes-growth.example", "smtp_host": host, "smtp_port": portNum,
		"smtp_security": "none", "smtp_username": sandboxsmtp.DefaultUsername, "smtp_password": sandboxsmtp.DefaultPassword,
		"daily_limit": 500, "warmup": map[string]any{"enabled": false}})
	if resp.Status != http.StatusCreated {
		t.Fatalf("mailbox = %d %s", resp.Status, resp.Body)
	}
	id := reachableCampaign(t, srv, c)
	if resp := c.JSON("PATCH", "/api/campaigns/"+id, map[string]any{"sending": map[string]any{"mailbox_ids": []string{mb.ID},
		"schedule":        map[string]any{"days": []int{1, 2, 3, 4, 5, 6, 7}, "start": "00:00", "end": "24:00"},
		"min_gap_seconds": 0, "max_gap_seconds": 0}}); resp.Status != http.StatusOK {
		t.Fatalf("sending settings = %d %s", resp.Status, resp.Body)
	}
	return id, twoDrafts(t, c, id)
}

// twoDrafts returns the ids of a campaign's drafts, which must be two.
func twoDrafts(t *testing.T, c *apptest.Client, campaignID string) []string {
	t.Helper()
	var drafts struct {
		Data []sequence `json:"data"`
	}
	c.Get("/api/outreach?campaign_id="+campaignID+"&status=draft").JSON(t, &drafts)
	var ids []string
	for _, d := range drafts.Data {
		ids = append(ids, d.ID)
	}
	if len(ids) != 2 {
		t.Fatalf("drafts = %d, want 2", len(ids))
	}
	return ids
}

// reachableCampaign imports two of the sandbox town's owners, whose mail
// servers take their mail, runs the pipeline to their drafts and returns
// the campaign id.
func reachableCampaign(t *testing.T, srv *apptest.Server, c *apptest.Client) string {
	t.Helper()
	csv := "company_name,email,first_name,last_name,title\n"
	n := 0
	for _, b := range srv.Sandbox.Town("plumber", "Austin, TX").Businesses {
		if b.Site == nil || !b.Site.MX || len(b.Site.People) == 0 || b.Site.People[0].Email == "" || n == 2 {
			continue
		}
		p := b.Site.People[0]
		csv += b.BaseName + "," + p.Email + "," + p.First + "," + p.Last + ",Owner\n"
		n++
	}
	if n != 2 {
		t.Fatal("the sandbox town has fewer than two owners with mail")
	}
	id := createCampaign(t, c, map[string]any{"name": "Send", "business_type": "plumber", "target_location": "Austin, TX",
		"target_criteria": map[string]any{"sources": []string{}, "tiers_for_outreach": []string{"A", "B", "C"}}})["id"].(string)
	if resp, res := importCSV(t, c, id, []byte(csv)); resp.Status != 200 || res.Imported != 2 {
		t.Fatalf("import = %d %s", resp.Status, resp.Body)
	}
	if resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil); resp.Status != http.StatusAccepted {
		t.Fatalf("start = %d %s", resp.Status, resp.Body)
	}
	waitStatus(t, c, id, "completed")
	return id
}

// waitMessages polls the campaign's messages until n of them are sent.
func waitMessages(t *testing.T, c *apptest.Client, campaignID string, n int) []messageView {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var l struct {
			Data []messageView `json:"data"`
		}
		c.Get("/api/messages?campaign_id="+campaignID).JSON(t, &l)
		sent := 0
		for _, m := range l.Data {
			if m.Status == "sent" {
				sent++
			}
		}
		if sent >= n {
			return l.Data
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages sent after 60 s: %+v", sent, n, l.Data)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestApprovedSequencesAreSentThroughTheQueue(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, nil)
		c, _ := srv.SignUp(t)
		mallory, _ := srv.SignUp(t)
		campaignID, drafts := sendingCampaign(t, srv, c)

		// Approving in the completed campaign sets it running and sends.
		if resp := c.JSON("POST", "/api/outreach/approve", map[string]any{"ids": drafts}); resp.Status != http.StatusOK {
			t.Fatalf("approve = %d %s", resp.Status, resp.Body)
		}
		msgs := waitMessages(t, c, campaignID, 2)
		if err := srv.Sandbox.SMTP.Wait(t.Context(), 2); err != nil {
			t.Fatal(err)
		}
		if n, d := srv.Sandbox.SMTP.Count(), srv.Sandbox.SMTP.Duplicates(); n != 2 || len(d) != 0 {
			t.Errorf("server received %d messages (duplicates %v), want 2, once each", n, d)
		}
		var sent, followUps []messageView
		for _, m := range msgs {
			switch {
			case m.Step == 1 && m.Status == "sent":
				sent = append(sent, m)
			case m.Step == 2 && m.Status == "scheduled":
				followUps = append(followUps, m)
			}
		}
		if len(sent) != 2 || len(followUps) != 2 {
			t.Fatalf("messages = %+v, want both first steps sent and both follow-ups scheduled", msgs)
		}
		if s := getStats(t, c, campaignID); s.Status != "running" {
			t.Errorf("campaign = %s, want running again", s.Status)
		}
		var one messageView
		if resp := c.Get("/api/messages/" + sent[0].ID); resp.Status != http.StatusOK {
			t.Fatalf("get message = %d %s", resp.Status, resp.Body)
		} else {
			resp.JSON(t, &one)
		}
		if one.MessageID == nil || one.SentAt == nil || one.Provider != "smtp" || len(one.Events) != 1 || one.Events[0].Type != "sent" ||
			one.Events[0].MessageID != one.ID {
			t.Errorf("message = %+v, want sent with its Message-ID and a sent event", one)
		}
		var seq sequence
		c.Get("/api/outreach/"+one.SequenceID).JSON(t, &seq)
		if seq.Status != "sent" {
			t.Errorf("sequence = %s, want sent", seq.Status)
		}

		// Filters, and another user sees none of it.
		var l struct {
			Data []messageView `json:"data"`
		}
		c.Get("/api/messages?status=scheduled&sequence_id="+one.SequenceID).JSON(t, &l)
		if len(l.Data) != 1 || l.Data[0].Step != 2 {
			t.Errorf("scheduled messages of the sequence = %+v, want its follow-up", l.Data)
		}
		mallory.Get("/api/messages").JSON(t, &l)
		if len(l.Data) != 0 {
			t.Errorf("another user lists %d messages, want none", len(l.Data))
		}
		for _, path := range []string{"/api/messages/" + one.ID} {
			if resp := mallory.Get(path); resp.Status != http.StatusNotFound {
				t.Errorf("another user's GET %s = %d, want 404", path, resp.Status)
			}
		}
		for _, tc := range []struct {
			path string
			body any
		}{
			{"/api/messages/" + followUps[0].ID + "/send-now", nil},
			{"/api/messages/" + one.ID + "/resolve", map[string]any{"action": "resend"}},
			{"/api/outreach/" + one.SequenceID + "/stop", nil},
		} {
			if resp := mallory.JSON("POST", tc.path, tc.body); resp.Status != http.StatusNotFound || resp.ErrorCode(t) != "not_found" {
				t.Errorf("another user's POST %s = %d %s, want 404", tc.path, resp.Status, resp.Body)
			}
		}

		// The rules: only a scheduled message is sent now, only an
		// uncertain one resolved.
		for _, tc := range []struct {
			name, path string
			body       any
			status     int
			code       string
		}{
			{"send-now of a sent message", "/api/messages/" + one.ID + "/send-now", nil, 409, "conflict"},
			{"resolve a sent message", "/api/messages/" + one.ID + "/resolve", map[string]any{"action": "mark_sent"}, 409, "conflict"},
			{"resolve with an unknown action", "/api/messages/" + one.ID + "/resolve", map[string]any{"action": "delete"}, 400, "validation_failed"},
			{"resolve with malformed JSON", "/api/messages/" + one.ID + "/resolve", `{"action":`, 400, "invalid_json"},
			{"resolve with an unknown field", "/api/messages/" + one.ID + "/resolve", `{"action":"resend","now":true}`, 400, "invalid_json"},
			{"resolve with a wrong type", "/api/messages/" + one.ID + "/resolve", `{"action":1}`, 400, "validation_failed"},
			{"resolve oversize", "/api/messages/" + one.ID + "/resolve", `{"action":"` + strings.Repeat("x", 1<<20) + `"}`, 413, "payload_too_large"},
			{"a message that is not an id", "/api/messages/nope/send-now", nil, 404, "not_found"},
			{"a missing message", "/api/messages/01a2a2a2-0000-7000-8000-000000000000/send-now", nil, 404, "not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp := c.JSON("POST", tc.path, tc.body)
				if resp.Status != tc.status || resp.ErrorCode(t) != tc.code {
					t.Errorf("POST %s = %d %.200s, want %d %s", tc.path, resp.Status, resp.Body, tc.status, tc.code)
				}
			})
		}
		for _, q := range []string{"status=bogus", "campaign_id=nope", "sequence_id=1"} {
			if resp := c.Get("/api/messages?" + q); resp.Status != 400 || resp.ErrorCode(t) != "validation_failed" {
				t.Errorf("GET /api/messages?%s = %d %s, want 400 validation_failed", q, resp.Status, resp.Body)
			}
		}
		anon := srv.Client(t)
		for _, path := range []string{"/api/messages", "/api/messages/" + one.ID} {
			if resp := anon.Get(path); resp.Status != http.StatusUnauthorized {
				t.Errorf("GET %s without auth = %d, want 401", path, resp.Status)
			}
		}

		// Send-now the follow-up (its day is days away), then stop the
		// other sequence: its follow-up is cancelled, nothing more goes.
		if resp := c.JSON("POST", "/api/messages/"+followUps[0].ID+"/send-now", nil); resp.Status != http.StatusAccepted {
			t.Fatalf("send-now = %d %s", resp.Status, resp.Body)
		}
		if err := srv.Sandbox.SMTP.Wait(t.Context(), 3); err != nil {
			t.Fatal(err)
		}
		resp := c.JSON("POST", "/api/outreach/"+followUps[1].SequenceID+"/stop", nil)
		resp.JSON(t, &seq)
		if resp.Status != http.StatusOK || seq.Status != "stopped" {
			t.Fatalf("stop = %d %s", resp.Status, resp.Body)
		}
		c.Get("/api/messages/"+followUps[1].ID).JSON(t, &one)
		if one.Status != "cancelled" {
			t.Errorf("the stopped sequence's follow-up = %s, want cancelled", one.Status)
		}
		if resp := c.JSON("POST", "/api/outreach/"+followUps[1].SequenceID+"/stop", nil); resp.Status != http.StatusConflict {
			t.Errorf("stopping again = %d, want 409", resp.Status)
		}
		if n := srv.Sandbox.SMTP.Count(); n != 3 {
			t.Errorf("server received %d messages in all, want 3", n)
		}
	})
}
