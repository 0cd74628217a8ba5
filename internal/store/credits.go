package store

import (
	"context"
)

// LeadCredits reads the tenant's credit balance, locking it (see forUpdate)
// so a charge that follows in the transaction cannot overdraw it.
func (tx *Tx) LeadCredits(ctx context.Context) (int, error) {
	if err := tx.requireTenant(); err != nil {
		return 0, err
	}
	var n int
	err := tx.q.queryRow(ctx, `SELECT lead_credits FROM profiles WHERE id = $1`+tx.forUpdate(), tx.userID).Scan(&n)
	return n, wrap(err, "lead credits")
}

// ChargeCredits takes n lead credits. It fails rather than go below zero.
func (tx *Tx) ChargeCredits(ctx context.Context, n int) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	changed, err := tx.q.exec(ctx,
		`UPDATE profiles SET lead_credits = lead_credits - $2, updated_at = $3 WHERE id = $1 AND lead_credits >= $2`,
		tx.userID, n, tx.now)
	if err != nil {
		return wrap(err, "charge credits")
	}
	if changed != 1 {
		return ErrInsufficientCredits
	}
	tx.observe(func(o Observer) { o.CreditsCharged(n) })
	return nil
}

// SetLeadCredits sets the tenant's credit balance (plan renewals, purchases).
func (tx *Tx) SetLeadCredits(ctx context.Context, n int) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	_, err := tx.q.exec(ctx, `UPDATE profiles SET lead_credits = $2, updated_at = $3 WHERE id = $1`, tx.userID, n, tx.now)
	return wrap(err, "set lead credits")
}
