package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// approvedWithMessages approves a seeded draft and gives it two messages as
// the sender would leave them: step 1 interrupted mid-send (uncertain),
// step 2 scheduled for tomorrow. It returns their ids.
func approvedWithMessages(t *testing.T, srv *apptest.Server, userID, seqID string) (uncertain, scheduled string) {
	t.Helper()
	ctx := context.Background()
	err := srv.App.Store.Write(ctx, userID, func(tx *store.Tx) error {
		o, err := tx.ApproveOutreach(ctx, seqID)
		if err != nil {
			return err
		}
		if _, err := tx.SetOutreachStatus(ctx, seqID, []string{mailstore.OutreachApproved}, mailstore.OutreachScheduled, nil); err != nil {
			return err
		}
		for step, at := range map[int]time.Time{1: time.Now().Add(-time.Minute), 2: time.Now().Add(24 * time.Hour)} {
			m, _, err := tx.ScheduleMessage(ctx, mailstore.NewMessage{CampaignID: o.CampaignID, SequenceID: seqID, ProspectID: o.ProspectID,
				ContactID: o.ContactID, Step: step, ToEmail: "owner@acmeplumbing.test", Subject: "Step subject", Body: "Hello",
				Provider: "smtp", ScheduledAt: at})
			if err != nil {
				return err
			}
			if step == 2 {
				scheduled = m.ID
				continue
			}
			uncertain = m.ID
			if _, _, err := tx.EndMessage(ctx, m.ID, mailstore.MessageUncertain, "The send was interrupted."); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("approve and schedule: %v", err)
	}
	return uncertain, scheduled
}

// other is a second user, signed in, who owns nothing of the first's.
func other(t *testing.T, srv *apptest.Server) *browser {
	t.Helper()
	b := newBrowser(t, srv)
	b.signUp("eve-" + store.NewID()[24:] + "@example.test")
	return b
}

func message(t *testing.T, srv *apptest.Server, userID, id string) mailstore.Message {
	t.Helper()
	var m mailstore.Message
	err := srv.App.Store.Read(context.Background(), userID, func(tx *store.Tx) (err error) {
		m, err = tx.Message(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestASequencesEmailsAreResolvedAndStoppedFromItsPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		userID := b.signUp("ada@example.test")
		campaignID := b.createCampaign(nil)
		seq := seedDraft(t, srv, userID, campaignID, "Acme Plumbing")
		uncertain, scheduled := approvedWithMessages(t, srv, userID, seq)
		here := "/app/emails/" + seq

		page := b.page(here)
		checkPage(t, "sequence with messages", page)
		got := text(t, page)
		for _, want := range []string{"Sent and scheduled", "Stop sequence", "did it go out?", "It was sent", "Send again", "Send now",
			"The send was interrupted."} {
			if !strings.Contains(got, want) {
				t.Errorf("the sequence's page lacks %q: %s", want, got)
			}
		}
		if strings.Contains(got, "Write again") {
			t.Errorf("an approved sequence offers to be written again: %s", got)
		}

		// The queue lists the interrupted email for the user to check.
		if got := text(t, b.page("/app/emails")); !strings.Contains(got, "Emails to check") || !strings.Contains(got, "to owner@acmeplumbing.test, email 1") {
			t.Errorf("the queue does not list the uncertain email: %s", got)
		}
		if got := text(t, other(t, srv).page("/app/emails")); strings.Contains(got, "Emails to check") {
			t.Errorf("another user's queue lists this user's uncertain email: %s", got)
		}

		// A resolve with an action the rules do not know says which field.
		a := b.post("/app/messages/"+uncertain+"/resolve", url.Values{"back": {here}, "action": {"shred"}})
		if a.status != http.StatusSeeOther || a.location() != here {
			t.Fatalf("a bad resolve = %d to %q", a.status, a.location())
		}
		if got := text(t, b.page(here)); !strings.Contains(got, "action") {
			t.Errorf("a refused resolve does not say what was wrong: %s", got)
		}
		if m := message(t, srv, userID, uncertain); m.Status != mailstore.MessageUncertain {
			t.Errorf("a refused resolve changed the message: %s", m.Status)
		}

		// "It was sent" settles it as sent.
		b.post("/app/messages/"+uncertain+"/resolve", url.Values{"back": {here}, "action": {"mark_sent"}})
		if m := message(t, srv, userID, uncertain); m.Status != mailstore.MessageSent || m.SentAt == nil {
			t.Errorf("after 'It was sent' the message is %s (sent at %v)", m.Status, m.SentAt)
		}
		if got := text(t, b.page(here)); !strings.Contains(got, "Marked as sent") {
			t.Errorf("the page does not confirm the resolve: %s", got)
		}
		if got := text(t, b.page("/app/emails")); strings.Contains(got, "Emails to check") {
			t.Errorf("a resolved email is still listed to check: %s", got)
		}

		// A reply to it is on the dashboard, with its opening words.
		if got := text(t, b.page("/app")); !strings.Contains(got, "No replies yet") {
			t.Errorf("the dashboard before any reply: %s", got)
		}
		snippet := "Sounds good, call me Tuesday"
		err := srv.App.Store.Write(context.Background(), userID, func(tx *store.Tx) error {
			m, err := tx.Message(context.Background(), uncertain)
			if err != nil {
				return err
			}
			return tx.AddEvent(context.Background(), m, mailstore.EventReplied, &snippet)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := text(t, b.page("/app")); !strings.Contains(got, "Recent replies") || !strings.Contains(got, "owner@acmeplumbing.test") ||
			!strings.Contains(got, "“"+snippet+"”") {
			t.Errorf("the dashboard does not show the reply: %s", got)
		}
		if got := text(t, other(t, srv).page("/app")); strings.Contains(got, snippet) {
			t.Errorf("another user's dashboard shows this user's reply: %s", got)
		}

		// The campaign's page counts each email: the first sent, the second
		// scheduled.
		steps := rows(t, b.page("/app/campaigns/"+campaignID), "Each email")
		if len(steps) != 2 || !strings.HasPrefix(steps[0], "Email 1 0 1 ") || !strings.HasPrefix(steps[1], "Email 2 1 0 ") {
			t.Errorf("the campaign's emails table = %q", steps)
		}

		// Another user sees none of it: every action on these ids is 404.
		eve := other(t, srv)
		for path, form := range map[string]url.Values{
			"/app/messages/" + scheduled + "/resolve":  {"action": {"resend"}},
			"/app/messages/" + scheduled + "/send-now": {},
			"/app/emails/" + seq + "/stop":             {},
			"/app/emails/" + seq + "/regenerate":       {},
		} {
			if a := eve.post(path, form); a.status != http.StatusNotFound {
				t.Errorf("another user's POST %s = %d, want 404", path, a.status)
			}
		}
		if got := eve.get(here); got.status != http.StatusNotFound {
			t.Errorf("another user's sequence page = %d, want 404", got.status)
		}

		// Regenerating an approved sequence is refused on the page.
		b.post("/app/emails/"+seq+"/regenerate", url.Values{})
		if got := text(t, b.page(here)); !strings.Contains(got, "only a draft is written again") {
			t.Errorf("regenerating an approved sequence is not refused: %s", got)
		}

		// Stop: the scheduled email is cancelled and the button goes.
		a = b.post("/app/emails/"+seq+"/stop", url.Values{})
		if a.status != http.StatusSeeOther || a.location() != here {
			t.Fatalf("stop = %d to %q", a.status, a.location())
		}
		if m := message(t, srv, userID, scheduled); m.Status != mailstore.MessageCancelled {
			t.Errorf("after stopping, the scheduled email is %s", m.Status)
		}
		got = text(t, b.page(here))
		if !strings.Contains(got, "Stopped: the emails not yet sent are cancelled.") || strings.Contains(got, "Stop sequence") {
			t.Errorf("after stopping, the page: %s", got)
		}
		// A second stop is a conflict shown on the page, not an error page.
		a = b.post("/app/emails/"+seq+"/stop", url.Values{})
		if a.status != http.StatusSeeOther {
			t.Errorf("a second stop = %d", a.status)
		}
		if got := text(t, b.page(here)); !strings.Contains(got, "it has already ended") {
			t.Errorf("a second stop does not say why: %s", got)
		}
	})
}

func TestADraftIsWrittenAgainFromItsPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		userID := b.signUp("ada@example.test")
		campaignID := b.createCampaign(nil)
		seq := seedDraft(t, srv, userID, campaignID, "Acme Plumbing")

		if got := text(t, b.page("/app/emails/"+seq)); !strings.Contains(got, "Write again") || strings.Contains(got, "Stop sequence") {
			t.Errorf("a draft's page: %s", got)
		}
		a := b.post("/app/emails/"+seq+"/regenerate", url.Values{})
		queue := "/app/emails?campaign_id=" + campaignID
		if a.status != http.StatusSeeOther || a.location() != queue {
			t.Fatalf("regenerate = %d to %q, want 303 to %s", a.status, a.location(), queue)
		}
		if got := text(t, b.page(queue)); !strings.Contains(got, "A new draft is being written to Acme Plumbing") {
			t.Errorf("the queue does not say a new draft is coming: %s", got)
		}
	})
}
