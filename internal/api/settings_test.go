package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

const (
	keysPath     = "/api/settings/api-keys"
	anthropicKey = keysPath + "/anthropic"
	// Shaped like Anthropic's keys; the middle is what must never leak.
	firstKey  = "sk-ant-api03-FIRSTsecretMiddlePart-0123456789-aaaa"
	secondKey = "sk-ant-api03-SECONDsecretMiddlePart-9876543210-bbbb"
)

type apiKeyView struct {
	Service   string `json:"service"`
	Last4     string `json:"last4"`
	UpdatedAt string `json:"updated_at"`
}

func listAPIKeys(t *testing.T, c *apptest.Client) ([]apiKeyView, *apptest.Response) {
	t.Helper()
	resp := c.Get(keysPath)
	if resp.Status != http.StatusOK {
		t.Fatalf("list keys = %d %s", resp.Status, resp.Body)
	}
	var l struct {
		Data []apiKeyView `json:"data"`
	}
	resp.JSON(t, &l)
	if l.Data == nil {
		t.Fatalf("list keys = %s, want data to be a list", resp.Body)
	}
	return l.Data, resp
}

// noKeyIn fails when any part of key beyond its last four characters is in b.
func noKeyIn(t *testing.T, what string, b []byte, key string) {
	t.Helper()
	if bytes.Contains(b, []byte(key)) || bytes.Contains(b, []byte(key[:len(key)-4])) || bytes.Contains(b, []byte("secretMiddle")) {
		t.Errorf("%s holds the key: %s", what, b)
	}
}

func TestAPIKeysAreSetListedReplacedAndDeleted(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		var logs bytes.Buffer
		srv := apptest.Start(t, e, apptest.Options{LogTo: &logs})
		a, b := twoUsers(t, srv)

		resp := a.JSON("PUT", anthropicKey, map[string]any{"key": firstKey})
		if resp.Status != http.StatusOK {
			t.Fatalf("set key = %d %s", resp.Status, resp.Body)
		}
		noKeyIn(t, "PUT answer", resp.Body, firstKey)
		m := resp.Map(t)
		if len(m) != 3 || m["service"] != "anthropic" || m["last4"] != "aaaa" || m["updated_at"] == nil {
			t.Fatalf("set key answered %s, want {service, last4, updated_at}", resp.Body)
		}
		set := m["updated_at"].(string)

		list, lresp := listAPIKeys(t, a)
		noKeyIn(t, "list", lresp.Body, firstKey)
		if len(list) != 1 || list[0] != (apiKeyView{Service: "anthropic", Last4: "aaaa", UpdatedAt: set}) {
			t.Fatalf("list = %+v, want the anthropic key as set (%s)", list, set)
		}

		// Each user has their own keys.
		if l, _ := listAPIKeys(t, b); len(l) != 0 {
			t.Fatalf("another user lists %+v", l)
		}
		if resp := b.JSON("DELETE", anthropicKey, nil); resp.Status != http.StatusNotFound || resp.ErrorCode(t) != "not_found" {
			t.Fatalf("another user deletes = %d %s, want 404 not_found", resp.Status, resp.Body)
		}

		// Replacing keeps one key per service.
		resp = a.JSON("PUT", anthropicKey, map[string]any{"key": secondKey})
		if resp.Status != http.StatusOK || resp.Map(t)["last4"] != "bbbb" {
			t.Fatalf("replace key = %d %s", resp.Status, resp.Body)
		}
		noKeyIn(t, "PUT answer", resp.Body, secondKey)
		list, lresp = listAPIKeys(t, a)
		noKeyIn(t, "list", lresp.Body, secondKey)
		if len(list) != 1 || list[0].Last4 != "bbbb" || list[0].UpdatedAt < set {
			t.Fatalf("list after replacing = %+v, want the new key alone, updated after %s", list, set)
		}

		if resp := a.JSON("DELETE", anthropicKey, nil); resp.Status != http.StatusNoContent {
			t.Fatalf("delete = %d %s", resp.Status, resp.Body)
		}
		if resp := a.JSON("DELETE", anthropicKey, nil); resp.Status != http.StatusNotFound || resp.ErrorCode(t) != "not_found" {
			t.Fatalf("delete twice = %d %s, want 404 not_found", resp.Status, resp.Body)
		}
		if l, _ := listAPIKeys(t, a); len(l) != 0 {
			t.Fatalf("list after delete = %+v", l)
		}

		if !strings.Contains(logs.String(), "http request") {
			t.Fatal("no access log captured")
		}
		noKeyIn(t, "the log", logs.Bytes(), firstKey)
		noKeyIn(t, "the log", logs.Bytes(), secondKey)
	})
}

