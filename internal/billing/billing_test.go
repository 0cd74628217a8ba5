package billing_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/billing"
	"github.com/prospectorhq/prospector/internal/providers/stripe"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

const (
	secret      = "whsec_test_secret"
	priceGrowth = "price_growth_test"
	priceScale  = "price_scale_test"
)

// clock is the test's time, shared by the store and the service.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// payments is a Stripe stand-in for what the service asks of the API: the
// subscriptions as they are "now" at Stripe.
type payments struct {
	mu   sync.Mutex
	subs map[string]stripe.Subscription
}

func (p *payments) CreateCheckoutSession(ctx context.Context, c stripe.CheckoutParams) (string, error) {
	return "https://checkout.example/" + c.UserID + "/" + c.PriceID, nil
}

func (p *payments) CreatePortalSession(ctx context.Context, customerID, returnURL string) (string, error) {
	return "https://portal.example/" + customerID, nil
}

func (p *payments) Subscription(ctx context.Context, id string) (stripe.Subscription, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.subs[id]
	if !ok {
		return s, errors.New("no such subscription")
	}
	return s, nil
}

type bundle struct {
	svc   *billing.Service
	store *store.Store
	clock *clock
	run   string
}

// id makes a Stripe id unique to this test: PostgreSQL's test database is
// shared, and Stripe's ids are unique everywhere.
func (b bundle) id(s string) string { return s + "_" + b.run }

var start = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

func setup(t *testing.T, e storetest.Engine, pay billing.Payments) bundle {
	t.Helper()
	c := &clock{now: start}
	s := storetest.OpenWith(t, e, store.Options{Now: c.Now})
	prices, err := billing.NewPrices(map[string]string{"growth": priceGrowth, "scale": priceScale})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := billing.NewService(billing.Config{Store: s, Payments: pay, WebhookSecret: secret, Prices: prices,
		PublicURL: "https://prospector.example", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return bundle{svc: svc, store: s, clock: c, run: store.NewID()[24:]}
}

// send signs payload as Stripe does at the given time and hands it to the
// webhook.
func (b bundle) send(t *testing.T, payload []byte, at time.Time) (billing.Outcome, error) {
	t.Helper()
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at})
	return b.svc.Webhook(context.Background(), signed.Payload, signed.Header)
}

// apply sends an event signed now and wants it handled without error.
func (b bundle) apply(t *testing.T, payload []byte, want billing.Outcome) {
	t.Helper()
	got, err := b.send(t, payload, time.Now())
	if err != nil || got != want {
		t.Fatalf("webhook %s = %q, %v; want %q", payload[:min(len(payload), 80)], got, err, want)
	}
}

