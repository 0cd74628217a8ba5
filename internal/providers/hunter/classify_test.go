package hunter

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	read := func(name string) []byte { return providerstest.Testdata(t, name) }
	envelope := func(id string, code int, details string) []byte {
		return fmt.Appendf(nil, `{"errors":[{"id":%q,"code":%d,"details":%q}]}`, id, code, details)
	}
	tests := []struct {
		name     string
		status   int
		body     []byte
		wantKind providers.Kind
		wantCode string
		wantMsg  string
		wantDNP  bool
	}{
		{name: "wrong params", status: 400, body: read("error_wrong_params.json"),
			wantKind: providers.KindInvalid, wantCode: "wrong_params", wantMsg: "You are missing the domain parameter"},
		{name: "pagination error", status: 400, body: envelope("pagination_error", 400, "limited"),
			wantKind: providers.KindInvalid, wantCode: "pagination_error", wantMsg: "limited"},
		{name: "bad key", status: 401, body: envelope("authentication_failed", 401, "No user found"),
			wantKind: providers.KindAuth, wantCode: "authentication_failed", wantMsg: "No user found"},
		{name: "403 is the rate limit", status: 403, body: envelope("too_many_requests", 403, "slow down"),
			wantKind: providers.KindRateLimited, wantCode: "too_many_requests", wantMsg: "slow down"},
		{name: "429 is the monthly allowance", status: 429, body: envelope("too_many_requests", 429, "usage limit"),
			wantKind: providers.KindQuota, wantCode: "too_many_requests", wantMsg: "usage limit"},
		{name: "451 claimed email", status: 451, body: read("error_claimed_email.json"),
			wantKind: providers.KindRejected, wantCode: "claimed_email", wantDNP: true,
			wantMsg: "The owner of this email address asked us to stop processing their personal data."},
		{name: "451 without a body", status: 451, body: nil,
			wantKind: providers.KindRejected, wantCode: "claimed_email", wantDNP: true},
		{name: "claimed_email under another status", status: 400, body: envelope("claimed_email", 400, "x"),
			wantKind: providers.KindRejected, wantCode: "claimed_email", wantMsg: "x", wantDNP: true},
		{name: "422", status: 422, body: envelope("invalid_lead", 422, "x"), wantKind: providers.KindInvalid, wantCode: "invalid_lead", wantMsg: "x"},
		{name: "404", status: 404, body: envelope("not_found", 404, "x"), wantKind: providers.KindNotFound, wantCode: "not_found", wantMsg: "x"},
		{name: "the documentation's single-object form", status: 400, body: []byte(`{"errors":{"id":"wrong_params","code":400,"details":"x"}}`),
			wantKind: providers.KindInvalid, wantCode: "wrong_params", wantMsg: "x"},
		{name: "HTML from a proxy", status: 503, body: []byte(`<html><body><h1>Service Unavailable</h1></body></html>`),
			wantKind: providers.KindUnavailable, wantMsg: "Service Unavailable"},
	}
	for _, tt := range tests {
		got := classify(&providers.Response{Status: tt.status, Header: http.Header{}, Body: tt.body, Received: time.Now()})
		if got.Kind != tt.wantKind || got.Code != tt.wantCode || got.Message != tt.wantMsg {
			t.Errorf("%s: classify = %+v, want %v %q %q", tt.name, got, tt.wantKind, tt.wantCode, tt.wantMsg)
		}
		if errors.Is(got, ErrDoNotProcess) != tt.wantDNP {
			t.Errorf("%s: do-not-process = %v", tt.name, !tt.wantDNP)
		}
	}
}

func TestNormalizeDomain(t *testing.T) {
	t.Parallel()
	providerstest.CheckNormalize(t, "normalizeDomain", normalizeDomain, map[string]string{
		"acme.example":                             "acme.example",
		" WWW.Acme.Example. ":                      "acme.example",
		"https://www.acme.example/contact?x=1#top": "acme.example",
		"http://acme.example:8080":                 "acme.example",
		"info@acme.example":                        "acme.example",
		"shop.acme.co.uk":                          "shop.acme.co.uk",
		"":                                         "",
		"localhost":                                "",
		"acme example.com":                         "",
	})
}
