package store

import (
	"context"
	"time"
)

// BillingAccount is the billing side of the tenant's profile (migrations
// 0001 and 0019). Lead credits change only through the ledger (ledger.go);
// everything else here is written with SaveBillingAccount.
type BillingAccount struct {
	UserID               string
	Plan                 string
	LeadCredits          int
	CreditsResetAt       *time.Time
	MonthlyCredits       *int // an operator's allotment (enterprise); nil takes the plan's
	SubscriptionStatus   *string
	StripeCustomerID     *string
	StripeSubscriptionID *string
	// PaidThrough is the end of the last period whose credits were granted.
	PaidThrough *time.Time
	// SubscriptionEventAt is when Stripe created the last subscription
	// event applied.
	SubscriptionEventAt *time.Time
}

// Free reports whether the account has no subscription paying for it: its
// credits come back monthly by the reset job.
func (a BillingAccount) Free() bool { return a.StripeSubscriptionID == nil }

// openAccount ledgers a new account's first credits and schedules its
// first monthly reset, in CreateUser's transaction.
func (tx *Tx) openAccount(ctx context.Context, credits int, reason string) error {
	if credits > 0 {
		if _, err := tx.applyEntries(ctx, 0, []entry{{kind: CreditGrant, amount: credits, reason: reason}}); err != nil {
			return err
		}
	}
	resetAt := tx.now.AddDate(0, 1, 0)
	if _, err := tx.q.exec(ctx, `UPDATE profiles SET credits_reset_at = $2 WHERE id = $1`, tx.userID, resetAt); err != nil {
		return wrap(err, "schedule credit reset")
	}
	return tx.scheduleReset(ctx, &resetAt)
}

// BillingAccount reads the tenant's billing state.
func (tx *Tx) BillingAccount(ctx context.Context) (BillingAccount, error) {
	return tx.billingAccount(ctx, false)
}

// BillingAccountForUpdate reads the tenant's billing state, locking the
// profile row (forUpdate) so changes to it apply one at a time.
func (tx *Tx) BillingAccountForUpdate(ctx context.Context) (BillingAccount, error) {
	return tx.billingAccount(ctx, true)
}

func (tx *Tx) billingAccount(ctx context.Context, lock bool) (BillingAccount, error) {
	if err := tx.requireTenant(); err != nil {
		return BillingAccount{}, err
	}
	q := `SELECT id, plan, lead_credits, credits_reset_at, monthly_credits, subscription_status,
			stripe_customer_id, stripe_subscription_id, paid_through, subscription_event_at
		FROM profiles WHERE id = $1`
	if lock {
		q += tx.forUpdate()
	}
	var a BillingAccount
	err := tx.q.queryRow(ctx, q, tx.userID).
		Scan(&a.UserID, &a.Plan, &a.LeadCredits, &a.CreditsResetAt, &a.MonthlyCredits, &a.SubscriptionStatus,
			&a.StripeCustomerID, &a.StripeSubscriptionID, &a.PaidThrough, &a.SubscriptionEventAt)
	utcOptional(&a.CreditsResetAt, &a.PaidThrough, &a.SubscriptionEventAt)
	return a, wrap(err, "billing account")
}

// SaveBillingAccount writes a's plan, reset date, allotment, Stripe ids and
// status (not its credits: those move through the ledger), and keeps the
// reset job's schedule with it: a free account is due at CreditsResetAt, a
// subscribed one is renewed by its invoices instead. A Stripe customer id
// already linked to another account is a *ConflictError.
func (tx *Tx) SaveBillingAccount(ctx context.Context, a BillingAccount) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	_, err := tx.q.exec(ctx, `UPDATE profiles SET plan = $2, credits_reset_at = $3, monthly_credits = $4, subscription_status = $5,
			stripe_customer_id = $6, stripe_subscription_id = $7, paid_through = $8, subscription_event_at = $9, updated_at = $10
		WHERE id = $1`,
		tx.userID, a.Plan, utcPtr(a.CreditsResetAt), a.MonthlyCredits, a.SubscriptionStatus, a.StripeCustomerID, a.StripeSubscriptionID,
		utcPtr(a.PaidThrough), utcPtr(a.SubscriptionEventAt), tx.now)
	if err != nil {
		return wrap(err, "save billing account")
	}
	if !a.Free() {
		return tx.scheduleReset(ctx, nil)
	}
	return tx.scheduleReset(ctx, a.CreditsResetAt)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// scheduleReset sets (or, with nil, removes) the tenant's row of
