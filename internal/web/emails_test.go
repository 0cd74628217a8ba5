package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// sequence reads a sequence from the store.
func sequence(t *testing.T, srv *apptest.Server, userID, id string) (mailstore.OutreachSequence, []outreach.Step) {
	t.Helper()
	var o mailstore.OutreachSequence
	err := srv.App.Store.Read(context.Background(), userID, func(tx *store.Tx) (err error) {
		o, err = tx.Outreach(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var steps []outreach.Step
	if err := json.Unmarshal(o.Emails, &steps); err != nil {
		t.Fatal(err)
	}
	return o, steps
}

func TestTheReviewQueue(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		userID := b.signUp("ada@example.test")

		empty := text(t, b.page("/app/emails"))
		if !strings.Contains(empty, "No drafts wait for review") || !strings.Contains(empty, "Go to campaigns") {
			t.Errorf("the empty queue does not say what to do: %s", empty)
		}

		id := b.createCampaign(nil)
		acme := seedDraft(t, srv, userID, id, "Acme Plumbing")
		best := seedDraft(t, srv, userID, id, "Best Drains")
		cool := seedDraft(t, srv, userID, id, "Cool Pipes")
		queue := b.page("/app/emails?campaign_id=" + id)
		got := text(t, queue)
		for _, want := range []string{"Acme Plumbing", "owner@acmeplumbing.test", "A faster website for Acme Plumbing", "2 emails", "Passed",
			"Approve selected", "Select every draft on this page"} {
			if !strings.Contains(got, want) {
				t.Errorf("the queue lacks %q: %s", want, got)
			}
		}

		// Approve one from its row: back to the queue, saying so.
		back := "/app/emails?campaign_id=" + id
		a := b.post("/app/emails/"+acme+"/approve", url.Values{"back": {back}, "ids": {best}})
		if a.status != http.StatusSeeOther || a.location() != back {
			t.Fatalf("approve from the queue = %d to %q", a.status, a.location())
		}
		if o, _ := sequence(t, srv, userID, acme); o.Status == mailstore.OutreachDraft {
			t.Errorf("the approved sequence is still a draft")
		}
		if o, _ := sequence(t, srv, userID, best); o.Status != mailstore.OutreachDraft {
			t.Errorf("a ticked box was approved by another row's button: %s", o.Status)
		}
		got = text(t, b.page(back))
		if !strings.Contains(got, "Approved: the sequence is") || strings.Contains(got, "Acme Plumbing") {
			t.Errorf("after approving, the queue: %s", got)
		}

		// Bulk approval with nothing ticked says what to do; with some,
		// how many went and why the others did not.
		b.post("/app/emails/approve", url.Values{"back": {back}})
		if got := text(t, b.page(back)); !strings.Contains(got, "Nothing was approved") {
			t.Errorf("an empty bulk approval does not say so: %s", got)
		}
		a = b.post("/app/emails/approve", url.Values{"back": {back}, "ids": {best, cool, acme}})
		if a.status != http.StatusSeeOther || a.location() != back {
			t.Fatalf("bulk approve = %d to %q", a.status, a.location())
		}
		got = text(t, b.page(back))
		if !strings.Contains(got, "Approved 2 drafts") || !strings.Contains(got, "Not approved: 1 (already approved)") {
			t.Errorf("after the bulk approval: %s", got)
		}
		if strings.Contains(got, "Best Drains") {
			t.Errorf("approved drafts still wait in the queue: %s", got)
		}
		all := text(t, b.page("/app/emails?status=&campaign_id="+id))
		for _, name := range []string{"Acme Plumbing", "Best Drains", "Cool Pipes"} {
			if !strings.Contains(all, name) {
				t.Errorf("the any-status list lacks %s: %s", name, all)
			}
		}
		if a := b.get("/app/emails?status=nonsense"); a.status != http.StatusBadRequest {
			t.Errorf("an unknown status filter = %d, want 400", a.status)
		}
	})
}

func TestEditingADraftInline(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		userID := b.signUp("ada@example.test")
		id := seedDraft(t, srv, userID, b.createCampaign(nil), "Acme Plumbing")

		page := b.page("/app/emails/" + id)
		if fieldValue(t, page, "subject-1") != "A faster website for Acme Plumbing" ||
			!strings.Contains(fieldValue(t, page, "body-1"), "Your site loads slowly on phones.") || fieldValue(t, page, "delay-2") != "3" {
			t.Errorf("the edit form does not hold the draft: %s", text(t, page))
		}
		if got := text(t, page); !strings.Contains(got, "Passed") || !strings.Contains(got, "Approve and schedule") {
			t.Errorf("the draft's page: %s", got)
		}

		// Refused: the rules' words, the typed text kept, nothing saved.
		typed := url.Values{"subject-1": {""}, "body-1": {"A new first email,\r\nwith a FREE offer."}, "subject-2": {"Following up"},
			"body-2": {"Second."}, "delay-2": {"soon"}}
		a := b.post("/app/emails/"+id, typed)
		if a.status != http.StatusBadRequest {
			t.Fatalf("refused edit = %d: %s", a.status, text(t, a))
		}
		checkPage(t, "refused edit", a)
		got := text(t, a)
		if !strings.Contains(got, "Email 2, day: must be a whole number of days.") {
			t.Errorf("refused edit does not say what is wrong: %s", got)
		}
		if fieldValue(t, a, "body-1") != "A new first email,\nwith a FREE offer." || fieldValue(t, a, "delay-2") != "soon" {
			t.Errorf("refused edit lost what was typed: body %q, day %q", fieldValue(t, a, "body-1"), fieldValue(t, a, "delay-2"))
		}
		typed.Set("delay-2", "4")
		a = b.post("/app/emails/"+id, typed)
		if a.status != http.StatusBadRequest || !strings.Contains(text(t, a), "Email 1, subject: required.") {
			t.Errorf("an empty first subject = %d %s", a.status, text(t, a))
		}
		if _, steps := sequence(t, srv, userID, id); steps[0].Subject != "A faster website for Acme Plumbing" {
			t.Errorf("a refused edit was saved: %+v", steps)
		}

		// Saved: the checks are computed again and shown.
		typed.Set("subject-1", "Free website review")
		a = b.post("/app/emails/"+id, typed)
		if a.status != http.StatusSeeOther || a.location() != "/app/emails/"+id {
			t.Fatalf("edit = %d to %q: %s", a.status, a.location(), text(t, a))
		}
		_, steps := sequence(t, srv, userID, id)
		if steps[0].Subject != "Free website review" || steps[0].Body != "A new first email,\nwith a FREE offer." || steps[1].DelayDays != 4 {
			t.Errorf("stored after the edit: %+v", steps)
		}
		got = text(t, b.page("/app/emails/"+id))
		if !strings.Contains(got, "Draft saved") || !strings.Contains(got, "Needs a look") || !strings.Contains(got, "“free”") {
			t.Errorf("after the edit the page does not show the new checks: %s", got)
		}

		// Approved, it can no longer change.
		if a := b.post("/app/emails/"+id+"/approve", nil); a.status != http.StatusSeeOther || a.location() != "/app/emails/"+id {
			t.Fatalf("approve = %d to %q", a.status, a.location())
		}
		got = text(t, b.page("/app/emails/"+id))
		if !strings.Contains(got, "can no longer change") || strings.Contains(got, "Save changes") {
			t.Errorf("an approved sequence's page: %s", got)
		}
		a = b.post("/app/emails/"+id, typed)
		if a.status != http.StatusConflict || !strings.Contains(text(t, a), "only a draft can change") {
			t.Errorf("editing an approved sequence = %d %s", a.status, text(t, a))
		}
	})
}
