package billingstore

import (
	"context"
	"fmt"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Credit ledger kinds (credit_ledger.kind, migration 0018).
const (
	CreditGrant      = "grant"
	CreditCharge     = "charge"
	CreditRefund     = "refund"
	CreditReset      = "reset"
	CreditAdjustment = "adjustment"
)

// LedgerEntry is one change of a tenant's lead credits, as GET
// /api/billing/ledger shows it. Amount is signed (-1 for a charge).
type LedgerEntry struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	Amount       int       `json:"amount"`
	BalanceAfter int       `json:"balance_after"`
	CampaignID   *string   `json:"campaign_id"`
	ProspectID   *string   `json:"prospect_id"`
	Reason       *string   `json:"reason"`
	CreatedAt    time.Time `json:"created_at"`
}

// Every change of profiles.lead_credits goes through lockCredits and
// addEntry in one transaction: the profile row is locked first (on
// PostgreSQL; SQLite's one writer serializes anyway), so two transactions
// never both read the same balance, the new balance is computed, written,
// and logged with the balance after it.

// lockCredits reads the tenant's balance, locking the profile row.
func (tx *Billing) lockCredits(ctx context.Context) (int, error) {
	if err := tx.RequireTenant(); err != nil {
		return 0, err
	}
	var n int
	err := tx.QueryRow(ctx, `SELECT lead_credits FROM profiles WHERE id = $1`+tx.ForUpdate(), tx.UserID()).Scan(&n)
	return n, txn.Wrap(err, "lock lead credits")
}

// entry is a ledger row to write.
type entry struct {
	kind       string
	amount     int
	campaignID string
	prospectID string
	reason     string
}

