// Package ratelimit decides whether one more request of a caller (a user,
// a client address) fits its allowance. The rule is GCRA, the generic cell
// rate algorithm: each key remembers one time, the theoretical arrival time
// of its next request, so a limit of n per minute allows a burst of n and
// then one request every minute/n, with no per-request history kept.
//
// Memory keeps the times in this process; Redis keeps them in a Redis
// server, so every instance sharing it shares the allowance (REDIS_URL).
package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Limiter admits or refuses one request of key at now; a refusal says how
// long until the next request would be admitted.
type Limiter interface {
	Allow(ctx context.Context, key string, now time.Time) (ok bool, retryAfter time.Duration)
}

// Memory is an in-process GCRA limiter: perMinute requests per key per
// minute, in bursts of at most perMinute.
type Memory struct {
	interval time.Duration // between requests at the steady rate
	burst    time.Duration // how far ahead of now a key's time may run

	mu    sync.Mutex
	next  map[string]time.Time // theoretical arrival time per key
	calls int
}

// sweepEvery is how many calls pass between sweeps of keys whose time has
// passed (they are at full allowance, the same as never seen): the map
// stays the size of the recently active callers.
const sweepEvery = 4096

// NewMemory limits each key to perMinute requests per minute (perMinute >
// 0).
func NewMemory(perMinute int) *Memory {
	interval := time.Minute / time.Duration(perMinute)
	return &Memory{interval: interval, burst: interval * time.Duration(perMinute), next: map[string]time.Time{}}
}

// Allow implements Limiter.
func (m *Memory) Allow(_ context.Context, key string, now time.Time) (bool, time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.calls%sweepEvery == 0 {
		for k, t := range m.next {
			if !t.After(now) {
				delete(m.next, k)
			}
		}
	}
	tat := m.next[key]
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(m.interval)
	if wait := next.Sub(now) - m.burst; wait > 0 {
		return false, wait
	}
	m.next[key] = next
	return true, 0
}
