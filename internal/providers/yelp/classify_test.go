package yelp

import (
	"net/http"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC)
	read := func(name string) []byte { return providerstest.Testdata(t, name) }
	tests := []struct {
		name     string
		status   int
		header   http.Header
		body     []byte
		wantNil  bool
		wantKind providers.Kind
		wantCode string
		wantMsg  string
		wantRA   time.Duration
	}{
		{name: "business envelope", status: 400, body: read("error_business.json"),
			wantKind: providers.KindInvalid, wantCode: "VALIDATION_ERROR", wantMsg: "The supplied limit: 100 is invalid."},
		{name: "generic envelope", status: 401, body: read("error_generic.json"),
			wantKind: providers.KindAuth, wantCode: "UNAUTHORIZED", wantMsg: "The access token provided is not valid."},
		{name: "daily limit with reset time", status: 429,
			header:   http.Header{"Ratelimit-Resettime": {"2026-03-03T00:00:00+00:00"}},
			body:     []byte(`{"error":{"code":"ACCESS_LIMIT_REACHED","description":"You've reached the access limit for this client."}}`),
			wantKind: providers.KindQuota, wantCode: "ACCESS_LIMIT_REACHED", wantMsg: "You've reached the access limit for this client.", wantRA: 3 * time.Hour},
		{name: "per-second limit", status: 429, body: []byte(`{"error":{"code":"TOO_MANY_REQUESTS_PER_SECOND","description":"slow down"}}`),
			wantKind: providers.KindRateLimited, wantCode: "TOO_MANY_REQUESTS_PER_SECOND", wantMsg: "slow down"},
		{name: "unknown code falls back on the status", status: 503, body: []byte(`{"error":{"code":"SOMETHING_NEW","description":"x"}}`),
			wantKind: providers.KindUnavailable, wantCode: "SOMETHING_NEW", wantMsg: "x"},
		{name: "HTML page is left to the default", status: 502, body: []byte(`<html><body>Bad gateway</body></html>`), wantNil: true},
		{name: "JSON without an envelope is left to the default", status: 500, body: []byte(`{"message":"x"}`), wantNil: true},
	}
	for _, tt := range tests {
		h := tt.header
		if h == nil {
			h = http.Header{}
		}
		got := classify(&providers.Response{Status: tt.status, Header: h, Body: tt.body, Received: now})
		if tt.wantNil {
			if got != nil {
				t.Errorf("%s: classify = %+v, want nil", tt.name, got)
			}
			continue
		}
		if got == nil || got.Kind != tt.wantKind || got.Code != tt.wantCode || got.Message != tt.wantMsg || got.RetryAfter != tt.wantRA {
			t.Errorf("%s: classify = %+v, want %v %s %q %v", tt.name, got, tt.wantKind, tt.wantCode, tt.wantMsg, tt.wantRA)
		}
	}
}
