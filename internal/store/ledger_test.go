package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// balanceAndTotal reads a tenant's balance and the sum of its ledger.
func balanceAndTotal(t *testing.T, s *store.Store, userID string) (balance, total int) {
	t.Helper()
	read(t, s, userID, func(tx *store.Tx) error {
		p, err := tx.Profile(context.Background())
		if err != nil {
			return err
		}
		balance = p.LeadCredits
		total, err = tx.LedgerTotal(context.Background())
		return err
	})
	return balance, total
}

func allEntries(t *testing.T, s *store.Store, userID string) []billingstore.LedgerEntry {
	t.Helper()
	var out []billingstore.LedgerEntry
	read(t, s, userID, func(tx *store.Tx) error {
		var err error
		out, _, err = tx.Ledger(context.Background(), store.Page{})
		return err
	})
	return out
}

func TestLedgerChargesOncePerProspectAndRefundsOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, u := withUser(t, e)
		campaign := store.NewID()
		write(t, s, u.ID, func(tx *store.Tx) error { return tx.SetLeadCredits(ctx, 3) })
		a, b, c := store.NewID(), store.NewID(), store.NewID()
		write(t, s, u.ID, func(tx *store.Tx) error { return tx.ChargeProspects(ctx, campaign, []string{a, b}) })

		// Two more do not fit in the one credit left: nothing is charged.
		err := s.Write(ctx, u.ID, func(tx *store.Tx) error { return tx.ChargeProspects(ctx, campaign, []string{c, store.NewID()}) })
		if !errors.Is(err, store.ErrInsufficientCredits) {
			t.Fatalf("charging 2 with 1 left: %v, want ErrInsufficientCredits", err)
		}
		if bal, _ := balanceAndTotal(t, s, u.ID); bal != 1 {
			t.Fatalf("balance after a refused charge = %d, want 1", bal)
		}

		for _, tc := range []struct {
			name     string
			prospect string
			want     bool
		}{
			{"a charged prospect is refunded", a, true},
			{"the same prospect again is not", a, false},
			{"a prospect never charged is not", c, false},
		} {
			var got bool
			write(t, s, u.ID, func(tx *store.Tx) error {
				var err error
				got, err = tx.RefundProspect(ctx, campaign, tc.prospect, "unreachable")
				return err
			})
			if got != tc.want {
				t.Errorf("%s: refunded = %v, want %v", tc.name, got, tc.want)
			}
		}

		bal, total := balanceAndTotal(t, s, u.ID)
		if bal != 2 || total != bal {
			t.Errorf("balance %d, ledger total %d; want 2 and 2", bal, total)
		}
		entries := allEntries(t, s, u.ID)
		// Newest first: the refund, two charges, the adjustment to 3, the signup grant.
		wantKinds := []string{billingstore.CreditRefund, billingstore.CreditCharge, billingstore.CreditCharge, billingstore.CreditAdjustment, billingstore.CreditGrant}
		if len(entries) != len(wantKinds) {
			t.Fatalf("ledger has %d entries, want %d: %+v", len(entries), len(wantKinds), entries)
		}
		for i, k := range wantKinds {
			if entries[i].Kind != k {
				t.Errorf("entry %d kind %q, want %q", i, entries[i].Kind, k)
			}
		}
		refund := entries[0]
		if refund.Amount != 1 || refund.BalanceAfter != 2 || store.OrEmpty(refund.ProspectID) != a ||
			store.OrEmpty(refund.CampaignID) != campaign || store.OrEmpty(refund.Reason) != "unreachable" {
			t.Errorf("refund entry = %+v", refund)
		}
		if entries[1].Amount != -1 || entries[1].BalanceAfter != 1 || entries[2].BalanceAfter != 2 {
			t.Errorf("charges = %+v, %+v; want -1 each, balances 2 then 1", entries[2], entries[1])
		}

		// Another tenant sees none of it.
		other := storetest.NewUser(t, s, storetest.UserParams{})
		if got := allEntries(t, s, other.ID); len(got) != 1 || got[0].Kind != billingstore.CreditGrant {
			t.Errorf("another tenant's ledger = %+v, want only its own signup grant", got)
		}
	})
}

func TestConcurrentChargesNeverOverspend(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, u := withUser(t, e)
		write(t, s, u.ID, func(tx *store.Tx) error { return tx.SetLeadCredits(ctx, 10) })
		campaign := store.NewID()
		var wg sync.WaitGroup
		var mu sync.Mutex
		charged, refused := 0, 0
		for range 25 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.Write(ctx, u.ID, func(tx *store.Tx) error {
					return tx.ChargeProspects(ctx, campaign, []string{store.NewID()})
				})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					charged++
				case errors.Is(err, store.ErrInsufficientCredits):
					refused++
				default:
					t.Errorf("charge: %v", err)
				}
			}()
		}
		wg.Wait()
		bal, total := balanceAndTotal(t, s, u.ID)
		if charged != 10 || refused != 15 || bal != 0 || total != 0 {
			t.Errorf("charged %d, refused %d, balance %d, ledger total %d; want 10, 15, 0, 0", charged, refused, bal, total)
		}
	})
}

