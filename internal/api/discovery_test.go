package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type stats struct {
	Status       string         `json:"status"`
	StatusReason *string        `json:"status_reason"`
	LeadsFound   int            `json:"leads_found"`
	ByStatus     map[string]int `json:"by_status"`
	ByTier       map[string]int `json:"by_tier"`
	Outreach     counters       `json:"outreach"`
	Sources      map[string]struct {
		Status  string `json:"status"`
		Found   int    `json:"found"`
		Kept    int    `json:"kept"`
		Message string `json:"message"`
	} `json:"sources"`
}

// counters are the numbers of an object, by name; what else it holds
// (stats.outreach's by_step and by_mailbox) is left out.
type counters map[string]int

func (c *counters) UnmarshalJSON(b []byte) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	*c = counters{}
	for k, v := range all {
		var n int
		if json.Unmarshal(v, &n) == nil {
			(*c)[k] = n
		}
	}
	return nil
}

// discoveryOnly switches off Hunter and PageSpeed, whose sandbox fakes take
// their time like the real services, for tests about discovery alone.
var discoveryOnly = map[string]string{"HUNTER_API_KEY": " ", "PAGESPEED_API_KEY": " "}

func withEnv(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func getStats(t *testing.T, c *apptest.Client, id string) stats {
	t.Helper()
	resp := c.Get("/api/campaigns/" + id + "/stats")
	if resp.Status != 200 {
		t.Fatalf("stats = %d %s", resp.Status, resp.Body)
	}
	var s stats
	resp.JSON(t, &s)
	return s
}

// pastEnrichment counts the prospects enriched and scored (the pipeline
// moves each on from enriched to qualified, outreach_pending or
// disqualified).
func pastEnrichment(st stats) int {
	return st.ByStatus["qualified"] + st.ByStatus["outreach_pending"] + st.ByStatus["disqualified"]
}

// waitStatus polls the campaign until it leaves "running" (or reaches want).
func waitStatus(t *testing.T, c *apptest.Client, id, want string) stats {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	for {
		s := getStats(t, c, id)
		if s.Status == want {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("campaign still %s after 120s, want %s; stats %+v", s.Status, want, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func startCampaign(t *testing.T, c *apptest.Client, criteria map[string]any) string {
	t.Helper()
	body := map[string]any{"name": "Austin plumbers", "business_type": "plumber", "target_location": "Austin, TX"}
	if criteria != nil {
		body["target_criteria"] = criteria
	}
	id := createCampaign(t, c, body)["id"].(string)
	resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil)
	if resp.Status != http.StatusAccepted || resp.Map(t)["status"] != "running" {
		t.Fatalf("start = %d %s", resp.Status, resp.Body)
	}
	return id
}

func profileCredits(t *testing.T, c *apptest.Client) int {
	t.Helper()
	var me struct {
		User struct {
			LeadCredits int `json:"lead_credits"`
		} `json:"user"`
	}
	c.Get("/api/auth/me").JSON(t, &me)
	return me.User.LeadCredits
}

func TestDiscoveryFindsDedupsAndCharges(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{}, Env: discoveryOnly})
		c, u := srv.SignUp(t)
		id := startCampaign(t, c, map[string]any{"max_results": 1000})
		st := waitStatus(t, c, id, "completed")

		total := 0
		for _, name := range []string{"google_maps", "yelp", "osm"} {
			src := st.Sources[name]
			if src.Status != "ok" || src.Found == 0 {
				t.Errorf("source %s = %+v, want ok with listings", name, src)
			}
			total += src.Found
		}
		if st.LeadsFound == 0 || st.LeadsFound >= total {
			t.Fatalf("leads_found = %d from %d listings: cross-source duplicates must merge", st.LeadsFound, total)
		}
		if pastEnrichment(st) != st.LeadsFound {
			t.Errorf("by_status = %v, want all %d enriched", st.ByStatus, st.LeadsFound)
		}
		// One charge per saved prospect; the ones enrichment found no way to
		// reach are refunded, each once, and the ledger says which.
		charges, refunds := ledgerKinds(t, c)
		if len(charges) != st.LeadsFound {
			t.Errorf("%d charges in the ledger, want one per saved prospect (%d)", len(charges), st.LeadsFound)
		}
		if got := profileCredits(t, c); got != 500-len(charges)+len(refunds) {
			t.Errorf("credits = %d, want 500 - %d charged + %d refunded", got, len(charges), len(refunds))
		}
		for id := range refunds {
			if !charges[id] {
				t.Errorf("prospect %s refunded but never charged", id)
			}
			assertUnreachable(t, c, id)
		}
		credits := profileCredits(t, c)

		// At least one prospect carries listings from several sources, and
		// no two prospects share a website domain or phone.
		var list struct {
			Data []struct {
				Website    *string         `json:"website"`
				Phone      *string         `json:"phone"`
				SourceData json.RawMessage `json:"source_data"`
			}
		}
		c.Get("/api/prospects?limit=200&campaign_id="+id).JSON(t, &list)
		multi := 0
		domains, phones := map[string]bool{}, map[string]bool{}
		for _, p := range list.Data {
			var sd struct{ Sources []string }
			json.Unmarshal(p.SourceData, &sd)
			if len(sd.Sources) > 1 {
				multi++
			}
			if p.Website != nil {
				if domains[*p.Website] {
					t.Errorf("two prospects with website %s", *p.Website)
				}
				domains[*p.Website] = true
			}
			if p.Phone != nil {
				if phones[*p.Phone] {
					t.Errorf("two prospects with phone %s", *p.Phone)
				}
				phones[*p.Phone] = true
			}
		}
		if multi == 0 {
			t.Error("no prospect was merged from several sources")
		}

		var usage map[string]int
		srv.App.Store.Read(context.Background(), u.ID, func(tx *store.Tx) error {
			var err error
			usage, err = tx.UsageByService(context.Background())
			return err
		})
		for _, svc := range []string{"google_maps", "yelp", "nominatim", "overpass"} {
			if usage[svc] == 0 {
				t.Errorf("no api_usage rows for %s (have %v)", svc, usage)
			}
		}

		// Running discovery again finds nothing new: no duplicates, no charge.
		if resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil); resp.Status != http.StatusAccepted {
			t.Fatalf("restart = %d %s", resp.Status, resp.Body)
		}
		again := waitStatus(t, c, id, "completed")
		if again.LeadsFound != st.LeadsFound || profileCredits(t, c) != credits {
			t.Errorf("re-run: leads_found %d → %d, credits %d; want unchanged", st.LeadsFound, again.LeadsFound, profileCredits(t, c))
		}

		// Re-enriching a refunded prospect neither refunds it again nor
		// charges it.
		for id := range refunds {
			if resp := c.JSON("POST", "/api/prospects/"+id+"/enrich", nil); resp.Status != http.StatusAccepted {
				t.Fatalf("re-enrich = %d %s", resp.Status, resp.Body)
			}
			srv.WaitJobsIdle(t)
			charged2, refunded2 := ledgerKinds(t, c)
			if len(charged2) != len(charges) || len(refunded2) != len(refunds) || profileCredits(t, c) != credits {
				t.Errorf("after re-enriching %s: %d charges, %d refunds, %d credits; want %d, %d, %d",
					id, len(charged2), len(refunded2), profileCredits(t, c), len(charges), len(refunds), credits)
			}
			break
		}
	})
}

