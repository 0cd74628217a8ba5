package app_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// TestSeparateOwnerRunsACampaign boots the program with DATABASE_OWNER_URL:
// the migrations (Prospector's and River's) run as the database's owner, and
// everything else as a role with only row grants. A user's whole journey —
// import, search, a campaign discovered, enriched and scored through the job
// queue, the internal API's owner lookups — must work as it does on one role.
func TestSeparateOwnerRunsACampaign(t *testing.T) {
	var pg *storetest.Engine
	for _, e := range storetest.Engines() {
		if e.Name == store.Postgres {
			pg = &e
		}
	}
	if pg == nil {
		t.Skip("TEST_DATABASE_URL not set: DATABASE_OWNER_URL exists only on PostgreSQL")
	}
	const token = "internal-token-0123456789-0123456789"
	srv := apptest.Start(t, *pg, apptest.Options{SeparateOwner: true, Sandbox: &sandbox.Options{},
		Env: map[string]string{"INTERNAL_API_TOKEN": token}})
	if srv.Env["DATABASE_OWNER_URL"] == "" || srv.Env["DATABASE_OWNER_URL"] == srv.Env["DATABASE_URL"] {
		t.Fatalf("the server does not run with an owner of its own: %v", srv.Env)
	}
	c, _ := srv.SignUp(t)
	svc := srv.Client(t)
	svc.Token = token

	resp := c.JSON("POST", "/api/campaigns", map[string]any{"name": "owned", "business_type": "plumber",
		"target_location": "Austin, TX", "target_criteria": map[string]any{"max_results": 5}})
	if resp.Status != http.StatusCreated {
		t.Fatalf("create campaign = %d %s", resp.Status, resp.Body)
	}
	id := resp.Map(t)["id"].(string)
	resp = c.Do("POST", "/api/campaigns/"+id+"/import", "text/csv",
		bytes.NewReader([]byte("company_name,website\nImported Riverbend,riverbend-imported.example\n")))
	if resp.Status != http.StatusOK {
		t.Fatalf("import = %d %s", resp.Status, resp.Body)
	}
	var list struct {
		Data []struct {
			ID          string `json:"id"`
			CompanyName string `json:"company_name"`
		} `json:"data"`
	}
	c.Get("/api/prospects?q=riverbend").JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].CompanyName != "Imported Riverbend" {
		t.Fatalf("search q=riverbend = %+v, want the imported prospect", list.Data)
	}

	if resp := svc.JSON("POST", "/api/internal/jobs/discovery", map[string]any{"campaign_id": id}); resp.Status != http.StatusAccepted {
		t.Fatalf("internal discovery = %d %s", resp.Status, resp.Body)
	}
	deadline := time.Now().Add(120 * time.Second)
	for {
		var st struct {
			Status     string         `json:"status"`
			LeadsFound int            `json:"leads_found"`
			ByStatus   map[string]int `json:"by_status"`
		}
		c.Get("/api/campaigns/"+id+"/stats").JSON(t, &st)
		if st.Status == "completed" {
			if st.LeadsFound != 6 || st.ByStatus["discovered"] != 0 || st.ByStatus["enriching"] != 0 {
				t.Errorf("completed campaign: %+v, want 6 prospects (5 found, 1 imported), none left waiting", st)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("campaign still %s after 120 s: %+v", st.Status, st)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if resp := svc.JSON("POST", "/api/internal/jobs/enrich", map[string]any{"prospect_id": list.Data[0].ID}); resp.Status != http.StatusAccepted {
		t.Errorf("internal enrich = %d %s", resp.Status, resp.Body)
	}
	if resp := c.Get("/readyz"); resp.Status != http.StatusOK {
		t.Errorf("readyz = %d %s", resp.Status, resp.Body)
	}
}
