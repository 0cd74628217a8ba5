package providers

import (
	"context"
	"math"
	"sync"
	"time"
)

// Rate is a token-bucket rate: PerSecond requests per second on average, up
// to Burst at once. A zero PerSecond means no limit.
type Rate struct {
	PerSecond float64
	Burst     int
}

// Limiter is a token bucket shared by every goroutine using one client, so
// that the service sees one rate whatever the number of jobs. It also lets
// a 429 pause everybody (Block), not only the request that received it:
// the next request from another job would otherwise be rejected as well.
//
// A nil *Limiter lets everything through.
type Limiter struct {
	mu           sync.Mutex
	clock        Clock
	rate         float64 // tokens per second; 0 = unlimited
	burst        float64
	tokens       float64   // as of last; negative when waiters hold reservations
	last         time.Time // may lie in the future after Block
	blockedUntil time.Time
	gen          uint64 // bumped by each Block; voids reservations made before it
}

// NewLimiter returns a limiter for r on clock c (SystemClock when nil).
func NewLimiter(r Rate, c Clock) *Limiter {
	if c == nil {
		c = SystemClock{}
	}
	burst := float64(max(r.Burst, 1))
	return &Limiter{clock: c, rate: max(r.PerSecond, 0), burst: burst, tokens: burst}
}

// Wait blocks until the caller may send one request, or until ctx is done.
func (l *Limiter) Wait(ctx context.Context) error {
	if l == nil {
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for {
		wait, gen := l.reserve()
		if wait > 0 {
			if err := l.clock.Sleep(ctx, wait); err != nil {
				l.release(gen)
				return err
			}
		}
		l.mu.Lock()
		blocked := l.gen != gen
		l.mu.Unlock()
		if !blocked {
			return nil
		}
		// A Block arrived while we slept: our slot was computed before the
		// service told everyone to stop, so queue again behind the pause.
	}
}

// reserve takes a token and returns how long the caller must wait for it,
// with the Block generation the reservation belongs to.
func (l *Limiter) reserve() (time.Duration, uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	var wait time.Duration
	if l.rate > 0 {
		l.refill(now)
		l.tokens--
		start := l.last
		if start.Before(now) {
			start = now
		}
		if l.tokens < 0 {
			start = start.Add(secondsToDuration(-l.tokens / l.rate))
		}
		wait = start.Sub(now)
	}
	if b := l.blockedUntil.Sub(now); b > wait {
		wait = b
	}
	return wait, l.gen
}

// release gives back the token of a caller that gave up waiting, unless a
// Block has reset the bucket since.
func (l *Limiter) release(gen uint64) {
	if l.rate == 0 {
		return
	}
	l.mu.Lock()
	if l.gen == gen {
		l.tokens = math.Min(l.tokens+1, l.burst)
	}
	l.mu.Unlock()
}

func (l *Limiter) refill(now time.Time) {
	if now.After(l.last) {
		l.tokens = math.Min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
		l.last = now
	}
}

// Block stops every caller for d from now. When the pause ends one request
// goes first and the rest follow at the normal rate, so a service that has
// just said "too many requests" does not receive a whole burst at once;
// callers already waiting for a slot queue again behind the pause.
func (l *Limiter) Block(d time.Duration) {
	if l == nil || d <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	until := now.Add(d)
	if !until.After(l.blockedUntil) {
		return
	}
	l.blockedUntil = until
	l.gen++
	if l.rate > 0 {
		l.refill(now)
		l.tokens = 1
		l.last = until
	}
}

func secondsToDuration(s float64) time.Duration {
	return time.Duration(math.Ceil(s * float64(time.Second)))
}
