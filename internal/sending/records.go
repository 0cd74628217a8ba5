package sending

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
)

// Records is what sending needs of the store (store.View explains why).
type Records interface {
	AddSuppression(ctx context.Context, email, domain, reason string) (store.Suppression, bool, error)
	DeleteSuppression(ctx context.Context, id string) error
	ListSuppressions(ctx context.Context, query string, page store.Page) ([]store.Suppression, string, error)
	PutSenderProfile(ctx context.Context, p store.SenderProfile) (store.SenderProfile, error)
	SenderProfile(ctx context.Context) (store.SenderProfile, error)
	Suppressed(ctx context.Context, email string) (bool, error)
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