func (b bundle) account(t *testing.T, userID string) billingstore.BillingAccount {
	t.Helper()
	var a billingstore.BillingAccount
	err := b.store.Read(context.Background(), userID, func(tx *store.Tx) error {
		var err error
		a, err = tx.BillingAccount(context.Background())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// checkInvariant: the user's ledger adds up to the balance.
func (b bundle) checkInvariant(t *testing.T, userID string) {
	t.Helper()
	a := b.account(t, userID)
	var total int
	b.store.Read(context.Background(), userID, func(tx *store.Tx) error {
		var err error
		total, err = tx.LedgerTotal(context.Background())
		return err
	})
	if total != a.LeadCredits || a.LeadCredits < 0 {
		t.Errorf("ledger total %d, balance %d", total, a.LeadCredits)
	}
}

// Event payloads in the basil shape (external-apis.md §6).

type obj = map[string]any

func event(id, typ string, created time.Time, object obj) []byte {
	b, _ := json.Marshal(obj{"id": id, "object": "event", "api_version": "2025-08-27.basil", "created": created.Unix(),
		"livemode": false, "pending_webhooks": 1, "type": typ, "request": obj{"id": "req_1", "idempotency_key": nil},
		"data": obj{"object": object}})
	return b
}

func checkoutCompleted(id, userID, customer, sub string) []byte {
	return event(id, "checkout.session.completed", start, obj{"id": "cs_" + id, "object": "checkout.session", "mode": "subscription",
		"status": "complete", "payment_status": "paid", "client_reference_id": userID, "customer": customer, "subscription": sub})
}

func invoice(id, typ, userID, customer, sub, price string, periodEnd time.Time) []byte {
	status := "paid"
	if typ == "invoice.payment_failed" {
		status = "open"
	}
	return event(id, typ, start, obj{"id": "in_" + id, "object": "invoice", "customer": customer, "status": status,
		"billing_reason": "subscription_cycle",
		// The invoice's own period_end is when it was drawn up, not what it pays for.
		"period_end": start.Unix(),
		"parent":     obj{"type": "subscription_details", "subscription_details": obj{"subscription": sub, "metadata": obj{"user_id": userID}}},
		"lines": obj{"object": "list", "data": []obj{{
			"id": "il_" + id, "object": "line_item", "period": obj{"start": periodEnd.AddDate(0, -1, 0).Unix(), "end": periodEnd.Unix()},
			"pricing": obj{"type": "price_details", "price_details": obj{"price": price, "product": "prod_x"}, "unit_amount_decimal": "4900"},
			"parent":  obj{"type": "subscription_item_details", "subscription_item_details": obj{"subscription": sub, "subscription_item": "si_1", "proration": false}},
		}}}})
}

func subscriptionEvent(id, typ, userID, customer, sub, status, price string, created time.Time) []byte {
	return event(id, typ, created, obj{"id": sub, "object": "subscription", "customer": customer, "status": status,
		"metadata": obj{"user_id": userID},
		"items": obj{"object": "list", "data": []obj{{"id": "si_1", "object": "subscription_item",
			"price": obj{"id": price, "object": "price"}, "current_period_end": start.AddDate(0, 1, 0).Unix()}}}})
}

func TestWebhookEvents(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		b := setup(t, e, nil)
		u := storetest.NewUser(t, b.store, storetest.UserParams{})
		period1, period2 := start.AddDate(0, 1, 0), start.AddDate(0, 2, 0)

		// checkout.session.completed links the customer and subscription.
		b.apply(t, checkoutCompleted(b.id("evt_co"), u.ID, b.id("cus_a"), b.id("sub_a")), billing.Applied)
		a := b.account(t, u.ID)
		if store.OrEmpty(a.StripeCustomerID) != b.id("cus_a") || store.OrEmpty(a.StripeSubscriptionID) != b.id("sub_a") || a.Plan != "starter" {
			t.Fatalf("after checkout: %+v", a)
		}

		// invoice.paid sets the plan from the line's price and grants the
		// period's credits, until the line's period end.
		b.apply(t, invoice(b.id("evt_paid1"), "invoice.paid", u.ID, b.id("cus_a"), b.id("sub_a"), priceGrowth, period1), billing.Applied)
		a = b.account(t, u.ID)
		if a.Plan != "growth" || a.LeadCredits != 2500 || !a.CreditsResetAt.Equal(period1) || store.OrEmpty(a.SubscriptionStatus) != "active" {
			t.Fatalf("after invoice.paid: plan %s credits %d reset %v status %v", a.Plan, a.LeadCredits, a.CreditsResetAt, store.OrEmpty(a.SubscriptionStatus))
		}

		// Spend some; the same event again, and another event for the same
		// period, grant nothing.
		if err := b.store.Write(ctx, u.ID, func(tx *store.Tx) error {
			return tx.ChargeProspects(ctx, store.NewID(), []string{store.NewID(), store.NewID()})
		}); err != nil {
			t.Fatal(err)
		}
		b.apply(t, invoice(b.id("evt_paid1"), "invoice.paid", u.ID, b.id("cus_a"), b.id("sub_a"), priceGrowth, period1), billing.Duplicate)
		b.apply(t, invoice(b.id("evt_paid1b"), "invoice.paid", u.ID, b.id("cus_a"), b.id("sub_a"), priceGrowth, period1), billing.Applied)
		if got := b.account(t, u.ID).LeadCredits; got != 2498 {
			t.Errorf("credits after a repeated invoice = %d, want 2498", got)
		}

		// invoice.payment_failed for the next period: past_due.
		b.apply(t, invoice(b.id("evt_fail2"), "invoice.payment_failed", u.ID, b.id("cus_a"), b.id("sub_a"), priceGrowth, period2), billing.Applied)
		if s := store.OrEmpty(b.account(t, u.ID).SubscriptionStatus); s != "past_due" {
			t.Errorf("after payment_failed: status %q, want past_due", s)
		}
		// Paid on retry; a second failure notice for that period, late, changes nothing.
		b.apply(t, invoice(b.id("evt_paid2"), "invoice.paid", u.ID, b.id("cus_a"), b.id("sub_a"), priceGrowth, period2), billing.Applied)
		b.apply(t, invoice(b.id("evt_fail2b"), "invoice.payment_failed", u.ID, b.id("cus_a"), b.id("sub_a"), priceGrowth, period2), billing.Applied)
		a = b.account(t, u.ID)
		if store.OrEmpty(a.SubscriptionStatus) != "active" || a.LeadCredits != 2500 || !a.CreditsResetAt.Equal(period2) {
			t.Errorf("after the retry: status %q credits %d reset %v", store.OrEmpty(a.SubscriptionStatus), a.LeadCredits, a.CreditsResetAt)
		}
		// A paid invoice of an older period, arriving now, grants nothing.
		b.apply(t, invoice(b.id("evt_paid1c"), "invoice.paid", u.ID, b.id("cus_a"), b.id("sub_a"), priceGrowth, period1), billing.Applied)
		if a := b.account(t, u.ID); !a.CreditsResetAt.Equal(period2) {
			t.Errorf("an old invoice moved credits_reset_at back to %v", a.CreditsResetAt)
		}

		// customer.subscription.updated changes the plan; an older update
		// arriving after it does not undo it.
		b.apply(t, subscriptionEvent(b.id("evt_up2"), "customer.subscription.updated", u.ID, b.id("cus_a"), b.id("sub_a"), "active", priceScale, start.Add(20*time.Second)), billing.Applied)
		b.apply(t, subscriptionEvent(b.id("evt_up1"), "customer.subscription.updated", u.ID, b.id("cus_a"), b.id("sub_a"), "active", priceGrowth, start.Add(10*time.Second)), billing.Applied)
		if p := b.account(t, u.ID).Plan; p != "scale" {
			t.Errorf("plan after updates out of order = %s, want scale", p)
		}

		// customer.subscription.deleted: back to starter; a late update
		// from before the deletion does not revive it.
		b.apply(t, subscriptionEvent(b.id("evt_del"), "customer.subscription.deleted", u.ID, b.id("cus_a"), b.id("sub_a"), "canceled", priceScale, start.Add(40*time.Second)), billing.Applied)
		b.apply(t, subscriptionEvent(b.id("evt_up3"), "customer.subscription.updated", u.ID, b.id("cus_a"), b.id("sub_a"), "active", priceScale, start.Add(30*time.Second)), billing.Applied)
		a = b.account(t, u.ID)
		if a.Plan != "starter" || store.OrEmpty(a.SubscriptionStatus) != "canceled" || a.StripeSubscriptionID != nil {
			t.Errorf("after deletion: plan %s status %q sub %v", a.Plan, store.OrEmpty(a.SubscriptionStatus), a.StripeSubscriptionID)
		}
		if a.LeadCredits != 2500 {
			t.Errorf("credits after cancelling = %d; the paid period's credits stay until credits_reset_at", a.LeadCredits)
		}
		// Free again: the monthly reset takes over at the end of the paid period.
		due, err := b.store.DueCreditResets(ctx, period2, 100)
		if err != nil || len(due) != 1 || due[0] != u.ID {
			t.Errorf("due resets at the period end = %v, %v; want the cancelled user", due, err)
		}
		b.checkInvariant(t, u.ID)
	})
}

func TestWebhookOutOfOrderAndStrangers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		b := setup(t, e, nil)
		u := storetest.NewUser(t, b.store, storetest.UserParams{})
		other := storetest.NewUser(t, b.store, storetest.UserParams{})
		period := start.AddDate(0, 1, 0)

		// invoice.paid before checkout.session.completed: the subscription's
		// metadata names the user, so the customer is linked and credited.
		b.apply(t, invoice(b.id("evt_p"), "invoice.paid", u.ID, b.id("cus_u"), b.id("sub_u"), priceScale, period), billing.Applied)
		b.apply(t, checkoutCompleted(b.id("evt_c"), u.ID, b.id("cus_u"), b.id("sub_u")), billing.Applied)
		a := b.account(t, u.ID)
		if a.Plan != "scale" || a.LeadCredits != 10000 || store.OrEmpty(a.StripeCustomerID) != b.id("cus_u") || store.OrEmpty(a.SubscriptionStatus) != "active" {
			t.Errorf("out of order: plan %s credits %d customer %v status %v", a.Plan, a.LeadCredits, store.OrEmpty(a.StripeCustomerID), store.OrEmpty(a.SubscriptionStatus))
		}

		// Events naming the other user with u's customer change neither.
		b.apply(t, invoice(b.id("evt_x1"), "invoice.paid", other.ID, b.id("cus_u"), b.id("sub_u"), priceGrowth, period.AddDate(0, 1, 0)), billing.Ignored)
		b.apply(t, checkoutCompleted(b.id("evt_x2"), other.ID, b.id("cus_u"), b.id("sub_x")), billing.Ignored)
		b.apply(t, subscriptionEvent(b.id("evt_x3"), "customer.subscription.deleted", other.ID, b.id("cus_u"), b.id("sub_u"), "canceled", priceScale, start.Add(time.Hour)), billing.Ignored)
		if a := b.account(t, u.ID); a.Plan != "scale" || a.LeadCredits != 10000 || !a.CreditsResetAt.Equal(period) {
			t.Errorf("another user's events changed u: %+v", a)
		}
		if o := b.account(t, other.ID); o.StripeCustomerID != nil || o.LeadCredits != 500 || o.Plan != "starter" {
			t.Errorf("other's account was changed through u's customer: %+v", o)
		}

		// Nobody we know, and types we do not handle, are acknowledged.
		b.apply(t, checkoutCompleted(b.id("evt_n1"), store.NewID(), b.id("cus_nobody"), b.id("sub_n")), billing.Ignored)
		b.apply(t, checkoutCompleted(b.id("evt_n2"), "not-a-uuid", "", b.id("sub_n")), billing.Ignored)
		b.apply(t, event(b.id("evt_t"), "charge.refunded", start, obj{"id": "ch_1", "object": "charge"}), billing.Ignored)
		b.apply(t, event(b.id("evt_t"), "charge.refunded", start, obj{"id": "ch_1", "object": "charge"}), billing.Duplicate)
		b.checkInvariant(t, u.ID)
		b.checkInvariant(t, other.ID)
	})
}