func TestAPIKeysRefuseBadInputs(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c, _ := srv.SignUp(t)
		anon := srv.Client(t)
		for _, tc := range []struct {
			name         string
			anonymous    bool
			method, path string
			body         any
			status       int
			code         string
			field        string // the fields entry a validation error names
		}{
			{name: "malformed JSON", method: "PUT", path: anthropicKey, body: `{"key": "sk-ant-`, status: 400, code: "invalid_json"},
			{name: "not an object", method: "PUT", path: anthropicKey, body: `["` + firstKey + `"]`, status: 400, code: "invalid_json"},
			{name: "empty body", method: "PUT", path: anthropicKey, body: ``, status: 400, code: "invalid_json"},
			{name: "unknown field", method: "PUT", path: anthropicKey, body: map[string]any{"key": firstKey, "scope": "all"}, status: 400, code: "invalid_json"},
			{name: "wrong type", method: "PUT", path: anthropicKey, body: map[string]any{"key": 1234567890123456789}, status: 400, code: "validation_failed", field: "key"},
			{name: "missing", method: "PUT", path: anthropicKey, body: map[string]any{}, status: 400, code: "validation_failed", field: "key"},
			{name: "empty", method: "PUT", path: anthropicKey, body: map[string]any{"key": ""}, status: 400, code: "validation_failed", field: "key"},
			{name: "too short", method: "PUT", path: anthropicKey, body: map[string]any{"key": "sk-ant-0123456789ab"}, status: 400, code: "validation_failed", field: "key"},
			{name: "too long", method: "PUT", path: anthropicKey, body: map[string]any{"key": strings.Repeat("k", 301)}, status: 400, code: "validation_failed", field: "key"},
			{name: "spaces", method: "PUT", path: anthropicKey, body: map[string]any{"key": "sk-ant-api03 0123456789 abcdef"}, status: 400, code: "validation_failed", field: "key"},
			{name: "surrounding newline", method: "PUT", path: anthropicKey, body: map[string]any{"key": firstKey + "\n"}, status: 400, code: "validation_failed", field: "key"},
			{name: "not ASCII", method: "PUT", path: anthropicKey, body: map[string]any{"key": "sk-ant-api03-clé-0123456789abcdef"}, status: 400, code: "validation_failed", field: "key"},
			{name: "oversize body", method: "PUT", path: anthropicKey, body: `{"key": "` + strings.Repeat("k", 1<<20) + `"}`, status: 413, code: "payload_too_large"},
			{name: "not JSON content", method: "PUT", path: anthropicKey, body: nil, status: 415, code: "unsupported_media_type"},
			{name: "unknown service", method: "PUT", path: keysPath + "/openai", body: map[string]any{"key": firstKey}, status: 404, code: "not_found"},
			{name: "unknown service, bad body", method: "PUT", path: keysPath + "/Anthropic", body: `{`, status: 404, code: "not_found"},
			{name: "delete unknown service", method: "DELETE", path: keysPath + "/hunter.io", status: 404, code: "not_found"},
			{name: "read one key back", method: "GET", path: anthropicKey, status: 405, code: "method_not_allowed"},
			{name: "list without auth", anonymous: true, method: "GET", path: keysPath, status: 401, code: "unauthorized"},
			{name: "set without auth", anonymous: true, method: "PUT", path: anthropicKey, body: map[string]any{"key": firstKey}, status: 401, code: "unauthorized"},
			{name: "delete without auth", anonymous: true, method: "DELETE", path: anthropicKey, status: 401, code: "unauthorized"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				client := c
				if tc.anonymous {
					client = anon
				}
				var resp *apptest.Response
				if tc.name == "not JSON content" {
					resp = client.Do(tc.method, tc.path, "text/plain", strings.NewReader(firstKey))
				} else {
					resp = client.JSON(tc.method, tc.path, tc.body)
				}
				if resp.Status != tc.status || resp.ErrorCode(t) != tc.code {
					t.Fatalf("%s %s = %d %s, want %d %s", tc.method, tc.path, resp.Status, resp.Body, tc.status, tc.code)
				}
				if tc.field != "" {
					var body struct {
						Error struct {
							Fields map[string]string `json:"fields"`
						} `json:"error"`
					}
					resp.JSON(t, &body)
					if body.Error.Fields[tc.field] == "" {
						t.Errorf("fields = %v, want %s named", body.Error.Fields, tc.field)
					}
				}
				noKeyIn(t, "error answer", resp.Body, firstKey)
			})
		}
		if l, _ := listAPIKeys(t, c); len(l) != 0 {
			t.Fatalf("bad requests stored %+v", l)
		}
	})
}

