package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// keyRecords is a domain package's narrow view, as keys declares its own.
type keyRecords interface {
	store.Handle
	SetAPIKey(ctx context.Context, service, sealed, last4 string) error
	ListAPIKeys(ctx context.Context) ([]accountstore.APIKeyInfo, error)
}

// A view runs its function in the tenant's transaction: what it writes is
// committed for that tenant only, a failure rolls it back, and the handle
// it passes on opens back into the same transaction.
func TestViewWritesInTheTenantsTransaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, alice, bob := twoTenants(t, e)
		view := store.NewView(s, func(tx *store.Tx) keyRecords { return tx })

		err := view.Write(ctx, alice.ID, func(tx keyRecords) error {
			if got := store.TxOf(tx).UserID(); got != alice.ID {
				t.Errorf("handle opens into a transaction for %q, want %q", got, alice.ID)
			}
			return tx.SetAPIKey(ctx, "hunter", "v1:kept", "kept")
		})
		if err != nil {
			t.Fatalf("write: %v", err)
		}
		failed := errors.New("stop")
		err = view.Write(ctx, alice.ID, func(tx keyRecords) error {
			if err := tx.SetAPIKey(ctx, "anthropic", "v1:rolled-back", "gone"); err != nil {
				return err
			}
			return failed
		})
		if !errors.Is(err, failed) {
			t.Fatalf("failed write = %v, want its error", err)
		}
		for user, want := range map[string]int{alice.ID: 1, bob.ID: 0} {
			var keys []accountstore.APIKeyInfo
			if err := view.Read(ctx, user, func(tx keyRecords) (err error) { keys, err = tx.ListAPIKeys(ctx); return err }); err != nil {
				t.Fatalf("read: %v", err)
			}
			if len(keys) != want || want == 1 && keys[0].Last4 != "kept" {
				t.Errorf("user %s sees keys %+v, want %d (the committed one only)", user, keys, want)
			}
		}
	})
}