func TestDiscoveryStopsWhenCreditsRunOut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{}, Env: discoveryOnly})
		c, u := srv.SignUp(t)
		setCredits(t, srv, u.ID, 7)
		id := startCampaign(t, c, nil)
		st := waitStatus(t, c, id, "paused")
		if st.StatusReason == nil || *st.StatusReason != "insufficient_credits" || st.LeadsFound != 7 {
			t.Fatalf("stats = %+v, want paused for insufficient_credits with 7 leads", st)
		}
		if got := profileCredits(t, c); got != 0 {
			t.Errorf("credits = %d, want 0", got)
		}
		resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil)
		if resp.Status != http.StatusPaymentRequired || resp.ErrorCode(t) != "insufficient_credits" {
			t.Errorf("start without credits = %d %s, want 402", resp.Status, resp.Body)
		}
		// An import-only campaign needs no credits to start.
		only := createCampaign(t, c, map[string]any{"name": "imports", "business_type": "b", "target_location": "l",
			"target_criteria": map[string]any{"sources": []string{}}})["id"].(string)
		if resp := c.JSON("POST", "/api/campaigns/"+only+"/start", nil); resp.Status != http.StatusAccepted {
			t.Errorf("start import-only campaign with 0 credits = %d %s", resp.Status, resp.Body)
		}
	})
}

