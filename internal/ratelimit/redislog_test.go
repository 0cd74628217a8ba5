package ratelimit_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/prospectorhq/prospector/internal/ratelimit"
)

// go-redis's own lines (here its pool failing to dial a Redis that is
// down) reach our log as one warning, not standard error; arguments that
// could hold personal data are left out; a line repeated by every request
// is written once.
func TestRedisLogsGoThroughSlogWithoutPersonalData(t *testing.T) {
	var buf bytes.Buffer
	logger := ratelimit.NewRedisLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	redis.SetLogger(logger)
	t.Cleanup(func() { redis.SetLogger(ratelimit.NewRedisLogger(slog.New(slog.DiscardHandler))) })

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	client := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { client.Close() })
	for range 3 {
		if err := client.Ping(context.Background()).Err(); err == nil {
			t.Fatal("ping to a closed port succeeded")
		}
	}
	out := buf.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "failed to dial") || !strings.Contains(out, "connection refused") {
		t.Fatalf("log = %q, want go-redis's dial failure as a warning", out)
	}
	if n := strings.Count(out, "failed to dial"); n != 1 {
		t.Errorf("the dial failure was logged %d times in a row, want once a minute:\n%s", n, out)
	}

	buf.Reset()
	logger.Printf(context.Background(), "redis: command %s on key %q failed after %d tries: %v",
		"EVALSHA", "prospector:rl:addr:203.0.113.7", 3, errors.New("i/o timeout"))
	out = buf.String()
	if strings.Contains(out, "203.0.113.7") || strings.Contains(out, "EVALSHA") {
		t.Errorf("log = %q: a command or key argument reached the log", out)
	}
	if !strings.Contains(out, "3 tries") || !strings.Contains(out, "i/o timeout") {
		t.Errorf("log = %q, want the counts and the error kept", out)
	}
}
