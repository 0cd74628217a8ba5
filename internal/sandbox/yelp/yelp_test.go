package yelp_test

import (
	"net/url"
	"testing"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

func TestYelpValidation(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	auth := map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}
	tests := []struct {
		name       string
		query      string
		header     map[string]string
		wantStatus int
		wantCode   string
	}{
		{"no token", "term=plumbers&location=Austin", nil, 401, "TOKEN_MISSING"},
		{"wrong token", "term=plumbers&location=Austin", map[string]string{"Authorization": "Bearer nope"}, 401, "TOKEN_INVALID"},
		{"key in the URL", "term=plumbers&location=Austin&api_key=" + sb.YelpAPIKey, nil, 401, "TOKEN_MISSING"},
		{"limit over 50", "term=plumbers&location=Austin&limit=51", auth, 400, "VALIDATION_ERROR"},
		{"window over 1000", "term=plumbers&location=Austin&limit=20&offset=990", auth, 400, "VALIDATION_ERROR"},
		{"no location", "term=plumbers", auth, 400, "VALIDATION_ERROR"},
		{"unknown location", "term=plumbers&location=" + url.QueryEscape(town.UnknownLocation), auth, 400, "LOCATION_NOT_FOUND"},
		{"quota key", "term=plumbers&location=Austin", map[string]string{"Authorization": "Bearer " + sandbox.QuotaExhaustedKey}, 429, "ACCESS_LIMIT_REACHED"},
	}
	for _, tt := range tests {
		a := sandboxtest.Do(t, "GET", sb.YelpURL+"/businesses/search?"+tt.query, tt.header, "")
		e, _ := a.JSON(t)["error"].(map[string]any)
		if a.Status != tt.wantStatus || e["code"] != tt.wantCode || e["description"] == "" {
			t.Errorf("%s: %d %s", tt.name, a.Status, a.Body)
		}
	}
}

func TestYelpBusinessShape(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	a := sandboxtest.Do(t, "GET", sb.YelpURL+"/businesses/search?term=plumbers&location=Austin,+TX&limit=50",
		map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}, "")
	if a.Header.Get("RateLimit-DailyLimit") == "" || a.Header.Get("RateLimit-ResetTime") == "" {
		t.Error("rate-limit headers missing")
	}
	m := a.JSON(t)
	if m["total"].(float64) < 100 {
		t.Errorf("total = %v", m["total"])
	}
	nulls := 0
	for _, raw := range m["businesses"].([]any) {
		b := raw.(map[string]any)
		if _, ok := b["website"]; ok {
			t.Error("Yelp does not return the business's website")
		}
		loc := b["location"].(map[string]any)
		if loc["address2"] == nil {
			nulls++
		}
		if _, ok := loc["address3"]; !ok {
			t.Error("address3 missing: Yelp sends it, often as null")
		}
	}
	if nulls == 0 {
		t.Error("no null address2: clients must meet Yelp's nulls")
	}
}

func TestYelpGenericEnvelopeFault(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.Yelp: {Status: 500, GenericEnvelope: true, Times: 1}}})
	u := sb.YelpURL + "/businesses/search?term=plumbers&location=Austin"
	h := map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}
	a := sandboxtest.Do(t, "GET", u, h, "")
	errs, _ := a.JSON(t)["errors"].([]any)
	if a.Status != 500 || len(errs) != 1 || errs[0].(map[string]any)["error_code"] != "INTERNAL_SERVER_ERROR" {
		t.Errorf("fault answer: %d %s", a.Status, a.Body)
	}
	if a := sandboxtest.Do(t, "GET", u, h, ""); a.Status != 200 {
		t.Errorf("after the single fault: %d", a.Status)
	}
	if n := sb.RequestCount(sandbox.Yelp); n != 2 {
		t.Errorf("request count = %d", n)
	}
}