// credit_resets.
func (tx *Tx) scheduleReset(ctx context.Context, at *time.Time) error {
	if at == nil {
		_, err := tx.q.exec(ctx, `DELETE FROM credit_resets WHERE user_id = $1`, tx.userID)
		return wrap(err, "unschedule credit reset")
	}
	_, err := tx.q.exec(ctx, `INSERT INTO credit_resets (user_id, due_at) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET due_at = excluded.due_at`, tx.userID, at.UTC())
	return wrap(err, "schedule credit reset")
}

// SubscriptionStatus is the tenant's Stripe subscription status, "" before
// the first subscription.
func (tx *Tx) SubscriptionStatus(ctx context.Context) (string, error) {
	if err := tx.requireTenant(); err != nil {
		return "", err
	}
	var s *string
	err := tx.q.queryRow(ctx, `SELECT subscription_status FROM profiles WHERE id = $1`, tx.userID).Scan(&s)
	return OrEmpty(s), wrap(err, "subscription status")
}

// MarkStripeEvent records that the Stripe event id is applied, in the
// transaction of its effect, and reports false when it already was (the
// transaction then applies nothing).
func (tx *Tx) MarkStripeEvent(ctx context.Context, id, typ string) (bool, error) {
	n, err := tx.q.exec(ctx, `INSERT INTO stripe_events (id, type, processed_at) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO NOTHING`, id, typ, tx.now)
	if err != nil {
		return false, wrap(err, "mark stripe event")
	}
	return n == 1, nil
}

// StripeEventApplied reports whether the Stripe event id was applied.
func (s *Store) StripeEventApplied(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.Read(ctx, "", func(tx *Tx) error {
		return tx.q.queryRow(ctx, `SELECT count(*) FROM stripe_events WHERE id = $1`, id).Scan(&n)
	})
	return n > 0, wrap(err, "stripe event applied")
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
			if _, err := tx.q.exec(ctx, "SELECT set_config('app.owner_lookup', $1, true)", customerID); err != nil {
				return err
			}
			return tx.q.queryRow(ctx, q, customerID).Scan(&owner)
		})
		return owner, wrap(err, "stripe customer owner")
	}
	err := s.Read(ctx, "", func(tx *Tx) error { return tx.q.queryRow(ctx, q, customerID).Scan(&owner) })
	return owner, wrap(err, "stripe customer owner")
}

// UserExists reports whether a user id names an account (a webhook's
// client_reference_id, checked before its tenant transaction).
func (s *Store) UserExists(ctx context.Context, userID string) (bool, error) {
	if !ValidID(userID) {
		return false, nil
	}
	var n int
	err := s.Read(ctx, "", func(tx *Tx) error {
		return tx.q.queryRow(ctx, `SELECT count(*) FROM users WHERE id = $1`, userID).Scan(&n)
	})
	return n > 0, wrap(err, "user exists")
}

// DueCreditResets lists up to limit users whose free monthly credits were
// due at or before now, earliest first. On PostgreSQL it reads as the
// tables' owner through migration 0019's owner lookup on credit_resets.
func (s *Store) DueCreditResets(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var ids []string
	list := func(tx *Tx) error {
		var err error
		ids, err = queryAll(ctx, tx.q, "due credit resets", scanID,
			`SELECT user_id FROM credit_resets WHERE due_at <= $1 ORDER BY due_at, user_id LIMIT $2`, now.UTC(), limit)
		return err
	}
	if s.engine == Postgres {
		err := s.pgTx(ctx, s.PGOwnerPool(), "", true, func(tx *Tx) error {
			if _, err := tx.q.exec(ctx, "SELECT set_config('app.owner_lookup', 'credit_resets_due', true)"); err != nil {
				return err
			}
			return list(tx)
		})
		return ids, wrap(err, "due credit resets")
	}
	return ids, s.Read(ctx, "", list)
}
