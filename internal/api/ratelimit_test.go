package api_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/ratelimit/redistest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// Past RATE_LIMIT_PER_MINUTE a user's API calls answer 429 rate_limited
// with Retry-After in whole seconds; another user is not slowed by it.
func TestAUsersCallsPastTheLimitAnswer429(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Env: map[string]string{"RATE_LIMIT_PER_MINUTE": "3"}})
		busy, _ := srv.SignUp(t)
		other, _ := srv.SignUp(t)
		for i := range 3 {
			if resp := busy.Get("/api/campaigns"); resp.Status != http.StatusOK {
				t.Fatalf("call %d within the limit = %d %s", i+1, resp.Status, resp.Body)
			}
		}
		resp := busy.Get("/api/campaigns")
		if resp.Status != http.StatusTooManyRequests || resp.ErrorCode(t) != "rate_limited" {
			t.Fatalf("call past the limit = %d %s, want 429 rate_limited", resp.Status, resp.Body)
		}
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 20 {
			t.Errorf("Retry-After = %q, want the seconds until the next call fits (20 at 3 a minute)", resp.Header.Get("Retry-After"))
		}
		if resp := other.Get("/api/campaigns"); resp.Status != http.StatusOK {
			t.Errorf("another user's call = %d %s: one user's burst slowed someone else", resp.Status, resp.Body)
		}
	})
}

// With REDIS_URL the allowance lives in Redis, where every instance sharing
// it reads it (internal/ratelimit proves two limiters share one Redis).
func TestWithRedisTheLimitLivesInRedis(t *testing.T) {
	url := redistest.Start(t)
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{Env: map[string]string{"RATE_LIMIT_PER_MINUTE": "2", "REDIS_URL": url}})
	busy, u := srv.SignUp(t)
	for i := range 2 {
		if resp := busy.Get("/api/campaigns"); resp.Status != http.StatusOK {
			t.Fatalf("call %d within the limit = %d %s", i+1, resp.Status, resp.Body)
		}
	}
	if resp := busy.Get("/api/campaigns"); resp.Status != http.StatusTooManyRequests {
		t.Fatalf("call past the limit = %d %s, want 429", resp.Status, resp.Body)
	}
	opts, _ := redis.ParseURL(url)
	client := redis.NewClient(opts)
	defer client.Close()
	if n, err := client.Exists(t.Context(), "prospector:rl:user:"+u.ID).Result(); err != nil || n != 1 {
		t.Errorf("Redis holds %d keys for the user (%v), want the user's allowance there", n, err)
	}
}
