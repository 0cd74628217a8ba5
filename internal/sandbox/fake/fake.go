// Package fake holds what every faked service of the sandbox shares: the
// Fault a request carries (picked by the sandbox for that request, read by
// the service's handler), the key every fake treats as "quota spent", and
// the way the fakes write JSON.
package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// QuotaExhaustedKey is accepted as a key but always answered with the
// service's "quota spent" error (Google and PageSpeed 429
// RESOURCE_EXHAUSTED, Yelp 429 ACCESS_LIMIT_REACHED, Hunter 429
// too_many_requests), so a demo user can see that message.
const QuotaExhaustedKey = "sandbox-quota-exhausted"

// Fault makes a service misbehave.
type Fault struct {
	// Status, when non-zero, answers with that HTTP status in the service's
	// own error format: 400, 401, 403, 404, 406, 429, 500, 503, 504…
	Status int
	// Code overrides the service's error code, e.g. "ACCESS_LIMIT_REACHED"
	// for Yelp or "PERMISSION_DENIED" for Google.
	Code string
	// RetryAfter is sent as the Retry-After header with the error.
	RetryAfter string
	// Times limits the fault to the next Times requests; 0 means until
	// cleared.
	Times int
	// Latency delays every answer, successful or not.
	Latency time.Duration
	// Empty answers successfully with no results.
	Empty bool
	// Remark (Overpass) answers 200 with a "runtime error" remark and no
	// elements, as Overpass does when a query times out.
	Remark bool
	// GenericEnvelope (Yelp) uses the {"errors":[…]} envelope of Yelp's
	// general error page instead of the business endpoints' {"error":{…}}.
	GenericEnvelope bool
}

type faultKey struct{}

// WithFault returns a context carrying f, the fault that applies to one
// request.
func WithFault(ctx context.Context, f Fault) context.Context {
	return context.WithValue(ctx, faultKey{}, f)
}

// FaultOf is the fault that applies to r; the zero Fault (normal service)
// when none was set.
func FaultOf(r *http.Request) Fault {
	f, _ := r.Context().Value(faultKey{}).(Fault)
	return f
}

// Sleep waits for d, or less if ctx ends first; it reports whether the
// whole wait happened.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// WriteJSON answers v as JSON with status. HTML characters are not escaped,
// as the real services do not escape them.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "sandbox: encoding failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