// With Stripe's API at hand, a subscription event applies the
// subscription as it is now, whatever order the events came in.
func TestSubscriptionEventsRereadTheSubscription(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		pay := &payments{subs: map[string]stripe.Subscription{}}
		b := setup(t, e, pay)
		u := storetest.NewUser(t, b.store, storetest.UserParams{})
		b.apply(t, checkoutCompleted(b.id("evt_c"), u.ID, b.id("cus_r"), b.id("sub_r")), billing.Applied)
		// Stripe now says canceled; an "active, scale" update arrives late.
		pay.subs[b.id("sub_r")] = stripe.Subscription{ID: b.id("sub_r"), CustomerID: b.id("cus_r"), Status: "canceled", PriceID: priceScale}
		b.apply(t, subscriptionEvent(b.id("evt_u"), "customer.subscription.updated", u.ID, b.id("cus_r"), b.id("sub_r"), "active", priceScale, start), billing.Applied)
		if a := b.account(t, u.ID); a.Plan != "starter" || store.OrEmpty(a.SubscriptionStatus) != "canceled" {
			t.Errorf("plan %s status %q, want starter canceled as Stripe says now", a.Plan, store.OrEmpty(a.SubscriptionStatus))
		}
	})
}

func TestWebhookRefusesBadSignatures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		b := setup(t, e, nil)
		payload := event(b.id("evt_sig"), "charge.refunded", start, obj{"id": "ch_1"})
		good := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()})
		wrong := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: "whsec_other", Timestamp: time.Now()})
		stale := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now().Add(-301 * time.Second)})
		for _, tc := range []struct {
			name, header string
			payload      []byte
			code         string
		}{
			{"missing", "", payload, apperr.CodeValidation},
			{"malformed", "garbage", payload, apperr.CodeValidation},
			{"wrong secret", wrong.Header, payload, apperr.CodeValidation},
			{"stale", stale.Header, payload, apperr.CodeValidation},
			{"body changed after signing", good.Header, append([]byte(" "), payload...), apperr.CodeValidation},
		} {
			_, err := b.svc.Webhook(context.Background(), tc.payload, tc.header)
			if apperr.CodeOf(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		notJSON := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte("not json"), Secret: secret, Timestamp: time.Now()})
		if _, err := b.svc.Webhook(context.Background(), notJSON.Payload, notJSON.Header); apperr.CodeOf(err) != apperr.CodeInvalidJSON {
			t.Errorf("signed non-JSON: %v, want invalid_json", err)
		}
		// Nothing was applied by the refused ones.
		if seen, _ := b.store.StripeEventApplied(context.Background(), b.id("evt_sig")); seen {
			t.Error("a refused event was recorded as applied")
		}
		off, _ := billing.NewService(billing.Config{Store: b.store})
		if _, err := off.Webhook(context.Background(), good.Payload, good.Header); apperr.CodeOf(err) != apperr.CodeUnavailable {
			t.Errorf("without a webhook secret: %v, want unavailable", err)
		}
	})
}

