package keys

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
)

// Records is what storing users' API keys needs of the store: the methods of
// *store.Tx it calls and nothing else, so this list is the package's whole
// dependency on the database (and what a test double would provide).
type Records interface {
	DeleteAPIKey(ctx context.Context, service string) error
	ListAPIKeys(ctx context.Context) ([]store.APIKeyInfo, error)
	SetAPIKey(ctx context.Context, service, sealed, last4 string) error
}

// records narrows st to Records; the conversion is where the compiler checks
// that *store.Tx provides every method.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
