package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/prospectorhq/prospector/internal/store/billingstore"
)

// resetBatch is how many due accounts one pass reads at a time.
const resetBatch = 200

// ResetDue gives every free account whose credits_reset_at has come its
// monthly allotment back (a "reset" entry in its ledger) and moves its
// credits_reset_at a month on. Accounts with a subscription are renewed by
// their invoices instead. It returns how many accounts were reset; running
// it again resets nothing more until the next month.
func (s *Service) ResetDue(ctx context.Context) (int, error) {
	now := s.now().UTC()
	done := 0
	for {
		ids, err := s.store.DueCreditResets(ctx, now, resetBatch)
		if err != nil {
			return done, fmt.Errorf("credit reset: %w", err)
		}
		for _, id := range ids {
			if err := s.reset(ctx, id, now); err != nil {
				return done, fmt.Errorf("credit reset %s: %w", id, err)
			}
			done++
		}
		if len(ids) < resetBatch {
			return done, nil
		}
	}
}

// reset resets one account, rechecking in its own transaction that it is
// free and due (its schedule row is rewritten either way, so the account
// is not listed again before its next date).
func (s *Service) reset(ctx context.Context, userID string, now time.Time) error {
	return records(s.store).Write(ctx, userID, func(tx Records) error {
		a, err := tx.BillingAccountForUpdate(ctx)
		if err != nil {
			return err
		}
		if a.Free() && a.CreditsResetAt != nil && !a.CreditsResetAt.After(now) {
			next := *a.CreditsResetAt
			for !next.After(now) {
				next = next.AddDate(0, 1, 0)
			}
			n := Allotment(a.Plan, a.MonthlyCredits)
			name := a.Plan
			if p, ok := PlanByID(a.Plan); ok {
				name = p.Name
			}
			if _, err := tx.SetCredits(ctx, billingstore.CreditReset, n,
				fmt.Sprintf("monthly reset: %s plan, %s lead credits until %s", name, thousands(n), next.Format(time.DateOnly))); err != nil {
				return err
			}
			a.CreditsResetAt = &next
		}
		if a.Free() && a.CreditsResetAt == nil {
			next := now.AddDate(0, 1, 0)
			a.CreditsResetAt = &next
		}
		return tx.SaveBillingAccount(ctx, a)
	})
}