// userAnthropicKey is the key the sandbox's Claude accepts in the BYOK
// test. (sandbox.DefaultAnthropicKey is shorter than any real key, and
// than the 20 characters the API asks for.)
const userAnthropicKey = "sk-ant-sandbox-users-own-key-0001"

// TestUsersOwnClaudeKeyWins runs the pipeline on a server without an
// Anthropic key: the user who stored theirs gets Claude's research and
// drafts, the user who did not gets the template, and neither is told
// anything failed.
func TestUsersOwnClaudeKeyWins(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{
			Sandbox: &sandbox.Options{Anthropic: sandbox.AnthropicOptions{APIKey: userAnthropicKey}},
			Env:     map[string]string{"ANTHROPIC_API_KEY": " ", "HUNTER_API_KEY": " ", "PAGESPEED_API_KEY": " "},
		})
		withKey, without := twoUsers(t, srv)
		if resp := withKey.JSON("PUT", anthropicKey, map[string]any{"key": srv.Sandbox.AnthropicAPIKey}); resp.Status != http.StatusOK {
			t.Fatalf("set key = %d %s", resp.Status, resp.Body)
		}

		criteria := map[string]any{"max_results": 5, "sources": []string{"google_maps"}, "tiers_for_outreach": []string{"A", "B", "C"}}
		ids := map[*apptest.Client]string{}
		for _, c := range []*apptest.Client{withKey, without} {
			ids[c] = startCampaign(t, c, criteria)
		}
		for c, id := range ids {
			waitStatus(t, c, id, "completed")
		}

		draftsBy := func(c *apptest.Client) map[string]int {
			t.Helper()
			var l struct {
				Data []struct {
					GeneratedBy string `json:"generated_by"`
				} `json:"data"`
			}
			c.Get("/api/outreach?campaign_id="+ids[c]+"&limit=200").JSON(t, &l)
			out := map[string]int{}
			for _, s := range l.Data {
				out[s.GeneratedBy]++
			}
			return out
		}
		if got := draftsBy(withKey); len(got) != 1 || got["claude-sonnet-4-6"] == 0 {
			t.Errorf("drafts of the user with a key, by writer: %v; want all by claude-sonnet-4-6", got)
		}
		if got := draftsBy(without); len(got) != 1 || got["template"] == 0 {
			t.Errorf("drafts of the user without a key, by writer: %v; want all by the template", got)
		}

		// Without a key research is simply off: not recorded as a failure.
		var l struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		without.Get("/api/prospects?campaign_id="+ids[without]+"&limit=200").JSON(t, &l)
		for _, p := range l.Data {
			var v struct {
				CompanyName string `json:"company_name"`
				Enrichment  *struct {
					CompanySummary *string        `json:"company_summary"`
					Analysis       map[string]any `json:"website_analysis"`
				} `json:"enrichment"`
			}
			without.Get("/api/prospects/"+p.ID).JSON(t, &v)
			if e := v.Enrichment; e == nil || e.CompanySummary != nil || e.Analysis["research"] != nil {
				t.Errorf("%s: enrichment %+v, want no research and no research note", v.CompanyName, e)
			}
		}

		reqs := srv.Sandbox.Requests(sandbox.Anthropic)
		if len(reqs) == 0 {
			t.Fatal("Claude was never called")
		}
		for _, r := range reqs {
			if got := r.Header.Get("x-api-key"); got != userAnthropicKey {
				t.Fatalf("a call to Claude carried key %q, want the user's own", got)
			}
		}
	})
}
