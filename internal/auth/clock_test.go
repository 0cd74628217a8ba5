package auth

import (
	"sync"
	"time"
)

// fakeClock is a manually advanced clock shared by the token and throttle
// tests; it starts at an arbitrary instant with sub-second precision so that
// truncation to whole seconds is exercised.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 3, 14, 9, 26, 53, 589_793_238, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