// Each event applies once even when Stripe delivers it several times at
// once.
func TestConcurrentDuplicateDeliveriesApplyOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		b := setup(t, e, nil)
		u := storetest.NewUser(t, b.store, storetest.UserParams{})
		b.apply(t, checkoutCompleted(b.id("evt_c"), u.ID, b.id("cus_d"), b.id("sub_d")), billing.Applied)
		payload := invoice(b.id("evt_dup"), "invoice.paid", u.ID, b.id("cus_d"), b.id("sub_d"), priceGrowth, start.AddDate(0, 1, 0))
		var wg sync.WaitGroup
		var mu sync.Mutex
		outcomes := map[billing.Outcome]int{}
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := b.send(t, payload, time.Now())
				if err != nil {
					t.Errorf("delivery: %v", err)
				}
				mu.Lock()
				outcomes[got]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if outcomes[billing.Applied] != 1 || outcomes[billing.Duplicate] != 7 {
			t.Errorf("outcomes = %v, want 1 applied and 7 duplicates", outcomes)
		}
		var grants int
		b.store.Read(context.Background(), u.ID, func(tx *store.Tx) error {
			entries, _, err := tx.Ledger(context.Background(), store.Page{})
			for _, en := range entries {
				if en.Kind == billingstore.CreditGrant && en.Amount != 500 {
					grants++
				}
			}
			return err
		})
		if grants != 1 {
			t.Errorf("%d period grants in the ledger, want 1", grants)
		}
		b.checkInvariant(t, u.ID)
	})
}

