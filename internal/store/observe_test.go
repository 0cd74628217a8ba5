package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type countingObserver struct {
	mu      sync.Mutex
	credits int
}

func (o *countingObserver) EventRecorded(string, bool)  {}
func (o *countingObserver) MailboxStatusChanged(string) {}
func (o *countingObserver) CreditsCharged(n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.credits += n
}

// The observer hears of what committed only: a charge rolled back is not
// counted.
func TestObserverHearsOnlyCommittedWork(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		obs := &countingObserver{}
		s := storetest.OpenWith(t, e, store.Options{Observer: obs})
		u := storetest.NewUser(t, s, storetest.UserParams{})
		ctx := context.Background()
		rollback := errors.New("roll back")
		err := s.Write(ctx, u.ID, func(tx *store.Tx) error {
			if err := tx.ChargeProspects(ctx, store.NewID(), ids(5)); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) || obs.credits != 0 {
			t.Fatalf("rolled back charge: err %v, observed %d credits; want none", err, obs.credits)
		}
		write(t, s, u.ID, func(tx *store.Tx) error { return tx.ChargeProspects(ctx, store.NewID(), ids(3)) })
		if obs.credits != 3 {
			t.Errorf("observed %d credits, want the committed 3", obs.credits)
		}
	})
}

// ids are n fresh prospect ids (the ledger keeps them as history only).
func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = store.NewID()
	}
	return out
}
