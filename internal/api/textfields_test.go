package api_test

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// Issue 9: a NUL byte in a text field was a 500 on PostgreSQL (which cannot
// store one) and stored as is on SQLite. Every text a user sends is held to
// one rule: valid UTF-8, no control characters but tab (and line breaks
// where a field has lines), so each case answers 400 validation_failed
// naming the field, on both engines.
func TestControlCharactersAreRefusedInEveryTextField(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv, c, campaignID := startWithCampaign(t, e)
		validCampaign := func(patch map[string]any) map[string]any {
			body := map[string]any{"name": "Plumbers", "business_type": "plumber", "target_location": "Austin, TX"}
			for k, v := range patch {
				body[k] = v
			}
			return body
		}
		cases := []struct {
			name, method, path string
			body               any
			field              string
		}{
			{"signup full_name", "POST", "/api/auth/signup", map[string]any{"email": "nul-a@example.test", "password": "correct horse battery", "full_name": "Ann\x00"}, "full_name"},
			{"signup company_name", "POST", "/api/auth/signup", map[string]any{"email": "nul-b@example.test", "password": "correct horse battery", "company_name": "Acme\x01 Ltd"}, "company_name"},
			{"campaign name", "POST", "/api/campaigns", validCampaign(map[string]any{"name": "Plumbers\x00"}), "name"},
			{"campaign name with DEL", "POST", "/api/campaigns", validCampaign(map[string]any{"name": "Plumbers\x7f"}), "name"},
			{"campaign name with a C1 control", "POST", "/api/campaigns", validCampaign(map[string]any{"name": "Plumb\u0085ers"}), "name"},
			{"campaign business_type", "POST", "/api/campaigns", validCampaign(map[string]any{"business_type": "plumb\x00er"}), "business_type"},
			{"campaign target_location", "POST", "/api/campaigns", validCampaign(map[string]any{"target_location": "Austin\x00"}), "target_location"},
			{"campaign industries", "POST", "/api/campaigns", validCampaign(map[string]any{"target_criteria": map[string]any{"industries": []string{"plumbing\x00"}}}), "target_criteria.industries"},
			{"campaign patch name", "PATCH", "/api/campaigns/" + campaignID, map[string]any{"name": "x\x00"}, "name"},
			{"campaign patch industries", "PATCH", "/api/campaigns/" + campaignID, map[string]any{"target_criteria": map[string]any{"industries": []string{"\x00"}}}, "target_criteria.industries"},
			{"prospects q", "GET", "/api/prospects?q=" + url.QueryEscape("bob\x00"), nil, "q"},
			{"prospects q with a line break", "GET", "/api/prospects?q=" + url.QueryEscape("bob\nalice"), nil, "q"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var resp *apptest.Response
				if tc.method == "GET" {
					resp = c.Get(tc.path)
				} else {
					resp = c.JSON(tc.method, tc.path, tc.body)
				}
				if resp.Status != http.StatusBadRequest || resp.ErrorCode(t) != "validation_failed" {
					t.Fatalf("%s %s = %d %s, want 400 validation_failed", tc.method, tc.path, resp.Status, resp.Body)
				}
				var e struct {
					Error struct {
						Fields map[string]string `json:"fields"`
					} `json:"error"`
				}
				resp.JSON(t, &e)
				if !strings.Contains(e.Error.Fields[tc.field], "control characters") {
					t.Errorf("fields = %v, want %s refused for its control characters", e.Error.Fields, tc.field)
				}
			})
		}

		// Identifiers are not text fields: a NUL in one finds nothing.
		for _, path := range []string{"/api/campaigns/" + url.PathEscape("\x00"), "/api/prospects/" + url.PathEscape("a\x00b"), "/api/outreach/" + url.PathEscape("\x00")} {
			if resp := c.Get(path); resp.Status != http.StatusNotFound {
				t.Errorf("GET %s = %d %s, want 404", path, resp.Status, resp.Body)
			}
		}
		for _, id := range []struct{ path, body string }{
			{"/api/outreach/generate", `{"prospect_id": "a\u0000b"}`},
			{"/api/prospects/export", `{"campaign_id": "\u0000"}`},
		} {
			if resp := c.JSON("POST", id.path, id.body); resp.Status != http.StatusBadRequest && resp.Status != http.StatusNotFound {
				t.Errorf("POST %s %s = %d %s, want 400 or 404", id.path, id.body, resp.Status, resp.Body)
			}
		}
		if resp := srv.Client(t).JSON("POST", "/api/auth/login", map[string]any{"email": "a\x00@example.test", "password": "correct horse battery"}); resp.Status != http.StatusUnauthorized {
			t.Errorf("login with a NUL = %d %s, want 401", resp.Status, resp.Body)
		}
		if resp := srv.Client(t).JSON("POST", "/api/auth/refresh", map[string]any{"refresh_token": "\x00"}); resp.Status != http.StatusUnauthorized {
			t.Errorf("refresh with a NUL = %d %s, want 401", resp.Status, resp.Body)
		}
		// Tabs are text, and a campaign may say so.
		if resp := c.JSON("POST", "/api/campaigns", validCampaign(map[string]any{"name": "Plumbers\tAustin"})); resp.Status != http.StatusCreated {
			t.Errorf("a tab in a campaign name = %d %s, want 201", resp.Status, resp.Body)
		}
	})
}

// Issue 9: on PostgreSQL a long incompressible name, email or phone in an
// imported file overflowed its index (a 500, and the whole file refused);
// on SQLite a 5,000,000-character name was stored. Each such row is now
// rejected with its reason and the rest of the file imports, on both
// engines.
func TestImportRejectsOverlongCellsAndKeepsTheRest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		_, c, campaignID := startWithCampaign(t, e)
		noise := incompressible(6000)
		file := "company_name,email,phone,city\n" +
			noise + ",,,Austin\n" +
			"Long Email Co," + noise[:3000] + "@example.com,,Austin\n" +
			"Long Phone Co,,+1" + strings.Repeat("5", 5000) + ",Austin\n" +
			"\"" + strings.Repeat("Plumbing ", 5_000_000/9) + "\",,,Austin\n" +
			"Control Co,,,Aus\x1btin\n" +
			"Joe's Plumbing,joe@joes.example,+1 512 555 0100,Austin\n"
		resp, res := importCSV(t, c, campaignID, []byte(file))
		if resp.Status != http.StatusOK {
			t.Fatalf("import = %d %s, want 200", resp.Status, resp.Body)
		}
		want := []string{
			"1: company_name must be at most 200 characters",
			"2: email must be at most 254 characters",
			"3: phone must be at most 40 characters",
			"4: company_name must be at most 200 characters",
			"5: city must not contain control characters",
		}
		var got []string
		for _, r := range res.Rejected {
			got = append(got, strconv.Itoa(r.Row)+": "+r.Reason)
		}
		if res.Imported != 1 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("imported %d, rejected:\n%s\nwant 1 imported, rejected:\n%s", res.Imported, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// incompressible is n letters with no repetition a compressor could use, as
// the long values that overflowed PostgreSQL's index were.
func incompressible(n int) string {
	rng := rand.New(rand.NewPCG(9, 9))
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(rng.IntN(26))
	}
	return string(b)
}