// TestLedgerSumsToBalanceAfterARandomRun is the ledger's invariant: for
// every user, after any mix of charges, refunds, grants, resets and
// adjustments, run concurrently, the entries add up to the balance, the
// newest entry's balance_after is the balance, and it is never negative.
func TestLedgerSumsToBalanceAfterARandomRun(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s := storetest.Open(t, e)
		users := make([]string, 4)
		for i := range users {
			users[i] = storetest.NewUser(t, s, storetest.UserParams{LeadCredits: 20}).ID
		}
		var wg sync.WaitGroup
		for w, userID := range users {
			for g := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(w), uint64(g)))
					var charged []string
					for range 60 {
						err := s.Write(ctx, userID, func(tx *store.Tx) error {
							switch op := rng.IntN(10); {
							case op < 5:
								ids := make([]string, 1+rng.IntN(4))
								for i := range ids {
									ids[i] = store.NewID()
								}
								if err := tx.ChargeProspects(ctx, store.NewID(), ids); err != nil {
									return err
								}
								charged = append(charged, ids...)
							case op < 7 && len(charged) > 0:
								_, err := tx.RefundProspect(ctx, "", charged[rng.IntN(len(charged))], "unreachable")
								return err
							case op < 8:
								_, err := tx.SetCredits(ctx, billingstore.CreditReset, rng.IntN(30), "monthly reset")
								return err
							case op < 9:
								_, err := tx.SetCredits(ctx, billingstore.CreditGrant, 10+rng.IntN(30), "period grant")
								return err
							default:
								return tx.AdjustCredits(ctx, rng.IntN(11)-5, "correction")
							}
							return nil
						})
						if err != nil && !errors.Is(err, store.ErrInsufficientCredits) {
							t.Errorf("user %d: %v", w, err)
							return
						}
					}
				}()
			}
		}
		wg.Wait()
		for i, userID := range users {
			bal, total := balanceAndTotal(t, s, userID)
			entries := allEntries(t, s, userID)
			if bal < 0 || total != bal || len(entries) == 0 || entries[0].BalanceAfter != bal {
				t.Errorf("user %d: balance %d, ledger total %d, newest balance_after %d (%d entries)",
					i, bal, total, entries[0].BalanceAfter, len(entries))
			}
			for _, en := range entries {
				if en.BalanceAfter < 0 {
					t.Errorf("user %d: entry %s has balance_after %d", i, en.ID, en.BalanceAfter)
				}
			}
		}
	})
}

func TestCreditResetsAreScheduledForFreeAccountsOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, u := withUser(t, e)
		due := func(at time.Time) bool {
			t.Helper()
			ids, err := s.DueCreditResets(ctx, at, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if id == u.ID {
					return true
				}
			}
			return false
		}
		if due(time.Now()) || !due(time.Now().AddDate(0, 1, 1)) {
			t.Fatalf("a new account should be due in a month, not now")
		}
		sub, cus := "sub_test", "cus_test"
		write(t, s, u.ID, func(tx *store.Tx) error {
			a, err := tx.BillingAccount(ctx)
			if err != nil {
				return err
			}
			a.StripeSubscriptionID, a.StripeCustomerID = &sub, &cus
			return tx.SaveBillingAccount(ctx, a)
		})
		if due(time.Now().AddDate(1, 0, 0)) {
			t.Error("a subscribed account is still scheduled for the free reset")
		}
		owner, err := s.StripeCustomerOwner(ctx, cus)
		if err != nil || owner != u.ID {
			t.Errorf("StripeCustomerOwner = %q, %v; want %s", owner, err, u.ID)
		}
		if _, err := s.StripeCustomerOwner(ctx, "cus_nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown customer: %v, want ErrNotFound", err)
		}
		// One customer belongs to one account.
		other := storetest.NewUser(t, s, storetest.UserParams{})
		err = s.Write(ctx, other.ID, func(tx *store.Tx) error {
			a, err := tx.BillingAccount(ctx)
			if err != nil {
				return err
			}
			a.StripeCustomerID = &cus
			return tx.SaveBillingAccount(ctx, a)
		})
		if !store.IsConflict(err, "stripe_customer") {
			t.Errorf("linking another account to the same customer: %v, want a conflict", err)
		}
	})
}

func TestStripeEventsApplyOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, u := withUser(t, e)
		var first, second bool
		write(t, s, u.ID, func(tx *store.Tx) error {
			var err error
			first, err = tx.MarkStripeEvent(ctx, "evt_1", "invoice.paid")
			return err
		})
		second, err := s.MarkStripeEventAlone(ctx, "evt_1", "invoice.paid")
		if err != nil || !first || second {
			t.Errorf("first %v, second %v (%v); want true, false", first, second, err)
		}
		if seen, err := s.StripeEventApplied(ctx, "evt_1"); err != nil || !seen {
			t.Errorf("StripeEventApplied = %v, %v", seen, err)
		}
	})
}
