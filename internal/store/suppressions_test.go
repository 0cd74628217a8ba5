package store_test

import (
	"context"
	"testing"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// Suppressed is the check before every send: an address is suppressed by
// its own entry or by its domain's, for its tenant only.
func TestSuppressedMatchesAddressOrDomainOfTheTenant(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, a, b := twoTenants(t, e)
		write(t, s, a.ID, func(tx *store.Tx) error {
			if _, _, err := tx.AddSuppression(ctx, "bob@example.com", "", mailstore.SuppressUnsubscribed); err != nil {
				return err
			}
			_, _, err := tx.AddSuppression(ctx, "", "blocked.example", mailstore.SuppressManual)
			return err
		})
		for _, tc := range []struct {
			user, email string
			want        bool
		}{
			{a.ID, "bob@example.com", true},
			{a.ID, "alice@example.com", false},
			{a.ID, "anyone@blocked.example", true},
			{a.ID, "anyone@sub.blocked.example", false}, // a domain entry is that domain, as mail routes it
			{b.ID, "bob@example.com", false},
			{b.ID, "anyone@blocked.example", false},
		} {
			var got bool
			write(t, s, tc.user, func(tx *store.Tx) (err error) { got, err = tx.Suppressed(ctx, tc.email); return err })
			if got != tc.want {
				t.Errorf("Suppressed(%s) for user %s = %v, want %v", tc.email, tc.user[:8], got, tc.want)
			}
		}
		// Adding an entry twice returns the first, not a conflict.
		var first, second mailstore.Suppression
		var created bool
		write(t, s, a.ID, func(tx *store.Tx) (err error) {
			first, _, err = tx.AddSuppression(ctx, "carol@example.com", "", mailstore.SuppressBounced)
			return err
		})
		write(t, s, a.ID, func(tx *store.Tx) (err error) {
			second, created, err = tx.AddSuppression(ctx, "carol@example.com", "", mailstore.SuppressManual)
			return err
		})
		if created || second.ID != first.ID || second.Reason != mailstore.SuppressBounced {
			t.Errorf("second add = %+v (created %v), want the first entry (reason bounced) unchanged", second, created)
		}
	})
}