// applyEntries moves the locked balance cur by each entry in turn, writes
// the entries and then the balance. A balance below zero is
// ErrInsufficientCredits and writes nothing.
func (tx *Billing) applyEntries(ctx context.Context, cur int, es []entry) (int, error) {
	bal := cur
	for _, e := range es {
		bal += e.amount
		if bal < 0 {
			return cur, txn.ErrInsufficientCredits
		}
	}
	bal = cur
	for _, e := range es {
		bal += e.amount
		_, err := tx.Exec(ctx, `INSERT INTO credit_ledger (id, user_id, kind, amount, balance_after, campaign_id, prospect_id, reason, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			txn.NewID(), tx.UserID(), e.kind, e.amount, bal, nonEmpty(e.campaignID), nonEmpty(e.prospectID), nonEmpty(e.reason), tx.Now())
		if err != nil {
			return cur, txn.Wrap(err, "write ledger entry")
		}
	}
	if bal != cur {
		if _, err := tx.Exec(ctx, `UPDATE profiles SET lead_credits = $2, updated_at = $3 WHERE id = $1`, tx.UserID(), bal, tx.Now()); err != nil {
			return cur, txn.Wrap(err, "write lead credits")
		}
	}
	return bal, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// LeadCredits reads the tenant's credit balance, locking it (see forUpdate)
// so a charge that follows in the transaction cannot overdraw it.
func (tx *Billing) LeadCredits(ctx context.Context) (int, error) { return tx.lockCredits(ctx) }

// ChargeReason is the ledger's reason for a discovery charge.
const ChargeReason = "prospect saved by discovery"

// ChargeProspects takes one lead credit per prospect of campaignID, one
// ledger entry each. It fails with ErrInsufficientCredits, charging
// nothing, rather than go below zero. A prospect already charged is a
// conflict: callers charge the prospects they have just inserted.
func (tx *Billing) ChargeProspects(ctx context.Context, campaignID string, prospectIDs []string) error {
	if len(prospectIDs) == 0 {
		return nil
	}
	cur, err := tx.lockCredits(ctx)
	if err != nil {
		return err
	}
	es := make([]entry, len(prospectIDs))
	for i, id := range prospectIDs {
		es[i] = entry{kind: CreditCharge, amount: -1, campaignID: campaignID, prospectID: id, reason: ChargeReason}
	}
	if _, err = tx.applyEntries(ctx, cur, es); err != nil {
		return err
	}
	tx.Observe(func(o txn.Observer) { o.CreditsCharged(len(prospectIDs)) })
	return nil
}

// RefundProspect gives back the credit a prospect was charged, once, with
// reason in the ledger. It reports whether it refunded: a prospect never
// charged (imported ones) or already refunded gets nothing.
func (tx *Billing) RefundProspect(ctx context.Context, campaignID, prospectID, reason string) (bool, error) {
	// Look first without the lock (most prospects were never charged, or
	// are refunded already), so enrichment does not queue on the profile
	// row for nothing; then again under it, which serializes every credit
	// change of the tenant, so the answer cannot change before the refund.
	if due, err := tx.refundDue(ctx, prospectID); err != nil || !due {
		return false, err
	}
	cur, err := tx.lockCredits(ctx)
	if err != nil {
		return false, err
	}
	if due, err := tx.refundDue(ctx, prospectID); err != nil || !due {
		return false, err
	}
	_, err = tx.applyEntries(ctx, cur, []entry{{kind: CreditRefund, amount: 1, campaignID: campaignID, prospectID: prospectID, reason: reason}})
	return err == nil, err
}

// refundDue reports whether a prospect was charged and not refunded yet.
func (tx *Billing) refundDue(ctx context.Context, prospectID string) (bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return false, err
	}
	var charged, refunded int
	err := tx.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE kind = 'charge'), count(*) FILTER (WHERE kind = 'refund')
		FROM credit_ledger WHERE user_id = $1 AND prospect_id = $2`, tx.UserID(), prospectID).Scan(&charged, &refunded)
	if err != nil {
		return false, txn.Wrap(err, "refund %s", prospectID)
	}
	return charged > 0 && refunded == 0, nil
}

// SetLeadCredits sets the tenant's credit balance, ledgered as an
// adjustment (an operator's, or a test's).
func (tx *Billing) SetLeadCredits(ctx context.Context, n int) error {
	_, err := tx.SetCredits(ctx, CreditAdjustment, n, "set by an operator")
	return err
}

// SetCredits sets the tenant's balance to n with one ledger entry of kind
// (grant, reset, adjustment) for the difference, and returns it. The entry
// is written even when the balance does not change, so a reset or a
// period's grant is always visible.
func (tx *Billing) SetCredits(ctx context.Context, kind string, n int, reason string) (LedgerEntry, error) {
	if n < 0 {
		return LedgerEntry{}, fmt.Errorf("set credits: %d is below zero", n)
	}
	cur, err := tx.lockCredits(ctx)
	if err != nil {
		return LedgerEntry{}, err
	}
	if _, err := tx.applyEntries(ctx, cur, []entry{{kind: kind, amount: n - cur, reason: reason}}); err != nil {
		return LedgerEntry{}, err
	}
	return LedgerEntry{Kind: kind, Amount: n - cur, BalanceAfter: n, Reason: &reason, CreatedAt: tx.Now()}, nil
}

// AdjustCredits moves the tenant's balance by amount (an operator's
// correction), refusing to go below zero.
func (tx *Billing) AdjustCredits(ctx context.Context, amount int, reason string) error {
	cur, err := tx.lockCredits(ctx)
	if err != nil {
		return err
	}
	_, err = tx.applyEntries(ctx, cur, []entry{{kind: CreditAdjustment, amount: amount, reason: reason}})
	return err
}

const ledgerColumns = `id, kind, amount, balance_after, campaign_id, prospect_id, reason, created_at`

func scanLedgerEntry(r txn.Row) (e LedgerEntry, err error) {
	err = r.Scan(&e.ID, &e.Kind, &e.Amount, &e.BalanceAfter, &e.CampaignID, &e.ProspectID, &e.Reason, &e.CreatedAt)
	e.CreatedAt = e.CreatedAt.UTC()
	return e, err
}

// Ledger is one page of the tenant's credit entries, newest first.
func (tx *Billing) Ledger(ctx context.Context, page txn.Page) ([]LedgerEntry, string, error) {
	return txn.ListTenant(ctx, tx.Tx, "credit_ledger", ledgerColumns, page, func(e LedgerEntry) string { return e.ID }, scanLedgerEntry)
}

// LedgerTotal is the sum of the tenant's ledger amounts, which equals its
// balance.
func (tx *Billing) LedgerTotal(ctx context.Context) (int, error) {
	if err := tx.RequireTenant(); err != nil {
		return 0, err
	}
	var n int
	err := tx.QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE user_id = $1`, tx.UserID()).Scan(&n)
	return n, txn.Wrap(err, "ledger total")
}
