package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/prospectorhq/prospector/internal/ratelimit"
	"github.com/prospectorhq/prospector/internal/ratelimit/redistest"
	"github.com/prospectorhq/prospector/internal/server"
)

// The rate limit's overhead on the API: one signed-in request through the
// whole middleware chain (request id, security headers, authentication,
// metrics, recovery) with no limiter, with the in-process one and with a real redis-server; the
// difference is the limiter's cost per request. In memory, no socket, so
// the chain's own cost is what is measured.
//
//	go test -run '^$' -bench RateLimitMiddleware -benchtime 20000x ./internal/server/
func BenchmarkRateLimitMiddleware(b *testing.B) {
	ok := func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }
	for _, c := range []struct {
		name  string
		limit func(b *testing.B) ratelimit.Limiter
	}{
		{"without limiter", func(*testing.B) ratelimit.Limiter { return nil }},
		{"with memory limiter", func(*testing.B) ratelimit.Limiter { return ratelimit.NewMemory(1 << 30) }},
		{"with redis limiter", func(b *testing.B) ratelimit.Limiter {
			opts, err := redis.ParseURL(redistest.Start(b))
			if err != nil {
				b.Fatal(err)
			}
			client := redis.NewClient(opts)
			b.Cleanup(func() { client.Close() })
			return ratelimit.NewRedis(client, 1<<30, slog.New(slog.DiscardHandler))
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			srv, err := server.New(server.Config{Logger: slog.New(slog.DiscardHandler), Auth: oneUser{}, RateLimit: c.limit(b)})
			if err != nil {
				b.Fatal(err)
			}
			srv.Mount(surface(func(mux *http.ServeMux, on server.Access) { mux.Handle("GET /mine", on.User(ok)) }))
			h := srv.Handler()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, "/mine", nil)
				r.Header.Set("Authorization", "Bearer good")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d %s", w.Code, w.Body)
				}
			}
		})
	}
}
