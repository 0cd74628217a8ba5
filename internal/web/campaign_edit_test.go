package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func storedCampaign(t *testing.T, srv *apptest.Server, userID, id string) store.Campaign {
	t.Helper()
	var c store.Campaign
	err := srv.App.Store.Read(context.Background(), userID, func(tx *store.Tx) (err error) {
		c, err = tx.Campaign(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestACampaignIsEditedFromItsPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		userID := b.signUp("ada@example.test")
		id := b.createCampaign(url.Values{"min_reviews": {"10"}, "industries": {"drains, water heaters"}})
		// Weights set through the API, which the form does not show.
		c := b.get("/api/campaigns/" + id)
		if c.status != http.StatusOK {
			t.Fatalf("campaign = %d", c.status)
		}
		patch := `{"target_criteria":{"max_results":50,"min_reviews":10,"industries":["drains","water heaters"],"tiers_for_outreach":["A","B"],"score_weights":{"website_opportunity":2,"review_strength":1,"contact_quality":1,"timing_signals":1}}}`
		if a := b.send("PATCH", "/api/campaigns/"+id, "application/json", strings.NewReader(patch)); a.status != http.StatusOK {
			t.Fatalf("set weights = %d %s", a.status, a.body)
		}

		edit := "/app/campaigns/" + id + "/edit"
		page := b.page(edit)
		checkPage(t, "edit form", page)
		for name, want := range map[string]string{"name": "Plumbers in Austin", "min_reviews": "10", "industries": "drains, water heaters",
			"max_results": "50", "target_location": "Austin, TX"} {
			if got := fieldValue(t, page, name); got != want {
				t.Errorf("the edit form's %s = %q, want %q", name, got, want)
			}
		}

		// A bad value comes back with the form as typed.
		form := url.Values{"name": {"Drain experts"}, "business_type": {"plumber"}, "target_location": {"Austin, TX"},
			"max_results": {"50"}, "min_reviews": {"lots"}, "industries": {"drains"}, "tiers": {"A"}, "sources": {"google_maps"}}
		a := b.post(edit, form)
		if a.status != http.StatusBadRequest || fieldValue(t, a, "min_reviews") != "lots" || fieldValue(t, a, "name") != "Drain experts" {
			t.Errorf("a bad edit = %d with min_reviews %q", a.status, fieldValue(t, a, "min_reviews"))
		}
		if c := storedCampaign(t, srv, userID, id); c.Name != "Plumbers in Austin" {
			t.Errorf("a refused edit changed the campaign: %s", c.Name)
		}

		form.Set("min_reviews", "25")
		a = b.post(edit, form)
		if a.status != http.StatusSeeOther || a.location() != "/app/campaigns/"+id {
			t.Fatalf("edit = %d to %q: %s", a.status, a.location(), text(t, a))
		}
		c2 := storedCampaign(t, srv, userID, id)
		var crit map[string]any
		json.Unmarshal(c2.TargetCriteria, &crit)
		if c2.Name != "Drain experts" || crit["min_reviews"] != float64(25) || crit["score_weights"] == nil ||
			strings.Join(anyStrings(crit["tiers_for_outreach"]), ",") != "A" {
			t.Errorf("after the edit: name %q, criteria %s", c2.Name, c2.TargetCriteria)
		}
		if got := text(t, b.page("/app/campaigns/"+id)); !strings.Contains(got, "Campaign saved.") || !strings.Contains(got, "Drain experts") {
			t.Errorf("the campaign page after saving: %s", got)
		}

		// The sending window: a bad time zone comes back as typed; a good
		// one is stored with the days, hours and tracking.
		form.Set("timezone", "Mars/Olympus")
		form["days"] = []string{"1", "3"}
		form.Set("start", "08:00")
		form.Set("end", "12:30")
		form.Set("track_opens", "on")
		a = b.post(edit, form)
		if a.status != http.StatusBadRequest || fieldValue(t, a, "timezone") != "Mars/Olympus" || !strings.Contains(text(t, a), "IANA time zone") {
			t.Errorf("a bad time zone = %d: %s", a.status, text(t, a))
		}
		form.Set("timezone", "Europe/Paris")
		if a := b.post(edit, form); a.status != http.StatusSeeOther {
			t.Fatalf("saving the window = %d: %s", a.status, text(t, a))
		}
		var sending struct {
			Schedule struct {
				Timezone   *string
				Days       []int
				Start, End string
			}
			TrackOpens  bool `json:"track_opens"`
			TrackClicks bool `json:"track_clicks"`
		}
		json.Unmarshal(storedCampaign(t, srv, userID, id).Sending, &sending)
		if sc := sending.Schedule; sc.Timezone == nil || *sc.Timezone != "Europe/Paris" || len(sc.Days) != 2 || sc.Days[1] != 3 ||
			sc.Start != "08:00" || sc.End != "12:30" || !sending.TrackOpens || sending.TrackClicks {
			t.Errorf("the stored window: %+v", sending)
		}
		if got := fieldValue(t, b.page(edit), "end"); got != "12:30" {
			t.Errorf("the edit form shows the end as %q", got)
		}

		// Once started, its name still changes, its targeting no longer.
		if a := b.post("/app/campaigns/"+id+"/start", url.Values{}); a.status != http.StatusSeeOther {
			t.Fatalf("start = %d: %s", a.status, text(t, a))
		}
		form.Set("name", "Drain experts, spring")
		if a := b.post(edit, form); a.status != http.StatusSeeOther {
			t.Errorf("renaming a started campaign = %d: %s", a.status, text(t, a))
		}
		form.Set("min_reviews", "30")
		a = b.post(edit, form)
		if a.status != http.StatusConflict || !strings.Contains(text(t, a), "Targeting can only change while the campaign is a draft or paused") {
			t.Errorf("changing a started campaign's targeting = %d: %s", a.status, text(t, a))
		}
		if c := storedCampaign(t, srv, userID, id); c.Name != "Drain experts, spring" {
			t.Errorf("the started campaign's name = %q", c.Name)
		}

		// Another user can neither open nor save it.
		eve := other(t, srv)
		if a := eve.get(edit); a.status != http.StatusNotFound {
			t.Errorf("another user's edit form = %d, want 404", a.status)
		}
		if a := eve.post(edit, form); a.status != http.StatusNotFound {
			t.Errorf("another user's edit = %d, want 404", a.status)
		}
	})
}

func anyStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
