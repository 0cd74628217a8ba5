package providerstest

import (
	"testing"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
)

// Sandboxed is a client of type C under test against the sandbox: the
// sandbox it talks to, and the fake clock and the recorder its Settings
// carry.
type Sandboxed[C any] struct {
	SB     *sandbox.Sandbox
	Client C // set by the test, from Settings
	Clock  *Clock
	Rec    *Recorder
}

// StartSandboxed starts a sandbox with faults, closed when the test ends,
// and a clock at Epoch (frozen when asked, see EpochClock) with a recorder
// for the client the test then builds.
func StartSandboxed[C any](t *testing.T, faults map[sandbox.Service]sandbox.Fault, frozen bool) Sandboxed[C] {
	t.Helper()
	return Sandboxed[C]{SB: sandboxtest.Start(t, sandbox.Options{Faults: faults}), Clock: EpochClock(frozen), Rec: &Recorder{}}
}

// Settings are the client's settings: Settings(s.Clock, s.Rec).
func (s Sandboxed[C]) Settings() providers.Settings { return Settings(s.Clock, s.Rec) }
