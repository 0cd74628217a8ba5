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