func setCredits(t *testing.T, srv *apptest.Server, userID string, n int) {
	t.Helper()
	err := srv.App.Store.Write(context.Background(), userID, func(tx *store.Tx) error {
		return tx.SetLeadCredits(context.Background(), n)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDiscoveryReportsFailingAndMissingSources(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{
			Sandbox: &sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.Yelp: {Status: 401, Code: "TOKEN_INVALID"}}},
			Env:     withEnv(discoveryOnly, "GOOGLE_MAPS_API_KEY", " "), // switched off
		})
		c, _ := srv.SignUp(t)
		id := startCampaign(t, c, nil)
		st := waitStatus(t, c, id, "completed")
		if y := st.Sources["yelp"]; y.Status != "error" || y.Message == "" {
			t.Errorf("yelp = %+v, want error with a message", y)
		}
		if g := st.Sources["google_maps"]; g.Status != "skipped" || g.Message == "" {
			t.Errorf("google_maps = %+v, want skipped with the reason", g)
		}
		if o := st.Sources["osm"]; o.Status != "ok" || o.Kept == 0 {
			t.Errorf("osm = %+v, want ok: one failing source must not stop the others", o)
		}
		if st.LeadsFound != st.Sources["osm"].Kept {
			t.Errorf("leads_found = %d, osm kept %d", st.LeadsFound, st.Sources["osm"].Kept)
		}
	})
}

func TestPauseStopsDiscoveryAndStartResumes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{Latency: 300 * time.Millisecond}, Env: discoveryOnly})
		c, _ := srv.SignUp(t)
		id := startCampaign(t, c, map[string]any{"max_results": 1000})
		if resp := c.JSON("POST", "/api/campaigns/"+id+"/pause", nil); resp.Status != 200 || resp.Map(t)["status"] != "paused" {
			t.Fatalf("pause = %d %s", resp.Status, resp.Body)
		}
		// Within a page or two of sandbox latency the job notices and stops.
		time.Sleep(2 * time.Second)
		first := getStats(t, c, id)
		time.Sleep(1500 * time.Millisecond)
		if second := getStats(t, c, id); second.LeadsFound != first.LeadsFound || second.Status != "paused" {
			t.Fatalf("paused campaign kept working: %d → %d leads, status %s", first.LeadsFound, second.LeadsFound, second.Status)
		}
		if resp := c.JSON("POST", "/api/campaigns/"+id+"/pause", nil); resp.Status != http.StatusConflict {
			t.Errorf("pausing a paused campaign = %d, want 409", resp.Status)
		}
		if resp := c.JSON("PATCH", "/api/campaigns/"+id, map[string]any{"target_location": "Austin, Texas"}); resp.Status != 200 {
			t.Errorf("editing targeting while paused = %d, want 200", resp.Status)
		}
		srv.Sandbox.SetLatency(0)
		if resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil); resp.Status != http.StatusAccepted {
			t.Fatalf("resume = %d %s", resp.Status, resp.Body)
		}
		if resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil); resp.Status != http.StatusConflict || resp.ErrorCode(t) != "conflict" {
			t.Errorf("starting a running campaign = %d %s, want 409 conflict", resp.Status, resp.Body)
		}
		if resp := c.JSON("PATCH", "/api/campaigns/"+id, map[string]any{"business_type": "roofer"}); resp.Status != http.StatusConflict {
			t.Errorf("editing targeting while running = %d, want 409", resp.Status)
		}
		done := waitStatus(t, c, id, "completed")
		if done.LeadsFound < first.LeadsFound || pastEnrichment(done) != done.LeadsFound {
			t.Errorf("after resume: %+v (had %d before)", done, first.LeadsFound)
		}
	})
}

