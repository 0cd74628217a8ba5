package burst

import (
	"maps"
	"sync/atomic"
	"testing"
	"time"
)

func TestTallyCountsEveryAnswer(t *testing.T) {
	t.Parallel()
	got := Tally(10, func(i int) string {
		if i%3 == 0 {
			return "fizz"
		}
		return "other"
	})
	if want := map[string]int{"fizz": 4, "other": 6}; !maps.Equal(got, want) {
		t.Errorf("Tally = %v, want %v", got, want)
	}
	if got := Tally(0, func(int) int { return 1 }); len(got) != 0 {
		t.Errorf("Tally of no calls = %v, want none", got)
	}
}

// Every call is under way before any of them returns: a call that waits
// for all the others to have started would hang if they ran one by one.
func TestTallyRunsTheCallsTogether(t *testing.T) {
	t.Parallel()
	const n = 20
	var started atomic.Int32
	got := Tally(n, func(int) bool {
		started.Add(1)
		deadline := time.Now().Add(10 * time.Second)
		for started.Load() < n {
			if time.Now().After(deadline) {
				return false
			}
			time.Sleep(time.Millisecond)
		}
		return true
	})
	if got[true] != n {
		t.Errorf("Tally = %v, want all %d calls together", got, n)
	}
}
