package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// Issue 9: encoding/json matches keys case-insensitively (NAME was taken
// as name) and keeps the last of duplicate keys; every endpoint now refuses
// both as invalid_json, at any depth.
func TestJSONKeysMustBeExactAndGivenOnce(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	c, _ := srv.SignUp(t)
	campaign := `"name":"n","business_type":"plumber","target_location":"Austin, TX"`
	draft := "/api/outreach/" + store.NewID() + "/edit"
	cases := []struct {
		name, method, path, body string
		mention                  string // what the message must name
	}{
		{"signup, key in upper case", "POST", "/api/auth/signup",
			`{"EMAIL":"upper-` + store.NewID() + `@example.test","password":"a long enough password"}`, `"EMAIL"`},
		{"signup, duplicate email", "POST", "/api/auth/signup",
			`{"email":"a-` + store.NewID() + `@example.test","email":"b-` + store.NewID() + `@example.test","password":"a long enough password"}`, `"email"`},
		{"campaign, key in upper case", "POST", "/api/campaigns", `{"NAME":"n","business_type":"plumber","target_location":"Austin, TX"}`, `"NAME"`},
		{"campaign, duplicate name", "POST", "/api/campaigns", `{` + campaign + `,"name":"other"}`, `"name"`},
		{"campaign, duplicate criterion", "POST", "/api/campaigns", `{` + campaign + `,"target_criteria":{"max_results":5,"max_results":500}}`, `"target_criteria.max_results"`},
		{"outreach edit, nested key in another case", "PATCH", draft, `{"emails":[{"step":1,"delay_days":0,"Subject":"Hi","body":"Hello"}]}`, `"emails[0].Subject"`},
		{"outreach edit, nested duplicate", "PATCH", draft, `{"emails":[{"step":1,"step":2,"delay_days":0,"subject":"Hi","body":"Hello"}]}`, `"emails[0].step"`},
	}
	for _, tc := range cases {
		resp := c.Do(tc.method, tc.path, "application/json", strings.NewReader(tc.body))
		errObj, _ := resp.Map(t)["error"].(map[string]any)
		msg, _ := errObj["message"].(string)
		if resp.Status != http.StatusBadRequest || resp.ErrorCode(t) != "invalid_json" || !strings.Contains(msg, tc.mention) {
			t.Errorf("%s: %d %s, want 400 invalid_json naming %s", tc.name, resp.Status, resp.Body, tc.mention)
		}
	}
	// Exact keys, each once, still go through.
	if resp := c.JSON("POST", "/api/campaigns", `{`+campaign+`,"target_criteria":{"max_results":5}}`); resp.Status != http.StatusCreated {
		t.Errorf("campaign with exact keys: %d %s, want 201", resp.Status, resp.Body)
	}
	if resp := c.JSON("PATCH", draft, `{"emails":[{"step":1,"delay_days":0,"subject":"Hi","body":"Hello"}]}`); resp.Status != http.StatusNotFound {
		t.Errorf("edit of a missing draft with exact keys: %d %s, want 404", resp.Status, resp.Body)
	}
}
