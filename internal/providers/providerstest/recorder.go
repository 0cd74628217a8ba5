package providerstest

import (
	"context"
	"sync"

	"github.com/prospectorhq/prospector/internal/providers"
)

// Recorder keeps every providers.Call it receives.
type Recorder struct {
	mu    sync.Mutex
	calls []providers.Call
}

// RecordCall stores c.
func (r *Recorder) RecordCall(_ context.Context, c providers.Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
}

// Calls returns the recorded calls, in order.
func (r *Recorder) Calls() []providers.Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]providers.Call(nil), r.calls...)
}

// TotalCostUSD sums the cost of the recorded calls.
func (r *Recorder) TotalCostUSD() float64 {
	var sum float64
	for _, c := range r.Calls() {
		sum += c.CostUSD
	}
	return sum
}

// Statuses lists the HTTP status of each recorded call, in order (0 for a
// call that got no answer).
func (r *Recorder) Statuses() []int {
	var out []int
	for _, c := range r.Calls() {
		out = append(out, c.Status)
	}
	return out
}
