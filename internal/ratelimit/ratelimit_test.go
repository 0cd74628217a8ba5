package ratelimit

import (
	"testing"
	"time"
)

func TestMemoryAllowsABurstThenTheSteadyRate(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		perMinute int
	}{
		{"the default", 600},
		{"a small limit", 5},
		{"one a minute", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := NewMemory(tt.perMinute)
			for i := range tt.perMinute {
				if ok, _ := m.Allow(t.Context(), "user:a", start); !ok {
					t.Fatalf("request %d of a burst of %d refused", i+1, tt.perMinute)
				}
			}
			ok, wait := m.Allow(t.Context(), "user:a", start)
			step := time.Minute / time.Duration(tt.perMinute)
			if ok || wait != step {
				t.Fatalf("request past the burst = %v, retry after %v; want refused, retry after %v", ok, wait, step)
			}
			if ok, _ := m.Allow(t.Context(), "user:b", start); !ok {
				t.Error("another key was refused: one caller's burst limited someone else")
			}
			if ok, _ := m.Allow(t.Context(), "user:a", start.Add(step-time.Millisecond)); ok {
				t.Error("admitted before the retry time it gave")
			}
			if ok, _ := m.Allow(t.Context(), "user:a", start.Add(step)); !ok {
				t.Error("refused at the retry time it gave")
			}
			if ok, _ := m.Allow(t.Context(), "user:a", start.Add(step)); ok {
				t.Error("admitted two requests for one interval's worth of allowance")
			}
			later := start.Add(2 * time.Minute)
			for i := range tt.perMinute {
				if ok, _ := m.Allow(t.Context(), "user:a", later); !ok {
					t.Fatalf("after a quiet minute, request %d of %d refused: the allowance did not refill", i+1, tt.perMinute)
				}
			}
		})
	}
}

func TestMemoryForgetsIdleKeys(t *testing.T) {
	t.Parallel()
	m := NewMemory(60)
	start := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for i := range sweepEvery - 1 {
		m.Allow(t.Context(), string(rune('a'+i%26))+time.Duration(i).String(), start)
	}
	m.Allow(t.Context(), "late", start.Add(time.Hour))
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.next) != 1 {
		t.Errorf("%d keys remembered after an idle hour, want only the one just seen", len(m.next))
	}
}
