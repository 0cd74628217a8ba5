package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// seedProspects imports n prospects named "Company i" into a new campaign.
func seedProspects(t *testing.T, c *apptest.Client, n int) string {
	t.Helper()
	id := createCampaign(t, c, nil)["id"].(string)
	var b strings.Builder
	b.WriteString("company_name,website,city\n")
	for i := 0; i < n; i++ {
		city := "Austin"
		if i%2 == 1 {
			city = "Round Rock"
		}
		fmt.Fprintf(&b, "Company %d,company%d.example,%s\n", i, i, city)
	}
	resp, res := importCSV(t, c, id, []byte(b.String()))
	if resp.Status != 200 || res.Imported != n {
		t.Fatalf("seed import = %d %s", resp.Status, resp.Body)
	}
	return id
}

func TestProspectListFiltersAndPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c, _ := srv.SignUp(t)
		id := seedProspects(t, c, 7)
		other := seedProspects(t, c, 2)

		count := func(query string) int {
			t.Helper()
			resp := c.Get("/api/prospects?" + query)
			if resp.Status != 200 {
				t.Fatalf("?%s = %d %s", query, resp.Status, resp.Body)
			}
			var l struct{ Data []any }
			resp.JSON(t, &l)
			return len(l.Data)
		}
		tests := []struct {
			query string
			want  int
		}{
			{"campaign_id=" + id, 7},
			{"campaign_id=" + other, 2},
			{"", 9},
			{"campaign_id=" + id + "&q=round+rock", 3},
			{"campaign_id=" + id + "&q=COMPANY5.EXAMPLE", 1},
			{"campaign_id=" + id + "&status=discovered", 7},
			{"campaign_id=" + id + "&status=qualified", 0},
			{"campaign_id=" + id + "&tier=A", 0},
			{"q=no-such-thing", 0},
		}
		for _, tt := range tests {
			if got := count(tt.query); got != tt.want {
				t.Errorf("?%s: %d prospects, want %d", tt.query, got, tt.want)
			}
		}

		seen := map[string]bool{}
		path := "/api/prospects?campaign_id=" + id + "&limit=3"
		for pages := 1; ; pages++ {
			var page struct {
				Data []struct {
					ID string `json:"id"`
				}
				NextCursor *string `json:"next_cursor"`
			}
			c.Get(path).JSON(t, &page)
			for _, p := range page.Data {
				if seen[p.ID] {
					t.Fatalf("prospect %s on two pages", p.ID)
				}
				seen[p.ID] = true
			}
			if page.NextCursor == nil {
				if pages != 3 {
					t.Errorf("%d pages of 3 for 7 prospects, want 3", pages)
				}
				break
			}
			path = "/api/prospects?campaign_id=" + id + "&limit=3&cursor=" + *page.NextCursor
		}
		if len(seen) != 7 {
			t.Errorf("paged through %d prospects, want 7", len(seen))
		}

		for _, q := range []string{"status=bogus", "tier=D", "campaign_id=nope", "limit=500", "q=" + strings.Repeat("x", 201)} {
			if resp := c.Get("/api/prospects?" + q); resp.Status != 400 || resp.ErrorCode(t) != "validation_failed" {
				t.Errorf("?%s = %d %s, want 400 validation_failed", q[:min(len(q), 30)], resp.Status, resp.Body)
			}
		}
	})
}

func TestProspectsOfOthersAreNotFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		alice, mallory := twoUsers(t, srv)
		cid := seedProspects(t, alice, 2)
		var l struct {
			Data []struct {
				ID string `json:"id"`
			}
		}
		alice.Get("/api/prospects?campaign_id="+cid).JSON(t, &l)
		pid := l.Data[0].ID

		if resp := mallory.Get("/api/prospects/" + pid); resp.Status != 404 || resp.ErrorCode(t) != "not_found" {
			t.Errorf("mallory GET prospect = %d %s", resp.Status, resp.Body)
		}
		var ml struct{ Data []any }
		mallory.Get("/api/prospects?campaign_id="+cid).JSON(t, &ml)
		if len(ml.Data) != 0 {
			t.Errorf("mallory lists %d of alice's prospects", len(ml.Data))
		}
		resp := mallory.JSON("POST", "/api/prospects/export", map[string]any{"campaign_id": cid})
		rows, err := csv.NewReader(bytes.NewReader(resp.Body)).ReadAll()
		if resp.Status != 200 || err != nil || len(rows) != 1 {
			t.Errorf("mallory export of alice's campaign = %d, %d rows (%v); want only the header", resp.Status, len(rows), err)
		}
	})
}

func TestExportStreamsCSV(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		_, c, id := startWithCampaign(t, e)
		file := "company_name,website,phone,email,first_name,title\n" +
			"\"=HYPERLINK(\"\"http://evil.example\"\")\",evil.example,,,,\n" +
			"Good Plumbing,good.example,512-555-0100,jo@good.example,Jo,Owner\n"
		if resp, res := importCSV(t, c, id, []byte(file)); resp.Status != 200 || res.Imported != 2 {
			t.Fatalf("import = %d %s", resp.Status, resp.Body)
		}

		resp := c.JSON("POST", "/api/prospects/export", map[string]any{"campaign_id": id})
		if resp.Status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export = %d %s %s", resp.Status, resp.Header.Get("Content-Type"), resp.Body)
		}
		rows, err := csv.NewReader(bytes.NewReader(resp.Body)).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("export rows = %d, err %v:\n%s", len(rows), err, resp.Body)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		byName := map[string][]string{}
		for _, r := range rows[1:] {
			byName[r[col["company_name"]]] = r
		}
		good := byName["Good Plumbing"]
		if good == nil || good[col["contact_email"]] != "jo@good.example" || good[col["phone"]] != "+15125550100" ||
			good[col["contact_title"]] != "Owner" {
			t.Errorf("good row = %v", good)
		}
		if byName[`'=HYPERLINK("http://evil.example")`] == nil {
			t.Errorf("a formula company name must be defused with a leading quote; rows = %v", rows)
		}

		for name, body := range map[string]string{
			"unknown field":  `{"campaign":"x"}`,
			"bad status":     `{"status":"nope"}`,
			"bad campaign":   `{"campaign_id":"x"}`,
			"malformed JSON": `{`,
			"wrong type":     `{"tier":1}`,
		} {
			if resp := c.JSON("POST", "/api/prospects/export", body); resp.Status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", name, resp.Status, resp.Body)
			}
		}
	})
}
