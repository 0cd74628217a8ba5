package ratelimit

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// gcra is the whole decision in one script, so two instances admitting the
// same key at once cannot both spend its last allowance. The time is the
// Redis server's own (TIME), so instances whose clocks differ still agree.
// It answers 0 when admitted, else the milliseconds to wait.
var gcra = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local nxt = tat + interval
local wait = nxt - now - burst
if wait > 0 then return wait end
redis.call('SET', KEYS[1], nxt, 'PX', nxt - now)
return 0
`)

// Redis is a GCRA limiter whose times live in Redis under "prospector:rl:"
// keys that expire when their allowance is full again. When Redis cannot be
// reached it admits the request and logs a warning (at most one a minute):
// a limiter that is down must not take the product down with it.
type Redis struct {
	client             redis.Scripter
	log                *slog.Logger
	intervalMS, burstM int64
	lastWarn           atomic.Int64 // unix seconds of the last warning
}

// redisTimeout bounds one decision, so a slow Redis slows no request by
// more than this.
const redisTimeout = 250 * time.Millisecond

// NewRedis limits each key to perMinute requests per minute (perMinute >
// 0) through client.
func NewRedis(client redis.Scripter, perMinute int, log *slog.Logger) *Redis {
	interval := (time.Minute / time.Duration(perMinute)).Milliseconds()
	return &Redis{client: client, log: log, intervalMS: max(interval, 1), burstM: max(interval, 1) * int64(perMinute)}
}

// Allow implements Limiter; now is unused (the Redis server's clock is).
func (l *Redis) Allow(ctx context.Context, key string, _ time.Time) (bool, time.Duration) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), redisTimeout)
	defer cancel()
	wait, err := gcra.Run(ctx, l.client, []string{"prospector:rl:" + key}, l.intervalMS, l.burstM).Int64()
	if err != nil {
		if now := time.Now().Unix(); now-l.lastWarn.Load() >= 60 {
			l.lastWarn.Store(now)
			l.log.Warn("rate limit: redis unreachable, admitting requests unlimited", slog.String("error", err.Error()))
		}
		return true, 0
	}
	if wait > 0 {
		return false, time.Duration(wait) * time.Millisecond
	}
	return true, 0
}
