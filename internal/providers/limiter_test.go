package providers_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

func TestLimiterSequential(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		rate  providers.Rate
		calls int
		want  []time.Duration
	}{
		{name: "unlimited", rate: providers.Rate{}, calls: 5, want: nil},
		{name: "burst then one per second", rate: providers.Rate{PerSecond: 1, Burst: 2}, calls: 5,
			want: []time.Duration{time.Second, time.Second, time.Second}},
		{name: "two per second without burst", rate: providers.Rate{PerSecond: 2, Burst: 1}, calls: 3,
			want: []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := providerstest.NewClock(t0)
			l := providers.NewLimiter(tt.rate, clock)
			for range tt.calls {
				if err := l.Wait(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			clock.CheckSleeps(t, tt.want...)
		})
	}
}

// Concurrent callers share one bucket: at a frozen instant, five callers of a
// 1/s, burst-2 limiter must be spread over 0, 0, 1, 2 and 3 seconds, whatever
// order they arrive in.
func TestLimiterSharedByConcurrentCallers(t *testing.T) {
	t.Parallel()
	clock := providerstest.NewFrozenClock(t0)
	l := providers.NewLimiter(providers.Rate{PerSecond: 1, Burst: 2}, clock)
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if err := l.Wait(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := clock.Sleeps()
	slices.Sort(got)
	want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}
	if !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
}

func TestLimiterBlockPausesEveryone(t *testing.T) {
	t.Parallel()
	clock := providerstest.NewClock(t0)
	l := providers.NewLimiter(providers.Rate{PerSecond: 1, Burst: 5}, clock)
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	l.Block(30 * time.Second)
	for range 2 {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// One request goes when the pause ends; the next one follows at the
	// normal rate instead of spending the remaining burst at once.
	clock.CheckSleeps(t, 30*time.Second, time.Second)
}

func TestLimiterBlockDuringAWaitRequeues(t *testing.T) {
	t.Parallel()
	clock := providerstest.NewClock(t0)
	l := providers.NewLimiter(providers.Rate{PerSecond: 1, Burst: 1}, clock)
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	blocked := false
	clock.OnSleep(func(time.Duration) {
		if !blocked {
			blocked = true
			l.Block(10 * time.Second) // another caller got a 429 meanwhile
		}
	})
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The slot due at +1 s was void; the caller waits for the pause's end.
	clock.CheckSleeps(t, time.Second, 9*time.Second)
}

func TestLimiterBlockWithoutRate(t *testing.T) {
	t.Parallel()
	clock := providerstest.NewClock(t0)
	l := providers.NewLimiter(providers.Rate{}, clock)
	l.Block(45 * time.Second)
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	clock.CheckSleeps(t, 45*time.Second)
}

func TestLimiterCancelledWaitGivesTheTokenBack(t *testing.T) {
	t.Parallel()
	clock := providerstest.NewFrozenClock(t0)
	l := providers.NewLimiter(providers.Rate{PerSecond: 1, Burst: 1}, clock)
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); err == nil {
		t.Fatal("Wait with a cancelled context succeeded")
	}
	// Had the cancelled caller kept its slot, this one would wait 2 s.
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	clock.CheckSleeps(t, time.Second)
}

func TestNilLimiter(t *testing.T) {
	t.Parallel()
	var l *providers.Limiter
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	l.Block(time.Second) // must not panic
}
