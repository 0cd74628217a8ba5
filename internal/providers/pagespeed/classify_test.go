package pagespeed

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	read := func(name string) []byte { return providerstest.Testdata(t, name) }
	tests := []struct {
		name     string
		status   int
		body     []byte
		wantNil  bool
		wantKind providers.Kind
		wantCode string
		wantSite bool
	}{
		{name: "FAILED_DOCUMENT_REQUEST", status: 400, body: read("error_failed_document_request.json"),
			wantKind: providers.KindInvalid, wantCode: "FAILED_DOCUMENT_REQUEST", wantSite: true},
		{name: "ERRORED_DOCUMENT_REQUEST under a 500", status: 500, body: read("error_errored_document_request.json"),
			wantKind: providers.KindInvalid, wantCode: "ERRORED_DOCUMENT_REQUEST", wantSite: true},
		{name: "DNS failure", status: 400, body: []byte(`{"error":{"code":400,"message":"Lighthouse returned error: DNS_FAILURE. DNS servers could not resolve the provided domain."}}`),
			wantKind: providers.KindInvalid, wantCode: "DNS_FAILURE", wantSite: true},
		{name: "a user error without a known code", status: 400,
			body:     []byte(`{"error":{"code":400,"message":"Lighthouse returned error: SOMETHING_NEW.","errors":[{"message":"x","domain":"lighthouse","reason":"lighthouseUserError"}]}}`),
			wantKind: providers.KindInvalid, wantCode: "SOMETHING_NEW", wantSite: true},
		{name: "Lighthouse's own failure", status: 500, body: []byte(`{"error":{"code":500,"message":"Lighthouse returned error: PROTOCOL_TIMEOUT. Waiting for DevTools protocol response has exceeded the allotted time."}}`),
			wantKind: providers.KindUnavailable, wantCode: "PROTOCOL_TIMEOUT"},
		{name: "Lighthouse failure without a code", status: 500, body: []byte(`{"error":{"code":500,"message":"Lighthouse returned error: Something went wrong."}}`),
			wantKind: providers.KindUnavailable, wantCode: ""},
		{name: "invalid key", status: 400, body: read("error_api_key_invalid.json"), wantKind: providers.KindAuth, wantCode: "API_KEY_INVALID"},
		{name: "invalid key, message only", status: 400, body: []byte(`{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}`),
			wantKind: providers.KindAuth, wantCode: "INVALID_ARGUMENT"},
		{name: "API disabled", status: 403, body: []byte(`{"error":{"code":403,"message":"PageSpeed Insights API has not been used in project 1 before or it is disabled.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED"}]}}`),
			wantKind: providers.KindAuth, wantCode: "SERVICE_DISABLED"},
		{name: "per-minute quota", status: 429, body: read("error_quota_per_minute.json"), wantKind: providers.KindRateLimited, wantCode: "RATE_LIMIT_EXCEEDED"},
		{name: "legacy rate limit under a 403", status: 403, body: []byte(`{"error":{"code":403,"message":"User Rate Limit Exceeded","errors":[{"message":"User Rate Limit Exceeded","domain":"usageLimits","reason":"userRateLimitExceeded"}]}}`),
			wantKind: providers.KindRateLimited, wantCode: "userRateLimitExceeded"},
		{name: "daily quota", status: 429, body: []byte(`{"error":{"code":429,"message":"Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service 'pagespeedonline.googleapis.com'.","status":"RESOURCE_EXHAUSTED"}}`),
			wantKind: providers.KindQuota, wantCode: "RESOURCE_EXHAUSTED"},
		{name: "bad parameter", status: 400, body: []byte(`{"error":{"code":400,"message":"Invalid value at 'strategy'","status":"INVALID_ARGUMENT"}}`),
			wantKind: providers.KindInvalid, wantCode: "INVALID_ARGUMENT"},
		{name: "HTML page is left to the default", status: 502, body: []byte(`<html><body>Bad gateway</body></html>`), wantNil: true},
	}
	for _, tt := range tests {
		got := classify(&providers.Response{Status: tt.status, Header: http.Header{}, Body: tt.body, Received: time.Now()})
		if tt.wantNil {
			if got != nil {
				t.Errorf("%s: classify = %+v, want nil", tt.name, got)
			}
			continue
		}
		if got == nil || got.Kind != tt.wantKind || got.Code != tt.wantCode {
			t.Errorf("%s: classify = %+v, want %v %q", tt.name, got, tt.wantKind, tt.wantCode)
			continue
		}
		if errors.Is(got, ErrSiteNotAnalysable) != tt.wantSite {
			t.Errorf("%s: site error = %v, want %v", tt.name, !tt.wantSite, tt.wantSite)
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	t.Parallel()
	providerstest.CheckNormalize(t, "normalizeURL", normalizeURL, map[string]string{
		"https://acme.example/":           "https://acme.example/",
		"https://acme.example":            "https://acme.example/",
		"HTTPS://acme.example/a?b=c#frag": "https://acme.example/a?b=c",
		" acme.example/contact ":          "http://acme.example/contact",
		"":                                "",
		"mailto:x@acme.example":           "",
		"ftp://acme.example/":             "",
		"http://":                         "",
	})
}
