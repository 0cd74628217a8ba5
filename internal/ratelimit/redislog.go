package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// RedisLogger carries go-redis's own log lines (its pool's dial failures,
// hook errors) to slog at warn level, instead of the library's default
// logger on standard error: pass it to redis.SetLogger. The line keeps the
// library's wording and the arguments that are errors, numbers, durations
// or booleans; any other argument (a command or a key, which may name a
// user or a client address) is written as "…", so no personal data reaches
// the log. Each distinct line is written at most once a minute: a Redis
// that is down fails every request's dial, and the limiter already says so.
type RedisLogger struct {
	log *slog.Logger
	now func() time.Time

	mu   sync.Mutex
	last map[string]time.Time
}

// redisLogEvery is how often one line of the library's is repeated.
const redisLogEvery = time.Minute

// NewRedisLogger returns the adapter, writing to log.
func NewRedisLogger(log *slog.Logger) *RedisLogger {
	return &RedisLogger{log: log, now: time.Now, last: map[string]time.Time{}}
}

// Printf implements go-redis's internal.Logging.
func (l *RedisLogger) Printf(ctx context.Context, format string, v ...any) {
	safe := make([]any, len(v))
	for i, a := range v {
		switch a := a.(type) {
		case error:
			safe[i] = a.Error()
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, bool, time.Duration:
			safe[i] = a
		default:
			safe[i] = "…"
		}
	}
	msg := strings.TrimSpace(strings.TrimPrefix(fmt.Sprintf(format, safe...), "redis: "))
	now := l.now()
	l.mu.Lock()
	if t, seen := l.last[format]; seen && now.Sub(t) < redisLogEvery {
		l.mu.Unlock()
		return
	}
	if len(l.last) > 1000 { // formats are constants; bound it anyway
		clear(l.last)
	}
	l.last[format] = now
	l.mu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	l.log.WarnContext(ctx, "redis client", slog.String("detail", msg))
}
