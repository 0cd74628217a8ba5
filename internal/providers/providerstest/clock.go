// Package providerstest holds test doubles for the providers plumbing.
package providerstest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// Clock is a fake providers.Clock. Sleep never blocks: it records the
// duration and, unless Frozen, moves the clock forward by it, so a test of a
// 30 s back-off runs in microseconds and can assert the exact wait.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	sleeps  []time.Duration
	frozen  bool
	onSleep func(time.Duration)
}

// OnSleep registers f to run at the start of every Sleep, before the clock
// moves: a test can make something happen "while" a caller waits.
func (c *Clock) OnSleep(f func(time.Duration)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onSleep = f
}

// NewClock returns a clock at start that advances on Sleep.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// NewFrozenClock returns a clock whose Sleep records but does not advance
// time, so that reservations taken concurrently all see the same instant and
// the set of waits does not depend on goroutine scheduling.
func NewFrozenClock(start time.Time) *Clock { return &Clock{now: start, frozen: true} }

// Now returns the fake time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep records d and returns at once (ctx.Err() if ctx is already done).
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	hook := c.onSleep
	c.mu.Unlock()
	if hook != nil && d > 0 {
		hook(d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.sleeps = append(c.sleeps, d)
		if !c.frozen {
			c.now = c.now.Add(d)
		}
	}
	return nil
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleeps returns the recorded sleeps, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// Slept returns the sum of the recorded sleeps.
func (c *Clock) Slept() time.Duration {
	var total time.Duration
	for _, d := range c.Sleeps() {
		total += d
	}
	return total
}

// EpochClock returns a clock at Epoch: NewFrozenClock's when frozen, else
// NewClock's.
func EpochClock(frozen bool) *Clock {
	if frozen {
		return NewFrozenClock(Epoch)
	}
	return NewClock(Epoch)
}

// CheckSleeps fails the test unless the recorded sleeps are want, in order.
func (c *Clock) CheckSleeps(t testing.TB, want ...time.Duration) {
	t.Helper()
	if got := c.Sleeps(); !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
}
