package sending

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
)

// SendQueue puts sending's jobs on the job queue inside the caller's
// transaction, so a job exists exactly when the change calling for it
// does. The queue keeps at most one waiting send per message (send-now
// aside), so queueing a message again is harmless; syncs with Instantly
// take turns by their lease, so queueing one more is too.
type SendQueue interface {
	EnqueueSends(ctx context.Context, tx store.Handle, userID string, sends []QueuedSend) error
	EnqueueInstantlySync(ctx context.Context, tx store.Handle, userID, campaignID string) error
}

// QueuedSend is one message's send job: when it runs, and whether the user
// asked to send it now (outside the window and the gap, never past a cap).
type QueuedSend struct {
	MessageID string
	At        time.Time
	Now       bool
}
