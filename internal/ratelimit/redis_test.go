package ratelimit_test

import (
	"bytes"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/prospectorhq/prospector/internal/ratelimit"
	"github.com/prospectorhq/prospector/internal/ratelimit/redistest"
)

func startRedis(t testing.TB) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(redistest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	client := redis.NewClient(opts)
	t.Cleanup(func() { client.Close() })
	return client
}

// Two instances sharing one Redis share each caller's allowance: a burst
// spent through one is spent for the other, and another caller is not
// touched.
func TestRedisSharesTheAllowanceBetweenInstances(t *testing.T) {
	client := startRedis(t)
	log := slog.New(slog.DiscardHandler)
	one, two := ratelimit.NewRedis(client, 4, log), ratelimit.NewRedis(client, 4, log)
	now := time.Now()
	for i, l := range []*ratelimit.Redis{one, two, one, two} {
		if ok, _ := l.Allow(t.Context(), "user:a", now); !ok {
			t.Fatalf("request %d of a burst of 4 refused", i+1)
		}
	}
	for _, l := range []*ratelimit.Redis{one, two} {
		ok, wait := l.Allow(t.Context(), "user:a", now)
		if ok || wait <= 0 || wait > 15*time.Second {
			t.Errorf("request past the shared burst = %v, retry after %v; want refused within 15 s (one a quarter minute)", ok, wait)
		}
	}
	if ok, _ := two.Allow(t.Context(), "user:b", now); !ok {
		t.Error("another caller was refused")
	}
	ttl, err := client.PTTL(t.Context(), "prospector:rl:user:a").Result()
	if err != nil || ttl <= 0 || ttl > time.Minute {
		t.Errorf("the caller's key expires in %v (%v), want within a minute: idle callers must not stay in Redis", ttl, err)
	}
}

// Redis down → every request is admitted, with a warning in the log, never
// an error to the user.
func TestRedisDownFailsOpen(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	client := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	t.Cleanup(func() { client.Close() })
	var logs bytes.Buffer
	limiter := ratelimit.NewRedis(client, 1, slog.New(slog.NewTextHandler(&logs, nil)))
	for i := range 3 {
		if ok, _ := limiter.Allow(t.Context(), "user:a", time.Now()); !ok {
			t.Fatalf("request %d refused while Redis is down", i+1)
		}
	}
	if n := strings.Count(logs.String(), "redis unreachable"); n != 1 {
		t.Errorf("%d warnings for three requests, want one (at most one a minute): %s", n, logs.String())
	}
}