func TestCampaignActionsOnOthersAndBadIDs(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{}})
		alice, mallory := twoUsers(t, srv)
		id := createCampaign(t, alice, nil)["id"].(string)
		for _, r := range []struct{ method, path string }{
			{"POST", "/api/campaigns/" + id + "/start"}, {"POST", "/api/campaigns/" + id + "/pause"},
			{"GET", "/api/campaigns/" + id + "/stats"}, {"POST", "/api/campaigns/nope/start"},
		} {
			if resp := mallory.JSON(r.method, r.path, nil); resp.Status != 404 || resp.ErrorCode(t) != "not_found" {
				t.Errorf("%s %s = %d %s, want 404", r.method, r.path, resp.Status, resp.Body)
			}
		}
		if got := getStats(t, alice, id); got.Status != "draft" {
			t.Errorf("alice's campaign = %s after mallory's attempts, want draft", got.Status)
		}
		if resp := alice.JSON("POST", "/api/campaigns/"+id+"/pause", nil); resp.Status != http.StatusConflict {
			t.Errorf("pausing a draft = %d, want 409", resp.Status)
		}
	})
}

func TestInternalDiscoveryEndpoint(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		off := apptest.Start(t, e, apptest.Options{})
		if resp := off.Client(t).JSON("POST", "/api/internal/jobs/discovery", `{"campaign_id":"x"}`); resp.Status != 404 {
			t.Errorf("internal route without INTERNAL_API_TOKEN = %d, want 404", resp.Status)
		}

		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{}, Env: withEnv(discoveryOnly, "INTERNAL_API_TOKEN", "internal-token-0123456789-0123456789")})
		owner, _ := srv.SignUp(t)
		id := createCampaign(t, owner, nil)["id"].(string)
		svc := srv.Client(t)
		if resp := svc.JSON("POST", "/api/internal/jobs/discovery", map[string]any{"campaign_id": id}); resp.Status != 401 {
			t.Errorf("no token = %d, want 401", resp.Status)
		}
		svc.Token = "wrong-token"
		if resp := svc.JSON("POST", "/api/internal/jobs/discovery", map[string]any{"campaign_id": id}); resp.Status != 401 {
			t.Errorf("wrong token = %d, want 401", resp.Status)
		}
		svc.Token = "internal-token-0123456789-0123456789"
		for body, want := range map[string]int{
			`{"campaign_id":"0195e2a0-0000-7000-8000-000000000000"}`: 404,
			`{"campaign_id":"not-a-uuid"}`:                           404,
			`{}`:                                                     400,
			`{"campaign_id":1}`:                                      400,
			`{"campaign_id":"x","more":1}`:                           400,
		} {
			if resp := svc.JSON("POST", "/api/internal/jobs/discovery", body); resp.Status != want {
				t.Errorf("%s = %d %s, want %d", body, resp.Status, resp.Body, want)
			}
		}
		resp := svc.JSON("POST", "/api/internal/jobs/discovery", map[string]any{"campaign_id": id})
		if resp.Status != http.StatusAccepted {
			t.Fatalf("internal discovery = %d %s", resp.Status, resp.Body)
		}
		if resp := svc.JSON("POST", "/api/internal/jobs/discovery", map[string]any{"campaign_id": id}); resp.Status != http.StatusConflict &&
			getStats(t, owner, id).Status == "running" {
			t.Errorf("internal trigger on a running campaign = %d, want 409", resp.Status)
		}
		if st := waitStatus(t, owner, id, "completed"); st.LeadsFound == 0 {
			t.Errorf("internal trigger found nothing: %+v", st)
		}
	})
}
