package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestTheNewCampaignFormMakesTheCampaignTheAPIShows(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")

		empty := text(t, b.page("/app/campaigns"))
		if !strings.Contains(empty, "No campaigns yet") || !strings.Contains(empty, "Create your first campaign") {
			t.Errorf("the empty list does not say what to do: %s", empty)
		}
		form := b.page("/app/campaigns/new")
		if fieldValue(t, form, "max_results") != "100" || fieldValue(t, form, "sequence_delays") != "0, 3, 7" {
			t.Errorf("the new form's defaults: max_results %q, delays %q", fieldValue(t, form, "max_results"), fieldValue(t, form, "sequence_delays"))
		}

		// Refused: the campaign rules' own words, next to each field, and
		// everything typed kept.
		bad := url.Values{"name": {""}, "business_type": {"plumber"}, "target_location": {"Austin, TX"}, "max_results": {"lots"},
			"min_rating": {"9"}, "sources": {"yelp", "bing"}, "tiers": {"A"}, "industries": {"water heaters, drains"},
			"sequence_delays": {"0, 2, 1"}}
		a := b.post("/app/campaigns/new", bad)
		if a.status != http.StatusBadRequest {
			t.Fatalf("refused campaign = %d", a.status)
		}
		checkPage(t, "refused campaign", a)
		got := text(t, a)
		for _, want := range []string{"Campaign name: is required.", "Most leads to find: must be a whole number.",
			"Lowest rating: must be a number from 0 to 5.", `Sources: "bing" is not one of`, "Days of each email: must increase"} {
			if !strings.Contains(got, want) {
				t.Errorf("refused campaign does not say %q: %s", want, got)
			}
		}
		for name, want := range map[string]string{"business_type": "plumber", "max_results": "lots", "min_rating": "9",
			"industries": "water heaters, drains", "sequence_delays": "0, 2, 1"} {
			if got := fieldValue(t, a, name); got != want {
				t.Errorf("refused campaign lost %s: %q, want %q", name, got, want)
			}
		}
		if !strings.Contains(a.body, `href="#f-target-criteria-min-rating"`) || !strings.Contains(a.body, `id="f-target-criteria-min-rating"`) {
			t.Error("the error summary does not link to the field it is about")
		}

		id := b.createCampaign(url.Values{"name": {"Dentists in Tulsa"}, "business_type": {"dentist"}, "target_location": {"Tulsa, OK"},
			"max_results": {"25"}, "min_reviews": {"10"}, "min_rating": {"4.5"}, "sources": {"osm"}, "tiers": {"A"},
			"industries": {"orthodontics, implants"}, "sequence_delays": {"0, 4"}})
		detail := b.page("/app/campaigns/" + id)
		got = text(t, detail)
		for _, want := range []string{"Campaign created.", "Dentists in Tulsa", "Dentist in Tulsa, OK", "Draft", "Start campaign",
			"OpenStreetMap", "Not run yet", "orthodontics, implants", "Not ready"} {
			if !strings.Contains(got, want) {
				t.Errorf("the new campaign's page does not show %q: %s", want, got)
			}
		}

		// The same campaign through the JSON API, with the same criteria.
		var c struct {
			Name           string         `json:"name"`
			Status         string         `json:"status"`
			TargetCriteria map[string]any `json:"target_criteria"`
		}
		decode(t, b.get("/api/campaigns/"+id), &c)
		crit := c.TargetCriteria
		if c.Name != "Dentists in Tulsa" || c.Status != "draft" || crit["max_results"] != float64(25) || crit["min_reviews"] != float64(10) ||
			crit["min_rating"] != 4.5 || len(crit["sources"].([]any)) != 1 || len(crit["tiers_for_outreach"].([]any)) != 1 ||
			len(crit["industries"].([]any)) != 2 || len(crit["sequence_delays"].([]any)) != 2 {
			t.Errorf("the API shows %+v", c)
		}

		list := text(t, b.page("/app/campaigns"))
		if !strings.Contains(list, "Dentists in Tulsa") || !strings.Contains(list, "Nothing found yet") {
			t.Errorf("the list does not show the new campaign: %s", list)
		}
	})
}

func TestStartAndPauseButtons(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		userID := b.signUp("ada@example.test")

		// An import-only campaign starts without credits, and the page it
		// returns to says so.
		id := b.createCampaign(url.Values{"sources": {}})
		a := b.post("/app/campaigns/"+id+"/start", nil)
		if a.status != http.StatusSeeOther || a.location() != "/app/campaigns/"+id {
			t.Fatalf("start = %d to %q", a.status, a.location())
		}
		if got := text(t, b.page("/app/campaigns/"+id)); !strings.Contains(got, "The campaign is running") {
			t.Errorf("after starting, the page does not say so: %s", got)
		}

		// A running campaign (set so in the store, where no job moves it
		// on) shows Pause; starting it again is refused in words.
		running := b.createCampaign(url.Values{"sources": {}})
		setRunning(t, srv, userID, running)
		page := text(t, b.page("/app/campaigns/"+running))
		if !strings.Contains(page, "Pause campaign") || strings.Contains(page, "Start campaign") {
			t.Errorf("a running campaign's buttons: %s", page)
		}
		b.post("/app/campaigns/"+running+"/start", nil)
		if got := text(t, b.page("/app/campaigns/"+running)); !strings.Contains(got, "The campaign is already running.") {
			t.Errorf("starting a running campaign does not say why nothing happened: %s", got)
		}
		if a := b.post("/app/campaigns/"+running+"/pause", nil); a.status != http.StatusSeeOther {
			t.Fatalf("pause = %d", a.status)
		}
		if s := campaignStatus(t, srv, userID, running); s != store.CampaignPaused {
			t.Errorf("after pausing, the campaign is %s", s)
		}
		page = text(t, b.page("/app/campaigns/"+running))
		if !strings.Contains(page, "The campaign is paused") || !strings.Contains(page, "Resume campaign") {
			t.Errorf("a paused campaign's page: %s", page)
		}
		b.post("/app/campaigns/"+running+"/pause", nil)
		if got := text(t, b.page("/app/campaigns/"+running)); !strings.Contains(got, "Only a running campaign can be paused") {
			t.Errorf("pausing a paused campaign does not say why: %s", got)
		}
	})
}

func TestTheDashboard(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		userID := b.signUp("ada@example.test")

		first := text(t, b.page("/app"))
		for _, want := range []string{"Create your first campaign", "Leads found 0", "Open rate — ", "Credits left 500",
			"No lead has been scored yet", "Nothing waits on you right now."} {
			if !strings.Contains(first, want) {
				t.Errorf("a new account's dashboard lacks %q: %s", want, first)
			}
		}

		id := b.createCampaign(nil)
		seedDraft(t, srv, userID, id, "Acme Plumbing")
		seedDraft(t, srv, userID, id, "Best Drains")
		dash := b.page("/app")
		got := text(t, dash)
		if strings.Contains(got, "Create your first campaign") {
			t.Error("the dashboard still says to create a first campaign")
		}
		for _, want := range []string{"Plumbers in Austin", "2 drafts wait for your review.", "add a mailbox"} {
			if !strings.Contains(strings.ToLower(got), strings.ToLower(want)) {
				t.Errorf("campaigns needing attention lack %q: %s", want, got)
			}
		}
		// The funnel is an SVG drawn on the server, its numbers in words.
		if !strings.Contains(dash.body, `<svg class="chart"`) || !strings.Contains(got, "Found 0, Enriched 0, Qualified 0, Approved 0, Sent 0, Replied 0.") {
			t.Errorf("the funnel is missing or does not say its numbers: %s", got)
		}
	})
}
