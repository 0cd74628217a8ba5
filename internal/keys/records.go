package keys

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
)

// Records is what storing users' API keys needs of the store (store.View explains why).
type Records interface {
	DeleteAPIKey(ctx context.Context, service string) error
	ListAPIKeys(ctx context.Context) ([]accountstore.APIKeyInfo, error)
	SetAPIKey(ctx context.Context, service, sealed, last4 string) error
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
