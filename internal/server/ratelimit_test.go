package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/ratelimit"
	"github.com/prospectorhq/prospector/internal/server"
)

// With RATE_LIMIT_PER_MINUTE a signed-in user's requests past the burst,
// and a visitor's on the sign-in pages, are refused as rate_limited; public
// routes (pixels, unsubscribe links, webhooks) never are.
func TestRateLimitRefusesPastTheBurst(t *testing.T) {
	const limit = 3
	ok := func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }
	base := serve(t, server.Config{RateLimit: ratelimit.NewMemory(limit)}, func(mux *http.ServeMux, on server.Access) {
		mux.Handle("GET /mine", on.User(ok))
		mux.Handle("GET /login", on.Visitor(ok))
		mux.Handle("GET /pixel", on.Public(ok))
	})
	cases := []struct {
		name, path string
		header     map[string]string
		limited    bool
	}{
		{"signed-in user", "/mine", map[string]string{"Authorization": "Bearer good"}, true},
		{"visitor by address", "/login", nil, true},
		{"public route", "/pixel", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := range limit {
				if resp, body := get(t, base+c.path, c.header); resp.StatusCode != http.StatusOK {
					t.Fatalf("request %d of %d = %d %s, want ok", i+1, limit, resp.StatusCode, body)
				}
			}
			resp, body := get(t, base+c.path, c.header)
			if limited := strings.TrimSpace(body) == "rate_limited"; limited != c.limited {
				t.Errorf("request %d = %d %q, limited %v, want %v", limit+1, resp.StatusCode, body, limited, c.limited)
			}
		})
	}
	// A refused caller (no valid token) is refused as unauthorized, not
	// counted: the check runs first.
	if _, body := get(t, base+"/mine", map[string]string{"Authorization": "Bearer bad"}); strings.TrimSpace(body) != "unauthorized" {
		t.Errorf("a bad token = %q, want unauthorized", body)
	}
}
