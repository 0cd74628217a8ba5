package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func createCampaign(t *testing.T, c *apptest.Client, body map[string]any) map[string]any {
	t.Helper()
	if body == nil {
		body = map[string]any{"name": "Austin plumbers", "business_type": "plumber", "target_location": "Austin, TX"}
	}
	resp := c.JSON("POST", "/api/campaigns", body)
	if resp.Status != http.StatusCreated {
		t.Fatalf("create campaign = %d %s", resp.Status, resp.Body)
	}
	return resp.Map(t)
}

// twoUsers signs two users up: the one a test acts as, and another who
// must not reach their records.
func twoUsers(t *testing.T, srv *apptest.Server) (user, other *apptest.Client) {
	t.Helper()
	user, _ = srv.SignUp(t)
	other, _ = srv.SignUp(t)
	return user, other
}

// startWithCampaign starts the app and signs a user up who has created the
// default campaign: the app, the user's client and the campaign's id.
func startWithCampaign(t *testing.T, e storetest.Engine) (*apptest.Server, *apptest.Client, string) {
	t.Helper()
	srv := apptest.Start(t, e, apptest.Options{})
	c, _ := srv.SignUp(t)
	return srv, c, createCampaign(t, c, nil)["id"].(string)
}

func TestCampaignLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c, _ := srv.SignUp(t)

		created := createCampaign(t, c, map[string]any{
			"name": "Austin plumbers", "business_type": "plumber", "target_location": "Austin, TX",
			"target_criteria": map[string]any{"min_reviews": 10, "sources": []string{"google_maps", "osm"}},
		})
		for _, k := range []string{"id", "name", "business_type", "target_location", "target_criteria", "status", "leads_found",
			"leads_enriched", "leads_qualified", "outreach_sent", "created_at", "updated_at"} {
			if _, ok := created[k]; !ok {
				t.Errorf("campaign lacks %q", k)
			}
		}
		if created["status"] != "draft" {
			t.Errorf("status = %v, want draft", created["status"])
		}
		crit := created["target_criteria"].(map[string]any)
		if crit["max_results"] != float64(100) || crit["min_reviews"] != float64(10) || fmt.Sprint(crit["tiers_for_outreach"]) != "[A B]" {
			t.Errorf("target_criteria = %v, want defaults filled in beside the given keys", crit)
		}
		id := created["id"].(string)

		if got := c.Get("/api/campaigns/" + id); got.Status != 200 || got.Map(t)["name"] != "Austin plumbers" {
			t.Errorf("get = %d %s", got.Status, got.Body)
		}
		patched := c.JSON("PATCH", "/api/campaigns/"+id, map[string]any{"name": "Austin plumbers, round 2", "target_location": "Round Rock, TX"})
		if patched.Status != 200 || patched.Map(t)["target_location"] != "Round Rock, TX" || patched.Map(t)["name"] != "Austin plumbers, round 2" {
			t.Errorf("patch = %d %s", patched.Status, patched.Body)
		}
		if got := c.Get("/api/campaigns/" + id).Map(t); got["business_type"] != "plumber" {
			t.Errorf("patch changed an absent field: %v", got)
		}
		if del := c.JSON("DELETE", "/api/campaigns/"+id, nil); del.Status != http.StatusNoContent {
			t.Errorf("delete = %d %s", del.Status, del.Body)
		}
		if got := c.Get("/api/campaigns/" + id); got.Status != 404 || got.ErrorCode(t) != "not_found" {
			t.Errorf("get after delete = %d %s", got.Status, got.Body)
		}
	})
}

