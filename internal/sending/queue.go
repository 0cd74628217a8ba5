package sending

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
)

// SendQueue puts sends on the job queue inside the caller's transaction,
// so a send job exists exactly when the message it sends does. The queue
// keeps at most one waiting job per message (send-now aside), so queueing
// a message again is harmless.
type SendQueue interface {
	EnqueueSends(ctx context.Context, tx store.Handle, userID string, sends []QueuedSend) error
}

// QueuedSend is one message's send job: when it runs, and whether the user
// asked to send it now (outside the window and the gap, never past a cap).
type QueuedSend struct {
	MessageID string
	At        time.Time
	Now       bool
}