func TestMonthlyResetForFreeAccounts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		b := setup(t, e, nil)
		free := storetest.NewUser(t, b.store, storetest.UserParams{})
		paid := storetest.NewUser(t, b.store, storetest.UserParams{})
		b.apply(t, checkoutCompleted(b.id("evt_c"), paid.ID, b.id("cus_p"), b.id("sub_p")), billing.Applied)
		if err := b.store.Write(ctx, free.ID, func(tx *store.Tx) error {
			return tx.ChargeProspects(ctx, store.NewID(), []string{store.NewID(), store.NewID(), store.NewID()})
		}); err != nil {
			t.Fatal(err)
		}
		// (PostgreSQL's test database is shared: other tests' accounts may
		// be due too, so only these two are looked at.)
		if _, err := b.svc.ResetDue(ctx); err != nil {
			t.Fatal(err)
		}
		if a := b.account(t, free.ID); a.LeadCredits != 497 {
			t.Fatalf("reset before it was due: credits %d", a.LeadCredits)
		}
		b.clock.Set(start.AddDate(0, 1, 0).Add(time.Minute))
		if n, err := b.svc.ResetDue(ctx); err != nil || n < 1 {
			t.Fatalf("reset a month on: %d, %v; want at least the free account", n, err)
		}
		a := b.account(t, free.ID)
		if a.LeadCredits != 500 || !a.CreditsResetAt.Equal(start.AddDate(0, 2, 0)) {
			t.Errorf("after the reset: credits %d, next reset %v", a.LeadCredits, a.CreditsResetAt)
		}
		var newest billingstore.LedgerEntry
		b.store.Read(ctx, free.ID, func(tx *store.Tx) error {
			entries, _, err := tx.Ledger(ctx, store.Page{Limit: 1})
			if len(entries) > 0 {
				newest = entries[0]
			}
			return err
		})
		if newest.Kind != billingstore.CreditReset || newest.Amount != 3 || newest.BalanceAfter != 500 {
			t.Errorf("reset entry = %+v, want reset +3 to 500", newest)
		}
		if _, err := b.svc.ResetDue(ctx); err != nil {
			t.Fatal(err)
		}
		if a := b.account(t, free.ID); a.LeadCredits != 500 || !a.CreditsResetAt.Equal(start.AddDate(0, 2, 0)) {
			t.Errorf("a second run changed the account again: %+v", a)
		}
		if p := b.account(t, paid.ID); p.LeadCredits != 500 {
			t.Errorf("the subscribed account was reset: %+v", p)
		}
		b.checkInvariant(t, free.ID)
	})
}