func TestCampaignValidation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c, _ := srv.SignUp(t)
		valid := `"name":"n","business_type":"plumber","target_location":"Austin, TX"`
		tests := []struct {
			name       string
			body       string
			wantStatus int
			wantCode   string
			wantFields []string
		}{
			{"missing everything", `{}`, 400, "validation_failed", []string{"name", "business_type", "target_location"}},
			{"blank name", `{"name":"  ","business_type":"plumber","target_location":"Austin"}`, 400, "validation_failed", []string{"name"}},
			{"long name", `{"name":"` + strings.Repeat("n", 201) + `","business_type":"plumber","target_location":"Austin"}`, 400, "validation_failed", []string{"name"}},
			{"name wrong type", `{"name":7,"business_type":"plumber","target_location":"Austin"}`, 400, "validation_failed", []string{"name"}},
			{"unknown top-level field", `{` + valid + `,"status":"running"}`, 400, "invalid_json", nil},
			{"criteria not an object", `{` + valid + `,"target_criteria":[1]}`, 400, "validation_failed", []string{"target_criteria"}},
			{"unknown criterion", `{` + valid + `,"target_criteria":{"budget":5}}`, 400, "validation_failed", []string{"target_criteria.budget"}},
			{"max_results zero", `{` + valid + `,"target_criteria":{"max_results":0}}`, 400, "validation_failed", []string{"target_criteria.max_results"}},
			{"max_results fraction", `{` + valid + `,"target_criteria":{"max_results":2.5}}`, 400, "validation_failed", []string{"target_criteria.max_results"}},
			{"max_results string", `{` + valid + `,"target_criteria":{"max_results":"10"}}`, 400, "validation_failed", []string{"target_criteria.max_results"}},
			{"unknown source", `{` + valid + `,"target_criteria":{"sources":["bing"]}}`, 400, "validation_failed", []string{"target_criteria.sources"}},
			{"min_rating too high", `{` + valid + `,"target_criteria":{"min_rating":6}}`, 400, "validation_failed", []string{"target_criteria.min_rating"}},
			{"negative min_reviews", `{` + valid + `,"target_criteria":{"min_reviews":-1}}`, 400, "validation_failed", []string{"target_criteria.min_reviews"}},
			{"website score range", `{` + valid + `,"target_criteria":{"max_website_score":101}}`, 400, "validation_failed", []string{"target_criteria.max_website_score"}},
			{"bad tier", `{` + valid + `,"target_criteria":{"tiers_for_outreach":["D"]}}`, 400, "validation_failed", []string{"target_criteria.tiers_for_outreach"}},
			{"industries not strings", `{` + valid + `,"target_criteria":{"industries":[1]}}`, 400, "validation_failed", []string{"target_criteria.industries"}},
			{"several bad keys at once", `{` + valid + `,"target_criteria":{"min_rating":"x","max_results":-5}}`, 400, "validation_failed", []string{"target_criteria.min_rating", "target_criteria.max_results"}},
			{"malformed", `{"name":`, 400, "invalid_json", nil},
			{"empty sources is import-only", `{` + valid + `,"target_criteria":{"sources":[]}}`, 201, "", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := c.JSON("POST", "/api/campaigns", tt.body)
				if resp.Status != tt.wantStatus {
					t.Fatalf("= %d %s, want %d", resp.Status, resp.Body, tt.wantStatus)
				}
				if tt.wantCode == "" {
					return
				}
				if code := resp.ErrorCode(t); code != tt.wantCode {
					t.Fatalf("code = %s, want %s (%s)", code, tt.wantCode, resp.Body)
				}
				fields, _ := resp.Map(t)["error"].(map[string]any)["fields"].(map[string]any)
				for _, f := range tt.wantFields {
					if _, ok := fields[f]; !ok {
						t.Errorf("fields = %v, want %q named", fields, f)
					}
				}
			})
		}
	})
}

func TestCampaignsOfOthersAreNotFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		alice, mallory := twoUsers(t, srv)
		id := createCampaign(t, alice, nil)["id"].(string)

		for _, r := range []struct {
			method, path, body string
		}{
			{"GET", "/api/campaigns/" + id, ""},
			{"PATCH", "/api/campaigns/" + id, `{"name":"mine now"}`},
			{"DELETE", "/api/campaigns/" + id, ""},
			{"POST", "/api/campaigns/" + id + "/import", "company_name\nAcme\n"},
		} {
			var resp *apptest.Response
			if r.method == "POST" {
				resp = mallory.Do(r.method, r.path, "text/csv", strings.NewReader(r.body))
			} else {
				resp = mallory.JSON(r.method, r.path, r.body)
			}
			if resp.Status != 404 || resp.ErrorCode(t) != "not_found" {
				t.Errorf("mallory %s %s = %d %s, want 404 not_found", r.method, r.path, resp.Status, resp.Body)
			}
		}
		if list := mallory.Get("/api/campaigns").Map(t)["data"].([]any); len(list) != 0 {
			t.Errorf("mallory lists %d campaigns, want 0", len(list))
		}
		// Unknown and malformed ids look the same as others' ids.
		for _, p := range []string{"/api/campaigns/0195e2a0-0000-7000-8000-000000000000", "/api/campaigns/not-a-uuid", "/api/campaigns/'%20OR%201=1"} {
			if resp := alice.Get(p); resp.Status != 404 || resp.ErrorCode(t) != "not_found" {
				t.Errorf("GET %s = %d %s", p, resp.Status, resp.Body)
			}
		}
		if got := alice.Get("/api/campaigns/" + id); got.Status != 200 || got.Map(t)["name"] != "Austin plumbers" {
			t.Errorf("alice's campaign after mallory's attempts = %d %s", got.Status, got.Body)
		}
	})
}

func TestCampaignListPagination(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c, _ := srv.SignUp(t)
		empty := c.Get("/api/campaigns")
		if string(empty.Body) != "{\"data\":[],\"next_cursor\":null}\n" {
			t.Errorf("empty list body = %s", empty.Body)
		}
		for i := 0; i < 5; i++ {
			createCampaign(t, c, map[string]any{"name": fmt.Sprintf("c%d", i), "business_type": "b", "target_location": "l"})
		}
		var names []string
		path := "/api/campaigns?limit=2"
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
			var page struct {
				Data       []struct{ Name string }
				NextCursor *string `json:"next_cursor"`
			}
			c.Get(path).JSON(t, &page)
			for _, d := range page.Data {
				names = append(names, d.Name)
			}
			if page.NextCursor == nil {
				break
			}
			path = "/api/campaigns?limit=2&cursor=" + *page.NextCursor
		}
		if strings.Join(names, ",") != "c4,c3,c2,c1,c0" {
			t.Errorf("names = %v, want newest first, each once", names)
		}
		for _, q := range []string{"limit=0", "limit=201", "limit=abc", "cursor=garbage"} {
			if resp := c.Get("/api/campaigns?" + q); resp.Status != 400 || resp.ErrorCode(t) != "validation_failed" {
				t.Errorf("?%s = %d %s, want 400 validation_failed", q, resp.Status, resp.Body)
			}
		}
	})
}
