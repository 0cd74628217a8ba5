package sending

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
)

// Records is what sending needs of the store (store.View explains why).
type Records interface {
	AddSuppression(ctx context.Context, email, domain, reason string) (s store.Suppression, created bool, err error)
	CancelScheduledTo(ctx context.Context, email, reason string) (int, error)
	CreateMailbox(ctx context.Context, m store.Mailbox) (store.Mailbox, error)
	DeleteMailbox(ctx context.Context, id string) error
	DeleteSuppression(ctx context.Context, id string) error
	ListMailboxes(ctx context.Context, page store.Page) ([]store.Mailbox, string, error)
	ListSuppressions(ctx context.Context, query string, page store.Page) ([]store.Suppression, string, error)
	Mailbox(ctx context.Context, id string) (store.Mailbox, error)
	Message(ctx context.Context, id string) (store.Message, error)
	PutSenderProfile(ctx context.Context, p store.SenderProfile) (store.SenderProfile, error)
	SenderProfile(ctx context.Context) (store.SenderProfile, error)
	SetMailboxStatus(ctx context.Context, id, status string, reason *string) (store.Mailbox, error)
	UpdateMailbox(ctx context.Context, m store.Mailbox) (store.Mailbox, error)
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
