package api_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// TestOpenAPIIsServedAndEveryDocumentedRouteIsLive fetches the document
// from a running server and asks the server's own mux, for every
// documented operation, which route answers it (path parameters filled
// in): it must be exactly the documented one, so a documented route that
// is not mounted (or is shadowed by another) fails here by name.
func TestOpenAPIIsServedAndEveryDocumentedRouteIsLive(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	resp := srv.Client(t).Get("/api/openapi.json")
	if resp.Status != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/openapi.json = %d %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	resp.JSON(t, &doc)
	if doc.OpenAPI != "3.1.0" || len(doc.Paths) < 40 {
		t.Fatalf("document: openapi %q with %d paths", doc.OpenAPI, len(doc.Paths))
	}
	var failures []string
	for path, item := range doc.Paths {
		concrete := path
		for _, p := range []string{"{id}", "{service}", "{token}"} {
			concrete = strings.ReplaceAll(concrete, p, map[string]string{"{id}": "0190a0b0-0000-7000-8000-000000000001",
				"{service}": "hunter", "{token}": "sample-token"}[p])
		}
		for method := range item {
			want := strings.ToUpper(method) + " " + path
			if got := srv.App.Route(strings.ToUpper(method), concrete); got != want {
				failures = append(failures, want+" is answered by "+quoteOrNone(got))
			}
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Errorf("documented route not served as documented: %s", f)
	}
}

func quoteOrNone(s string) string {
	if s == "" {
		return "no route"
	}
	b, _ := json.Marshal(s)
	return string(b)
}
