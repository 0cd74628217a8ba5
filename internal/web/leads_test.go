package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestTheLeadTable(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		userID := b.signUp("ada@example.test")

		if got := text(t, b.page("/app/leads")); !strings.Contains(got, "No leads yet") {
			t.Errorf("an empty account's lead table does not say what to do: %s", got)
		}
		id := b.createCampaign(nil)
		seedDraft(t, srv, userID, id, "Acme Plumbing")
		seedDraft(t, srv, userID, id, `<script>alert(1)</script> Drains`)
		a := b.page("/app/leads")
		got := text(t, a)
		if !strings.Contains(got, "Acme Plumbing") || !strings.Contains(got, "<script>alert(1)</script> Drains") {
			t.Errorf("the lead table lacks the leads: %s", got)
		}
		if strings.Contains(a.body, "<script>alert(1)") {
			t.Error("a hostile business name reached the page as markup")
		}
		if got := text(t, b.page("/app/leads?q=acme")); !strings.Contains(got, "Acme Plumbing") || strings.Contains(got, "Drains") {
			t.Errorf("search acme: %s", got)
		}
		if got := text(t, b.page("/app/leads?tier=A")); !strings.Contains(got, "No lead matches") {
			t.Errorf("a filter with no rows: %s", got)
		}
		if a := b.get("/app/leads?status=bogus"); a.status != http.StatusBadRequest {
			t.Errorf("a bad status filter = %d, want 400", a.status)
		}
		other := newBrowser(t, srv)
		other.signUp("other@example.test")
		if got := text(t, other.page("/app/leads")); strings.Contains(got, "Acme") {
			t.Errorf("another user's lead table shows the owner's leads: %s", got)
		}
	})
}
