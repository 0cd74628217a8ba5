package googleplaces_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
)

func TestGoogleErrors(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	u := sb.GooglePlacesURL + "/v1/places:searchText"
	body := `{"textQuery":"plumbers in Austin, TX"}`
	tests := []struct {
		name       string
		header     map[string]string
		body       string
		wantStatus int
		wantCode   string
		wantInMsg  string
	}{
		{"missing key", map[string]string{"X-Goog-FieldMask": "places.id"}, body, 403, "PERMISSION_DENIED", "missing a valid API key"},
		{"invalid key", map[string]string{"X-Goog-Api-Key": "nope", "X-Goog-FieldMask": "places.id"}, body, 400, "INVALID_ARGUMENT", "API key not valid"},
		{"quota key", map[string]string{"X-Goog-Api-Key": sandbox.QuotaExhaustedKey, "X-Goog-FieldMask": "places.id"}, body, 429, "RESOURCE_EXHAUSTED", "per day"},
		{"missing mask", sandboxtest.GoogleHeaders(sb, ""), body, 400, "INVALID_ARGUMENT", "FieldMask is a required parameter"},
		{"unknown mask field", sandboxtest.GoogleHeaders(sb, "places.id,places.emailAddress"), body, 400, "INVALID_ARGUMENT", "places.emailAddress"},
		{"unknown body field", sandboxtest.GoogleHeaders(sb, "places.id"), `{"textQuery":"x","query":"y"}`, 400, "INVALID_ARGUMENT", `Unknown name "query"`},
		{"missing textQuery", sandboxtest.GoogleHeaders(sb, "places.id"), `{}`, 400, "INVALID_ARGUMENT", "text_query"},
		{"negative pageSize", sandboxtest.GoogleHeaders(sb, "places.id"), `{"textQuery":"x","pageSize":-1}`, 400, "INVALID_ARGUMENT", "pageSize"},
		{"bad page token", sandboxtest.GoogleHeaders(sb, "places.id"), `{"textQuery":"x","pageToken":"garbage"}`, 400, "INVALID_ARGUMENT", "page_token"},
	}
	for _, tt := range tests {
		a := sandboxtest.Do(t, "POST", u, tt.header, tt.body)
		if a.Status != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.name, a.Status, tt.wantStatus)
			continue
		}
		e, _ := a.JSON(t)["error"].(map[string]any)
		if e["status"] != tt.wantCode || e["code"] != float64(tt.wantStatus) || !strings.Contains(e["message"].(string), tt.wantInMsg) {
			t.Errorf("%s: error = %v", tt.name, e)
		}
	}
}

func TestGoogleReturnsOnlyMaskedFields(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	u := sb.GooglePlacesURL + "/v1/places:searchText"
	a := sandboxtest.Do(t, "POST", u, sandboxtest.GoogleHeaders(sb, "places.id,places.displayName"), `{"textQuery":"plumbers in Austin, TX","pageSize":5}`)
	m := a.JSON(t)
	if _, ok := m["nextPageToken"]; ok {
		t.Error("nextPageToken returned although the mask did not ask for it")
	}
	places := m["places"].([]any)
	if len(places) != 5 {
		t.Fatalf("%d places, want 5", len(places))
	}
	for _, p := range places {
		keys := slices.Sorted(maps.Keys(p.(map[string]any)))
		if strings.Join(keys, ",") != "displayName,id" {
			t.Errorf("place fields = %v", keys)
		}
	}
}

func TestGooglePagingRules(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	u := sb.GooglePlacesURL + "/v1/places:searchText"
	h := sandboxtest.GoogleHeaders(sb, "places.id,nextPageToken")
	first := `{"textQuery":"plumbers in Austin, TX","regionCode":"us"}`
	seen := map[string]bool{}
	token := ""
	for page := 0; ; page++ {
		body := first
		if token != "" {
			// pageSize may change between pages; nothing else may.
			body = `{"textQuery":"plumbers in Austin, TX","regionCode":"us","pageSize":20,"pageToken":"` + token + `"}`
		}
		m := sandboxtest.Do(t, "POST", u, h, body).JSON(t)
		for _, p := range m["places"].([]any) {
			seen[p.(map[string]any)["id"].(string)] = true
		}
		token, _ = m["nextPageToken"].(string)
		if token == "" {
			if page != 2 {
				t.Errorf("last page was page %d, want 2 (60 results)", page)
			}
			break
		}
		if page == 0 {
			changed := `{"textQuery":"plumbers in Austin, TX","regionCode":"ca","pageToken":"` + token + `"}`
			a := sandboxtest.Do(t, "POST", u, h, changed)
			if a.Status != 400 || !strings.Contains(string(a.Body), "must match") {
				t.Errorf("changed parameters: %d %s", a.Status, a.Body)
			}
		}
	}
	if len(seen) != 60 {
		t.Errorf("%d distinct places over all pages, want 60", len(seen))
	}
}
