package providers_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
)

func TestDescribe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{&providers.Error{Service: providers.ServiceYelp, Kind: providers.KindAuth, Code: "TOKEN_INVALID", Message: "Invalid access token"},
			"Yelp rejected the API key"},
		{&providers.Error{Service: providers.ServiceGooglePlaces, Kind: providers.KindQuota},
			"Google Places quota exhausted"},
		{&providers.Error{Service: providers.ServiceYelp, Kind: providers.KindQuota, RetryAfter: 5*time.Hour + 10*time.Second},
			"Yelp quota exhausted; it resets in 5h0m0s"},
		{fmt.Errorf("discovery: %w", &providers.Error{Service: providers.ServiceOverpass, Kind: providers.KindRateLimited, RetryAfter: 30 * time.Second}),
			"OpenStreetMap (Overpass) is rate limiting requests; try again in 30s"},
		{&providers.Error{Service: providers.ServiceYelp, Kind: providers.KindAuth, Code: providers.CodeNoAPIKey},
			"no Yelp API key is configured"},
		{&providers.Error{Service: providers.ServiceOverpass, Kind: providers.KindUnavailable, Status: 504},
			"OpenStreetMap (Overpass) is unavailable right now; try again later"},
		{&providers.Error{Service: providers.ServiceOverpass, Kind: providers.KindInvalid, Message: "line 3: parse error"},
			"OpenStreetMap (Overpass) rejected the request: line 3: parse error"},
		{fmt.Errorf("yelp: %w", context.Canceled), "the request was cancelled"},
		{errors.New("something"), "the request failed"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := providers.Describe(tt.err); got != tt.want {
			t.Errorf("Describe(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestErrorHelpers(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("search: %w", &providers.Error{Service: "yelp", Kind: providers.KindRateLimited, Status: 429, Code: "TOO_MANY_REQUESTS_PER_SECOND", RetryAfter: 2 * time.Second})
	if !providers.IsRateLimited(wrapped) || providers.IsQuota(wrapped) || providers.IsAuth(wrapped) {
		t.Error("helpers do not see the wrapped kind")
	}
	if d, ok := providers.RetryAfterOf(wrapped); !ok || d != 2*time.Second {
		t.Errorf("RetryAfterOf = %v, %v", d, ok)
	}
	if _, ok := providers.RetryAfterOf(errors.New("x")); ok {
		t.Error("RetryAfterOf found a wait in a plain error")
	}
	want := "yelp: HTTP 429 TOO_MANY_REQUESTS_PER_SECOND (retry after 2s)"
	if got := errors.Unwrap(wrapped).Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestTextMessage(t *testing.T) {
	t.Parallel()
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	tests := []struct {
		name   string
		header http.Header
		body   string
		want   string
	}{
		{"plain", http.Header{}, "  upstream\n timed out ", "upstream timed out"},
		{"html page", html, `<html><head><title>504 Gateway Timeout</title><style>p{}</style></head><body><p>The server is &quot;busy&quot;.</p></body></html>`,
			`504 Gateway Timeout The server is "busy".`},
		{"html without content type", http.Header{}, `<p><strong>Error</strong>: line 3: parse error</p>`, "Error : line 3: parse error"},
		{"long", http.Header{}, strings.Repeat("é", 400), strings.Repeat("é", 150) + "…"},
	}
	for _, tt := range tests {
		if got := providers.TextMessage(tt.header, []byte(tt.body)); got != tt.want {
			t.Errorf("%s: TextMessage = %q, want %q", tt.name, got, tt.want)
		}
	}
}
