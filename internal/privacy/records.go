package privacy

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Records is what the data-protection requests need of the store
// (store.View explains why).
type Records interface {
	TenantTables(ctx context.Context) ([]string, error)
	TenantRows(ctx context.Context, table string, fn func(cols []string, vals []any) error) error
	DeleteAccount(ctx context.Context) error
	EraseEmail(ctx context.Context, email string) (mailstore.Suppression, accountstore.Erased, error)
}

func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