func TestCheckoutAndPortalRules(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		b := setup(t, e, &payments{})
		u := storetest.NewUser(t, b.store, storetest.UserParams{})
		for _, tc := range []struct{ plan, code string }{
			{"", apperr.CodeValidation},
			{"platinum", apperr.CodeValidation},
			{"starter", apperr.CodeConflict},
			{"enterprise", apperr.CodeConflict},
		} {
			if _, err := b.svc.Checkout(ctx, u.ID, billing.CheckoutRequest{Plan: tc.plan}); apperr.CodeOf(err) != tc.code {
				t.Errorf("checkout %q: %v, want %s", tc.plan, err, tc.code)
			}
		}
		got, err := b.svc.Checkout(ctx, u.ID, billing.CheckoutRequest{Plan: "growth"})
		if err != nil || got.URL != "https://checkout.example/"+u.ID+"/"+priceGrowth {
			t.Errorf("checkout growth = %v, %v", got, err)
		}
		if _, err := b.svc.Portal(ctx, u.ID); apperr.CodeOf(err) != apperr.CodeConflict {
			t.Errorf("portal before checkout: %v, want conflict", err)
		}
		b.apply(t, checkoutCompleted(b.id("evt_c"), u.ID, b.id("cus_cp"), b.id("sub_cp")), billing.Applied)
		if _, err := b.svc.Checkout(ctx, u.ID, billing.CheckoutRequest{Plan: "scale"}); apperr.CodeOf(err) != apperr.CodeConflict {
			t.Errorf("checkout while subscribed: %v, want conflict", err)
		}
		if p, err := b.svc.Portal(ctx, u.ID); err != nil || p.URL != "https://portal.example/"+b.id("cus_cp") {
			t.Errorf("portal = %v, %v", p, err)
		}
		off, _ := billing.NewService(billing.Config{Store: b.store})
		if _, err := off.Checkout(ctx, u.ID, billing.CheckoutRequest{Plan: "growth"}); apperr.CodeOf(err) != apperr.CodeUnavailable {
			t.Errorf("checkout without a key: %v, want unavailable", err)
		}
		if _, err := off.Portal(ctx, u.ID); apperr.CodeOf(err) != apperr.CodeUnavailable {
			t.Errorf("portal without a key: %v, want unavailable", err)
		}
		o, err := off.Overview(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range o.Plans {
			if p.Available {
				t.Errorf("plan %s available without a Stripe key", p.ID)
			}
		}
	})
}
