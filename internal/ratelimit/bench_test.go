package ratelimit_test

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/ratelimit"
)

// The cost of one admission decision, per request: in process, and in a
// real redis-server on loopback (one script call, one round trip). Keys
// rotate over 1,000 callers, all within their allowance, so every call
// is an admission that writes.
//
//	go test -run '^$' -bench . -benchtime 20000x ./internal/ratelimit/
func BenchmarkAllow(b *testing.B) {
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("user:%d", i)
	}
	limiters := []struct {
		name string
		new  func(b *testing.B) ratelimit.Limiter
	}{
		{"memory", func(*testing.B) ratelimit.Limiter { return ratelimit.NewMemory(1 << 30) }},
		{"redis", func(b *testing.B) ratelimit.Limiter {
			return ratelimit.NewRedis(startRedis(b), 1<<30, slog.New(slog.DiscardHandler))
		}},
	}
	for _, l := range limiters {
		b.Run(l.name, func(b *testing.B) {
			lim := l.new(b)
			ctx := b.Context()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				if ok, _ := lim.Allow(ctx, keys[i%len(keys)], time.Now()); !ok {
					b.Fatal("refused within the allowance")
				}
				i++
			}
		})
	}
}
