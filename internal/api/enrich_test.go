package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// waitEnriched polls a prospect until its enrichment appears.
func waitEnriched(t *testing.T, c *apptest.Client, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		d := c.Get("/api/prospects/" + id).Map(t)
		if e, ok := d["enrichment"].(map[string]any); ok && d["status"] != "enriching" {
			return d
		} else if time.Now().After(deadline) {
			t.Fatalf("prospect not enriched after 60s: %v (enrichment %v)", d["status"], e)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func firstProspect(t *testing.T, c *apptest.Client, campaignID string) string {
	t.Helper()
	var l struct {
		Data []struct {
			ID string `json:"id"`
		}
	}
	c.Get("/api/prospects?campaign_id="+campaignID).JSON(t, &l)
	if len(l.Data) == 0 {
		t.Fatal("no prospects")
	}
	return l.Data[0].ID
}

func TestManualEnrichOfAnImportedProspect(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c, _ := srv.SignUp(t)
		cid := seedProspects(t, c, 1)
		pid := firstProspect(t, c, cid)
		if d := c.Get("/api/prospects/" + pid).Map(t); d["enrichment"] != nil {
			t.Fatalf("enrichment before enriching = %v, want null", d["enrichment"])
		}
		resp := c.JSON("POST", "/api/prospects/"+pid+"/enrich", nil)
		if resp.Status != http.StatusAccepted {
			t.Fatalf("enrich = %d %s", resp.Status, resp.Body)
		}
		d := waitEnriched(t, c, pid)
		if d["status"] != "enriched" || d["enriched_at"] == nil {
			t.Errorf("prospect after enrichment = %v", d)
		}
		if got := c.Get("/api/campaigns/" + cid).Map(t)["leads_enriched"]; got != float64(1) {
			t.Errorf("leads_enriched = %v, want 1", got)
		}
		// Enriching again refreshes the data but counts once.
		c.JSON("POST", "/api/prospects/"+pid+"/enrich", nil)
		waitEnriched(t, c, pid)
		time.Sleep(300 * time.Millisecond)
		if got := c.Get("/api/campaigns/" + cid).Map(t)["leads_enriched"]; got != float64(1) {
			t.Errorf("leads_enriched after re-enrich = %v, want still 1", got)
		}
	})
}

func TestEnrichEndpointsRefuseOthersAndBadIDs(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Env: map[string]string{"INTERNAL_API_TOKEN": "internal-token-0123456789-0123456789"}})
		alice, mallory := twoUsers(t, srv)
		pid := firstProspect(t, alice, seedProspects(t, alice, 1))
		for _, path := range []string{"/api/prospects/" + pid + "/enrich", "/api/prospects/nope/enrich",
			"/api/prospects/0195e2a0-0000-7000-8000-000000000000/enrich"} {
			if resp := mallory.JSON("POST", path, nil); resp.Status != 404 || resp.ErrorCode(t) != "not_found" {
				t.Errorf("mallory POST %s = %d %s", path, resp.Status, resp.Body)
			}
		}
		svc := srv.Client(t)
		svc.Token = "internal-token-0123456789-0123456789"
		for body, want := range map[string]int{
			`{"prospect_id":"` + pid + `"}`:                          202,
			`{"prospect_id":"0195e2a0-0000-7000-8000-000000000000"}`: 404,
			`{}`:                        400,
			`{"prospect_id":true}`:      400,
			`{"prospect_id":"x","a":1}`: 400,
		} {
			if resp := svc.JSON("POST", "/api/internal/jobs/enrich", body); resp.Status != want {
				t.Errorf("internal enrich %s = %d %s, want %d", body, resp.Status, resp.Body, want)
			}
		}
		waitEnriched(t, alice, pid)
	})
}

func TestCampaignCompletesAfterEnrichment(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{}})
		c, _ := srv.SignUp(t)
		// Imported prospects wait as discovered until the campaign starts.
		id := createCampaign(t, c, map[string]any{"name": "mixed", "business_type": "plumber", "target_location": "Austin, TX",
			"target_criteria": map[string]any{"max_results": 20}})["id"].(string)
		if resp, res := importCSV(t, c, id, []byte("company_name,website\nImported One,imported-one.example\n")); resp.Status != 200 || res.Imported != 1 {
			t.Fatalf("import = %d %s", resp.Status, resp.Body)
		}
		if resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil); resp.Status != http.StatusAccepted {
			t.Fatalf("start = %d", resp.Status)
		}
		st := waitStatus(t, c, id, "completed")
		// Enriched, then scored (and drafted for): every prospect is past
		// enrichment and none waits for a stage.
		if pastEnrichment(st) != st.LeadsFound || st.LeadsFound != 21 {
			t.Errorf("stats = %+v, want 21 prospects (20 found + 1 imported), all enriched and scored", st)
		}
		if got := c.Get("/api/campaigns/" + id).Map(t)["leads_enriched"]; got != float64(21) {
			t.Errorf("leads_enriched = %v, want 21", got)
		}
	})
}
