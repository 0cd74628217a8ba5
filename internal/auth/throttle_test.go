package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

const (
	testMaxFailures = 5
	testWindow      = 15 * time.Minute
)

func newTestThrottle(t *testing.T) (*Throttle, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	return NewThrottle(testMaxFailures, testWindow, clock.Now), clock
}

func assertAllowed(t *testing.T, th *Throttle, key string) {
	t.Helper()
	if wait, blocked := th.Check(key); blocked {
		t.Fatalf("Check(%q) blocked for %s, want allowed", key, wait)
	}
}

func assertBlocked(t *testing.T, th *Throttle, key string, wantWait time.Duration) {
	t.Helper()
	wait, blocked := th.Check(key)
	if !blocked {
		t.Fatalf("Check(%q) allowed, want blocked for %s", key, wantWait)
	}
	if wait != wantWait {
		t.Fatalf("Check(%q) retry after %s, want %s", key, wait, wantWait)
	}
}

func failN(t *testing.T, th *Throttle, clock *fakeClock, key string, n int, gap time.Duration) {
	t.Helper()
	for i := range n {
		if i > 0 {
			clock.Advance(gap)
		}
		th.Fail(key)
	}
}

func TestThrottleBlocksAfterMaxFailures(t *testing.T) {
	t.Parallel()
	th, clock := newTestThrottle(t)
	const key = "email:ann@example.com"

	// Four failures a minute apart (0..3 min) leave the fifth attempt free.
	failN(t, th, clock, key, 4, time.Minute)
	assertAllowed(t, th, key)

	clock.Advance(time.Minute)
	th.Fail(key) // fifth, at 4 min
	// The sixth attempt waits until the first failure (at 0) is 15 minutes
	// old: 11 minutes from now.
	assertBlocked(t, th, key, 11*time.Minute)

	clock.Advance(11*time.Minute - time.Second)
	assertBlocked(t, th, key, time.Second)
	clock.Advance(time.Second - time.Nanosecond)
	assertBlocked(t, th, key, time.Second) // 1ns left still rounds up to 1s
	clock.Advance(time.Nanosecond)
	assertAllowed(t, th, key)
}

func TestThrottleRetryAfterRoundsUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		elapsed time.Duration
		want    time.Duration
	}{
		{0, 10 * time.Second},
		{time.Millisecond, 10 * time.Second},
		{2500 * time.Millisecond, 8 * time.Second},
		{3 * time.Second, 7 * time.Second},
		{9999 * time.Millisecond, time.Second},
	} {
		t.Run(tc.elapsed.String(), func(t *testing.T) {
			clock := newFakeClock()
			th := NewThrottle(1, 10*time.Second, clock.Now)
			th.Fail("k")
			clock.Advance(tc.elapsed)
			assertBlocked(t, th, "k", tc.want)
		})
	}
}

func TestThrottleWindowSlides(t *testing.T) {
	t.Parallel()
	th, clock := newTestThrottle(t)
	const key = "ip:203.0.113.7"

	failN(t, th, clock, key, 5, time.Minute) // at 0,1,2,3,4 min
	clock.Advance(11 * time.Minute)          // 15m: the failure at 0 has left
	assertAllowed(t, th, key)

	th.Fail(key) // at 15m: failures at 1,2,3,4,15 min are in the window
	assertBlocked(t, th, key, time.Minute)

	// Long after every failure, the key starts from nothing: four new
	// failures must not be enough.
	clock.Advance(time.Hour)
	failN(t, th, clock, key, 4, time.Second)
	assertAllowed(t, th, key)
}

func TestThrottleFailWhileBlockedExtendsBlock(t *testing.T) {
	t.Parallel()
	th, clock := newTestThrottle(t)
	failN(t, th, clock, "k", 5, time.Minute) // at 0..4 min
	clock.Advance(time.Minute)
	th.Fail("k") // at 5m: the failures at 1..5 min now decide
	assertBlocked(t, th, "k", 11*time.Minute)
}

func TestThrottleReset(t *testing.T) {
	t.Parallel()
	th, clock := newTestThrottle(t)
	failN(t, th, clock, "email:a@example.com", 5, time.Second) // 0..4 s
	failN(t, th, clock, "ip:198.51.100.1", 5, time.Second)     // 4..8 s

	th.Reset("email:a@example.com")
	assertAllowed(t, th, "email:a@example.com")
	assertBlocked(t, th, "ip:198.51.100.1", testWindow-4*time.Second)

	// After a reset it takes the full count again.
	failN(t, th, clock, "email:a@example.com", 4, time.Second)
	assertAllowed(t, th, "email:a@example.com")
	th.Reset("never-seen") // must not panic
}

func TestThrottleKeysAreIndependent(t *testing.T) {
	t.Parallel()
	th, clock := newTestThrottle(t)
	failN(t, th, clock, "email:a@example.com", 5, time.Second) // 0..4 s
	failN(t, th, clock, "email:b@example.com", 4, time.Second) // 4..7 s

	assertBlocked(t, th, "email:a@example.com", testWindow-7*time.Second)
	assertAllowed(t, th, "email:b@example.com")
	assertAllowed(t, th, "ip:a@example.com")
}

