package billingstore

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
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

// OpenAccount ledgers a new account's first credits and schedules its
// first monthly reset, in CreateUser's transaction.
func (tx *Billing) OpenAccount(ctx context.Context, credits int, reason string) error {
	if credits > 0 {
		if _, err := tx.applyEntries(ctx, 0, []entry{{kind: CreditGrant, amount: credits, reason: reason}}); err != nil {
			return err
		}
	}
	resetAt := tx.Now().AddDate(0, 1, 0)
	if _, err := tx.Exec(ctx, `UPDATE profiles SET credits_reset_at = $2 WHERE id = $1`, tx.UserID(), resetAt); err != nil {
		return txn.Wrap(err, "schedule credit reset")
	}
	return tx.scheduleReset(ctx, &resetAt)
}

// BillingAccount reads the tenant's billing state.
func (tx *Billing) BillingAccount(ctx context.Context) (BillingAccount, error) {
	return tx.billingAccount(ctx, false)
}

// BillingAccountForUpdate reads the tenant's billing state, locking the
// profile row (forUpdate) so changes to it apply one at a time.
func (tx *Billing) BillingAccountForUpdate(ctx context.Context) (BillingAccount, error) {
	return tx.billingAccount(ctx, true)
}

func (tx *Billing) billingAccount(ctx context.Context, lock bool) (BillingAccount, error) {
	if err := tx.RequireTenant(); err != nil {
		return BillingAccount{}, err
	}
	q := `SELECT id, plan, lead_credits, credits_reset_at, monthly_credits, subscription_status,
			stripe_customer_id, stripe_subscription_id, paid_through, subscription_event_at
		FROM profiles WHERE id = $1`
	if lock {
		q += tx.ForUpdate()
	}
	var a BillingAccount
	err := tx.QueryRow(ctx, q, tx.UserID()).
		Scan(&a.UserID, &a.Plan, &a.LeadCredits, &a.CreditsResetAt, &a.MonthlyCredits, &a.SubscriptionStatus,
			&a.StripeCustomerID, &a.StripeSubscriptionID, &a.PaidThrough, &a.SubscriptionEventAt)
	txn.UTCOptional(&a.CreditsResetAt, &a.PaidThrough, &a.SubscriptionEventAt)
	return a, txn.Wrap(err, "billing account")
}

// SaveBillingAccount writes a's plan, reset date, allotment, Stripe ids and
// status (not its credits: those move through the ledger), and keeps the
// reset job's schedule with it: a free account is due at CreditsResetAt, a
// subscribed one is renewed by its invoices instead. A Stripe customer id
// already linked to another account is a *ConflictError.
func (tx *Billing) SaveBillingAccount(ctx context.Context, a BillingAccount) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE profiles SET plan = $2, credits_reset_at = $3, monthly_credits = $4, subscription_status = $5,
			stripe_customer_id = $6, stripe_subscription_id = $7, paid_through = $8, subscription_event_at = $9, updated_at = $10
		WHERE id = $1`,
		tx.UserID(), a.Plan, utcPtr(a.CreditsResetAt), a.MonthlyCredits, a.SubscriptionStatus, a.StripeCustomerID, a.StripeSubscriptionID,
		utcPtr(a.PaidThrough), utcPtr(a.SubscriptionEventAt), tx.Now())
	if err != nil {
		return txn.Wrap(err, "save billing account")
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
func (tx *Billing) scheduleReset(ctx context.Context, at *time.Time) error {
	if at == nil {
		_, err := tx.Exec(ctx, `DELETE FROM credit_resets WHERE user_id = $1`, tx.UserID())
		return txn.Wrap(err, "unschedule credit reset")
	}
	_, err := tx.Exec(ctx, `INSERT INTO credit_resets (user_id, due_at) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET due_at = excluded.due_at`, tx.UserID(), at.UTC())
	return txn.Wrap(err, "schedule credit reset")
}

// SubscriptionStatus is the tenant's Stripe subscription status, "" before
// the first subscription.
func (tx *Billing) SubscriptionStatus(ctx context.Context) (string, error) {
	if err := tx.RequireTenant(); err != nil {
		return "", err
	}
	var s *string
	err := tx.QueryRow(ctx, `SELECT subscription_status FROM profiles WHERE id = $1`, tx.UserID()).Scan(&s)
	return txn.OrEmpty(s), txn.Wrap(err, "subscription status")
}

// MarkStripeEvent records that the Stripe event id is applied, in the
// transaction of its effect, and reports false when it already was (the
// transaction then applies nothing).
func (tx *Billing) MarkStripeEvent(ctx context.Context, id, typ string) (bool, error) {
	n, err := tx.Exec(ctx, `INSERT INTO stripe_events (id, type, processed_at) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO NOTHING`, id, typ, tx.Now())
	if err != nil {
		return false, txn.Wrap(err, "mark stripe event")
	}
	return n == 1, nil
}
