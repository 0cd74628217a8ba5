package store

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// The billing lookups made outside any tenant: a Stripe event's
// bookkeeping, and who a customer or a due reset belongs to.

// StripeEventApplied reports whether the Stripe event id was applied.
func (s *Store) StripeEventApplied(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.Read(ctx, "", func(tx *Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM stripe_events WHERE id = $1`, id).Scan(&n)
	})
	return n > 0, txn.Wrap(err, "stripe event applied")
}

// MarkStripeEventAlone records an event that has no tenant (an event type
// not handled, or one naming nobody we know) as applied.
func (s *Store) MarkStripeEventAlone(ctx context.Context, id, typ string) (bool, error) {
	var fresh bool
	err := s.Write(ctx, "", func(tx *Tx) error {
		var err error
		fresh, err = tx.MarkStripeEvent(ctx, id, typ)
		return err
	})
	return fresh, err
}

// StripeCustomerOwner finds the user a Stripe customer id is linked to, like
// CampaignOwner (migration 0019's owner_lookup policy on profiles).
func (s *Store) StripeCustomerOwner(ctx context.Context, customerID string) (string, error) {
	if customerID == "" || len(customerID) > 255 {
		return "", ErrNotFound
	}
	q := `SELECT id FROM profiles WHERE stripe_customer_id = $1`
	var owner string
	if s.engine == Postgres {
		err := s.pgTx(ctx, s.PGOwnerPool(), "", true, func(tx *Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.owner_lookup', $1, true)", customerID); err != nil {
				return err
			}
			return tx.QueryRow(ctx, q, customerID).Scan(&owner)
		})
		return owner, txn.Wrap(err, "stripe customer owner")
	}
	err := s.Read(ctx, "", func(tx *Tx) error { return tx.QueryRow(ctx, q, customerID).Scan(&owner) })
	return owner, txn.Wrap(err, "stripe customer owner")
}

// UserExists reports whether a user id names an account (a webhook's
// client_reference_id, checked before its tenant transaction).
func (s *Store) UserExists(ctx context.Context, userID string) (bool, error) {
	if !ValidID(userID) {
		return false, nil
	}
	var n int
	err := s.Read(ctx, "", func(tx *Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE id = $1`, userID).Scan(&n)
	})
	return n > 0, txn.Wrap(err, "user exists")
}

// DueCreditResets lists up to limit users whose free monthly credits were
// due at or before now, earliest first. On PostgreSQL it reads as the
// tables' owner through migration 0019's owner lookup on credit_resets.
func (s *Store) DueCreditResets(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var ids []string
	list := func(tx *Tx) error {
		var err error
		ids, err = txn.QueryAll(ctx, tx, "due credit resets", txn.ScanID,
			`SELECT user_id FROM credit_resets WHERE due_at <= $1 ORDER BY due_at, user_id LIMIT $2`, now.UTC(), limit)
		return err
	}
	if s.engine == Postgres {
		err := s.pgTx(ctx, s.PGOwnerPool(), "", true, func(tx *Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.owner_lookup', 'credit_resets_due', true)"); err != nil {
				return err
			}
			return list(tx)
		})
		return ids, txn.Wrap(err, "due credit resets")
	}
	return ids, s.Read(ctx, "", list)
}