func TestThrottleForgetsExpiredKeys(t *testing.T) {
	t.Parallel()
	th, clock := newTestThrottle(t)
	for i := range 100 {
		th.Fail(fmt.Sprintf("email:%d@example.com", i))
	}
	clock.Advance(testWindow)
	th.Fail("email:new@example.com")
	if n := trackedKeys(th); n != 1 {
		t.Fatalf("tracking %d keys after the window passed, want 1", n)
	}
}

func TestThrottleCapsTrackedKeys(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	th := newThrottle(1, time.Hour, clock.Now, 3)
	for _, k := range []string{"a", "b", "c"} {
		th.Fail(k)
		clock.Advance(time.Second)
	}
	th.Fail("a") // a becomes the most recent, b the oldest
	th.Fail("d")

	if n := trackedKeys(th); n != 3 {
		t.Fatalf("tracking %d keys, want the cap of 3", n)
	}
	assertAllowed(t, th, "b")
	for _, k := range []string{"a", "c", "d"} {
		if _, blocked := th.Check(k); !blocked {
			t.Errorf("%q was evicted, want only the oldest (b) gone", k)
		}
	}
}

func TestThrottleDefaultCap(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("fills the throttle to its default cap")
	}
	clock := newFakeClock()
	th := NewThrottle(5, time.Hour, clock.Now)
	for i := range defaultMaxThrottleKeys + 1000 {
		th.Fail(fmt.Sprintf("ip:%d", i))
	}
	if n := trackedKeys(th); n != defaultMaxThrottleKeys {
		t.Fatalf("tracking %d keys, want the cap of %d", n, defaultMaxThrottleKeys)
	}
}

func TestThrottleConcurrentUse(t *testing.T) {
	t.Parallel()
	const workers, perWorker = 16, 50
	for _, tc := range []struct {
		name        string
		maxFailures int
		wantBlocked bool
	}{
		{"every failure counted", workers * perWorker, true},
		{"none counted twice", workers*perWorker + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			th := NewThrottle(tc.maxFailures, time.Hour, clock.Now)
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					own := fmt.Sprintf("ip:%d", w)
					for range perWorker {
						th.Fail("shared")
						th.Check("shared")
						th.Fail(own)
						th.Reset(own)
					}
				})
			}
			wg.Wait()
			if _, blocked := th.Check("shared"); blocked != tc.wantBlocked {
				t.Fatalf("blocked = %v after %d concurrent failures with max %d", blocked, workers*perWorker, tc.maxFailures)
			}
			if n := trackedKeys(th); n != 1 {
				t.Fatalf("tracking %d keys, want only the shared one", n)
			}
		})
	}
}

func TestNewThrottlePanicsOnBadConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		max    int
		window time.Duration
	}{{0, time.Minute}, {5, 0}, {-1, -time.Second}} {
		t.Run(fmt.Sprint(tc.max, tc.window), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatalf("NewThrottle(%d, %s) did not panic", tc.max, tc.window)
				}
			}()
			NewThrottle(tc.max, tc.window, nil)
		})
	}
}

func trackedKeys(th *Throttle) int {
	th.mu.Lock()
	defer th.mu.Unlock()
	if len(th.byKey) != th.lru.Len() {
		panic(fmt.Sprintf("throttle index has %d keys, list %d", len(th.byKey), th.lru.Len()))
	}
	return len(th.byKey)
}

func TestThrottleReserveLetsAtMostTheLimitThrough(t *testing.T) {
	t.Parallel()
	th, _ := newTestThrottle(t)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		granted int
	)
	for range 200 {
		wg.Go(func() {
			_, wait, ok := th.Reserve("email:a@example.com")
			mu.Lock()
			defer mu.Unlock()
			if ok {
				granted++
			} else if wait <= 0 {
				t.Errorf("refused reservation with retry after %s", wait)
			}
		})
	}
	wg.Wait()
	if granted != testMaxFailures {
		t.Fatalf("%d of 200 parallel reservations granted, want %d", granted, testMaxFailures)
	}
	assertBlocked(t, th, "email:a@example.com", testWindow)
}

func TestThrottleReservationCancel(t *testing.T) {
	t.Parallel()
	th, clock := newTestThrottle(t)
	const key = "ip:198.51.100.1"
	failN(t, th, clock, key, 3, time.Minute) // at 0..2 min
	clock.Advance(time.Minute)
	r, _, ok := th.Reserve(key) // at 3 min
	if !ok {
		t.Fatal("fourth attempt refused")
	}
	clock.Advance(time.Minute)
	th.Fail(key) // at 4 min: five counted
	assertBlocked(t, th, key, 11*time.Minute)

	// Cancelling takes back that one attempt only.
	r.Cancel()
	assertAllowed(t, th, key)
	r.Cancel() // twice is harmless
	Reservation{}.Cancel()
	if _, _, ok := th.Reserve(key); !ok {
		t.Fatal("attempt after a cancel refused")
	}
	assertBlocked(t, th, key, 11*time.Minute)

	// A cancelled lone reservation leaves nothing behind.
	r, _, _ = th.Reserve("lone")
	r.Cancel()
	if n := trackedKeys(th); n != 1 {
		t.Fatalf("tracking %d keys, want only %q", n, key)
	}
}
