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

	a, b := mustAcquire(t, l), mustAcquire(t, l)
	a()
	if len(sf.run) != 0 {
		t.Fatal("memory return scheduled while a hash still runs")
	}
	b()
	if len(sf.run) != 1 || sf.delays[0] != 0 {
		t.Fatalf("after the first drain: scheduled %v, want one at once", sf.delays)
	}
	sf.run[0]()
	if sf.frees != 1 {
		t.Fatalf("frees = %d, want 1", sf.frees)
	}

	// A second drain soon after waits for the rest of the interval, and
	// a third meanwhile adds nothing.
	clock.Advance(time.Second)
	mustAcquire(t, l)()
	mustAcquire(t, l)()
	if len(sf.run) != 2 || sf.delays[1] != freeMemoryEvery-time.Second {
		t.Fatalf("after drains within the interval: scheduled %v, want a second one after %s", sf.delays, freeMemoryEvery-time.Second)
	}
	// A burst under way when the timer fires is left to its own drain.
	busy := mustAcquire(t, l)
	clock.Advance(freeMemoryEvery)
	sf.run[1]()
	if sf.frees != 1 {
		t.Fatalf("memory returned while a hash runs (frees = %d)", sf.frees)
	}
	busy()
	if len(sf.run) != 3 || sf.delays[2] != 0 {
		t.Fatalf("after the burst drained: scheduled %v, want a third one at once", sf.delays)
	}
	sf.run[2]()
	if sf.frees != 2 {
		t.Fatalf("frees = %d, want 2", sf.frees)
	}
}

func TestHashSlotsAreSizedToTheMachine(t *testing.T) {
	t.Parallel()
	if n := hashSlots(); n < 2 || n > maxConcurrentHashes {
		t.Fatalf("hashSlots() = %d, want 2 to %d", n, maxConcurrentHashes)
	}
}
