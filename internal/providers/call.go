package providers

import (
	"context"
	"time"
)

// Call describes one HTTP request sent to an external service. The Doer
// reports every attempt, retries included, because each attempt counts
// against the service's quota and rate limit even when only the last one
// succeeds; CostUSD and Credits are non-zero only on attempts that succeeded,
// since the services we use bill successful requests only.
//
// A Call never carries an API key, a URL or a query string: Endpoint is a
// fixed label chosen by the client package (e.g. "places:searchText").
type Call struct {
	Service  string
	Endpoint string
	Status   int // HTTP status, 0 when no response arrived
	Credits  int
	CostUSD  float64
	Duration time.Duration
	Err      error // nil on success; a *Error otherwise
}

// Recorder receives every Call. It is called synchronously on the request's
// goroutine with the request's context, so an implementation can read the
// user or campaign from ctx; it should be quick and must not block on the
// network for long.
type Recorder interface {
	RecordCall(ctx context.Context, c Call)
}

// RecorderFunc adapts a function to Recorder.
type RecorderFunc func(ctx context.Context, c Call)

// RecordCall calls f.
func (f RecorderFunc) RecordCall(ctx context.Context, c Call) { f(ctx, c) }

// NopRecorder discards calls.
type NopRecorder struct{}

// RecordCall does nothing.
func (NopRecorder) RecordCall(context.Context, Call) {}
