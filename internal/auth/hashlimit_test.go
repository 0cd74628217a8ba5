package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// scheduledFree records what the limiter asked its timer to run.
type scheduledFree struct {
	delays []time.Duration
	run    []func()
	frees  int
}

func newTestLimiter(slots, queue int, clock *fakeClock) (*hashLimiter, *scheduledFree) {
	l := newHashLimiter(slots, queue, time.Minute, clock.Now)
	sf := &scheduledFree{}
	l.afterFunc = func(d time.Duration, f func()) {
		sf.delays = append(sf.delays, d)
		sf.run = append(sf.run, f)
	}
	l.freeMemory = func() { sf.frees++ }
	return l, sf
}

func mustAcquire(t *testing.T, l *hashLimiter) func() {
	t.Helper()
	release, err := l.acquire(t.Context())
	if err != nil {
		t.Fatalf("acquire: %v", err)
	}
	return release
}

func wantBusy(t *testing.T, err error) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeRateLimited || e.RetryAfter <= 0 {
		t.Fatalf("err = %v, want rate_limited with a retry delay", err)
	}
}

func TestHashLimiterTurnsAwayPastTheQueue(t *testing.T) {
	t.Parallel()
	l, _ := newTestLimiter(1, 1, newFakeClock())
	running := mustAcquire(t, l)
	// The second caller waits in the queue; the third finds it full.
	queued := make(chan func())
	go func() {
		release, err := l.acquire(context.Background())
		if err != nil {
			t.Errorf("queued acquire: %v", err)
		}
		queued <- release
	}()
	for {
		l.mu.Lock()
		p := l.pending
		l.mu.Unlock()
		if p == 2 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	_, err := l.acquire(t.Context())
	wantBusy(t, err)
	if _, ok := l.tryAcquire(); ok {
		t.Fatal("tryAcquire succeeded with every slot taken")
	}
	running()
	(<-queued)()
	release, ok := l.tryAcquire()
	if !ok {
		t.Fatal("tryAcquire failed on an idle limiter")
	}
	release()
}

func TestHashLimiterWaitIsBounded(t *testing.T) {
	t.Parallel()
	l, _ := newTestLimiter(1, 4, newFakeClock())
	l.maxWait = time.Millisecond
	release := mustAcquire(t, l)
	defer release()
	_, err := l.acquire(t.Context())
	wantBusy(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	l.maxWait = time.Hour
	if _, err := l.acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire with a cancelled context = %v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending != 1 {
		t.Fatalf("pending = %d after two callers gave up, want the one running", l.pending)
	}
}

func TestHashLimiterReturnsMemoryWhenDrained(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	l, sf := newTestLimiter(2, 2, clock)

	// scheduled checks that n returns of memory are scheduled, the last
	// one after delay; freed that want of them have run.
	scheduled := func(when string, n int, delay time.Duration) {
		t.Helper()
		if len(sf.run) != n || sf.delays[n-1] != delay {
			t.Fatalf("%s: scheduled %v, want %d, the last after %s", when, sf.delays, n, delay)
		}
	}
	freed := func(when string, want int) {
		t.Helper()
		if sf.frees != want {
			t.Fatalf("%s: frees = %d, want %d", when, sf.frees, want)
		}
	}

	a, b := mustAcquire(t, l), mustAcquire(t, l)
	a()
	if len(sf.run) != 0 {
		t.Fatal("memory return scheduled while a hash still runs")
	}
	b()
	scheduled("after the first drain", 1, 0)
	sf.run[0]()
	freed("after the first drain", 1)

	// A second drain soon after waits for the rest of the interval, and
	// a third meanwhile adds nothing.
	clock.Advance(time.Second)
	mustAcquire(t, l)()
	mustAcquire(t, l)()
	scheduled("after drains within the interval", 2, freeMemoryEvery-time.Second)
	// A burst under way when the timer fires is left to its own drain.
	busy := mustAcquire(t, l)
	clock.Advance(freeMemoryEvery)
	sf.run[1]()
	freed("memory returned while a hash runs", 1)
	busy()
	scheduled("after the burst drained", 3, 0)
	sf.run[2]()
	freed("after the burst drained", 2)
}

func TestHashSlotsAreSizedToTheMachine(t *testing.T) {
	t.Parallel()
	if n := hashSlots(); n < 2 || n > maxConcurrentHashes {
		t.Fatalf("hashSlots() = %d, want 2 to %d", n, maxConcurrentHashes)
	}
}
