package sending

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
)

// Records is what sending needs of the store: the methods of *store.Tx it
// calls and nothing else, so this list is the package's whole dependency on
// the database (and what a test double would provide).
type Records interface {
	AddSuppression(ctx context.Context, email, domain, reason string) (store.Suppression, bool, error)
	DeleteSuppression(ctx context.Context, id string) error
	ListSuppressions(ctx context.Context, query string, page store.Page) ([]store.Suppression, string, error)
	PutSenderProfile(ctx context.Context, p store.SenderProfile) (store.SenderProfile, error)
	SenderProfile(ctx context.Context) (store.SenderProfile, error)
	Suppressed(ctx context.Context, email string) (bool, error)
}

// records narrows st to Records; the conversion is where the compiler checks
// that *store.Tx provides every method.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
