package providerstest

import (
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
)

// UserAgent is the identifying User-Agent a client under test sends;
// OpenStreetMap's services (and their fakes) refuse stock ones.
const UserAgent = "ProspectorTest/1.0 (+https://prospector.test)"

// Epoch is where the clients' fake clocks start.
var Epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Settings are the providers.Settings of a client under test: clock and rec
// in place of the real ones, UserAgent, and the back-off jitter fixed at
// the middle of its range so that a test can assert the exact waits.
func Settings(clock *Clock, rec *Recorder) providers.Settings {
	return providers.Settings{Clock: clock, Recorder: rec, UserAgent: UserAgent, Jitter: func() float64 { return 0.5 }}
}
