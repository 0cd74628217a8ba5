package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/stripe"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
)

// Outcome is what became of a webhook event.
type Outcome string

const (
	// Applied: the event changed an account (or was checked and needed no
	// change, such as an invoice of a period already granted).
	Applied Outcome = "applied"
	// Duplicate: the event id was applied before.
	Duplicate Outcome = "duplicate"
	// Ignored: a type we do not handle, or an event naming no account of
	// ours (or one whose customer belongs to another account).
	Ignored Outcome = "ignored"
)

// Webhook verifies and applies one Stripe webhook: each event id once, in
// the transaction of its effect. A missing, bad or stale signature is
// validation_failed; without a webhook secret the webhook is unavailable.
// Events may come twice or out of order: each effect checks what it would
// overwrite (see the apply functions).
func (s *Service) Webhook(ctx context.Context, payload []byte, signature string) (Outcome, error) {
	if s.secret == "" {
		return "", errWebhookOff()
	}
	ev, err := stripe.ParseEvent(payload, signature, s.secret)
	if errors.Is(err, stripe.ErrSignature) {
		return "", apperr.Invalid("Stripe-Signature", "is missing, does not match the webhook secret, or is more than 5 minutes old")
	}
	if err != nil {
		return "", apperr.New(apperr.CodeInvalidJSON, "The event is not a Stripe event this server can read.")
	}
	if !stripe.Basil(ev.APIVersion) {
		s.log.WarnContext(ctx, "stripe event of another API version; set the webhook endpoint's version to basil",
			slog.String("event_type", ev.Type), slog.String("api_version", ev.APIVersion))
	}
	if seen, err := s.store.StripeEventApplied(ctx, ev.ID); err != nil || seen {
		if err != nil {
			return "", fmt.Errorf("stripe webhook %s: %w", ev.ID, err)
		}
		return Duplicate, nil
	}
	var userID string
	var apply func(ctx context.Context, tx Records, a *billingstore.BillingAccount) error
	switch {
	case ev.Checkout != nil && ev.Checkout.Mode == "subscription":
		userID, err = s.owner(ctx, ev.Checkout.CustomerID, ev.Checkout.ClientReferenceID)
		apply = func(ctx context.Context, tx Records, a *billingstore.BillingAccount) error {
			return s.checkoutCompleted(ev, a)
		}
	case ev.Invoice != nil && ev.Invoice.SubscriptionID != "":
		userID, err = s.owner(ctx, ev.Invoice.CustomerID, ev.Invoice.UserID)
		if ev.Type == stripe.EventInvoicePaid {
			apply = func(ctx context.Context, tx Records, a *billingstore.BillingAccount) error {
				return s.invoicePaid(ctx, tx, ev, a)
			}
		} else {
			apply = func(ctx context.Context, tx Records, a *billingstore.BillingAccount) error {
				return s.paymentFailed(ev, a)
			}
		}
	case ev.Subscription != nil:
		sub := *ev.Subscription
		if userID, err = s.owner(ctx, sub.CustomerID, sub.UserID); err == nil && userID != "" && s.payments != nil {
			// Events come in any order: what counts is the subscription
			// as it is now.
			if sub, err = s.payments.Subscription(providers.WithAccount(ctx, userID), sub.ID); err != nil {
				return "", fmt.Errorf("stripe webhook %s: %w", ev.ID, err)
			}
			ev.Created = s.now().UTC()
		}
		apply = func(ctx context.Context, tx Records, a *billingstore.BillingAccount) error {
			return s.subscriptionChanged(ev, sub, a)
		}
	}
	if errors.Is(err, errMismatch) {
		s.log.WarnContext(ctx, "stripe event for a customer linked to another account; ignored",
			slog.String("event_id", ev.ID), slog.String("event_type", ev.Type))
		err, userID = nil, ""
	}
	if err != nil {
		return "", fmt.Errorf("stripe webhook %s: %w", ev.ID, err)
	}
	if apply == nil || userID == "" {
		if _, err := s.store.MarkStripeEventAlone(ctx, ev.ID, ev.Type); err != nil {
			return "", fmt.Errorf("stripe webhook %s: %w", ev.ID, err)
		}
		return Ignored, nil
	}
	outcome := Applied
	err = records(s.store).Write(ctx, userID, func(tx Records) error {
		fresh, err := tx.MarkStripeEvent(ctx, ev.ID, ev.Type)
		if err != nil || !fresh {
			outcome = Duplicate
			return err
		}
		a, err := tx.BillingAccountForUpdate(ctx)
		if err != nil {
			return err
		}
		if err := apply(ctx, tx, &a); err != nil {
			return err
		}
		return tx.SaveBillingAccount(ctx, a)
	})
	if store.IsConflict(err, "stripe_customer") {
		// The customer was linked to another account meanwhile.
		s.log.WarnContext(ctx, "stripe event for a customer linked to another account; ignored",
			slog.String("event_id", ev.ID), slog.String("event_type", ev.Type))
		if _, err := s.store.MarkStripeEventAlone(ctx, ev.ID, ev.Type); err != nil {
			return "", fmt.Errorf("stripe webhook %s: %w", ev.ID, err)
		}
		return Ignored, nil
	}
	if err != nil {
		return "", fmt.Errorf("stripe webhook %s (%s): %w", ev.ID, ev.Type, err)
	}
	return outcome, nil
}

// owner is the account an event is for: the one its Stripe customer is
// linked to; or, for a customer not linked yet, the user the event names
// (client_reference_id or the subscription's metadata), if that account
// exists. An event naming one account whose customer is another's is
// errMismatch. "" is nobody we know.
func (s *Service) owner(ctx context.Context, customerID, claimed string) (string, error) {
	if customerID != "" {
		owner, err := s.store.StripeCustomerOwner(ctx, customerID)
		switch {
		case err == nil && claimed != "" && claimed != owner:
			return "", errMismatch
		case err == nil:
			return owner, nil
		case !errors.Is(err, store.ErrNotFound):
			return "", err
		}
	}
	if claimed == "" {
		return "", nil
	}
	ok, err := s.store.UserExists(ctx, claimed)
	if err != nil || !ok {
		return "", err
	}
	return claimed, nil
}

// link ties the account to a Stripe customer and subscription, unless it
// is tied to another customer already (a webhook naming this account's
// id with a stranger's customer changes nothing of it).
func link(a *billingstore.BillingAccount, customerID, subscriptionID string) bool {
	if customerID != "" {
		if a.StripeCustomerID != nil && *a.StripeCustomerID != customerID {
			return false
		}
		a.StripeCustomerID = &customerID
	}
	if subscriptionID != "" {
		a.StripeSubscriptionID = &subscriptionID
	}
	return true
}

func ptr[T any](v T) *T { return &v }

// checkoutCompleted links the customer and the subscription to the user.
// Credits come with the subscription's first invoice.paid.
func (s *Service) checkoutCompleted(ev stripe.Event, a *billingstore.BillingAccount) error {
	c := ev.Checkout
	if !link(a, c.CustomerID, c.SubscriptionID) {
		return nil
	}
	if a.SubscriptionStatus == nil || *a.SubscriptionStatus == "canceled" {
		status := "incomplete"
		if c.PaymentStatus == "paid" || c.PaymentStatus == "no_payment_required" {
			status = "active"
		}
		a.SubscriptionStatus = &status
	}
	return nil
}

// invoicePaid grants the period's credits: the plan is the paid line's
// price, the balance becomes the plan's allotment and credits_reset_at the
// end of the period paid for. An invoice for a period already granted (a
// repeat, or an older one arriving late) grants nothing.
func (s *Service) invoicePaid(ctx context.Context, tx Records, ev stripe.Event, a *billingstore.BillingAccount) error {
	inv := ev.Invoice
	plan, ok := s.prices.PlanOfPrice(inv.PriceID)
	if !ok || inv.PeriodEnd.IsZero() {
		s.log.WarnContext(ctx, "paid invoice with no price of a plan; no credits granted",
			slog.String("event_id", ev.ID), slog.String("price", inv.PriceID))
		return nil
	}
	if a.PaidThrough != nil && !inv.PeriodEnd.After(*a.PaidThrough) {
		return nil
	}
	if !link(a, inv.CustomerID, inv.SubscriptionID) {
		return nil
	}
	a.Plan = plan.ID
	a.SubscriptionStatus = ptr("active")
	end := inv.PeriodEnd
	a.PaidThrough, a.CreditsResetAt = &end, &end
	n := plan.MonthlyCredits
	_, err := tx.SetCredits(ctx, billingstore.CreditGrant, n,
		fmt.Sprintf("%s plan: %s lead credits for the period to %s", plan.Name, thousands(n), end.Format(time.DateOnly)))
	return err
}

// paymentFailed marks the subscription past_due, unless the period the
// invoice was for has been paid since (events out of order).
func (s *Service) paymentFailed(ev stripe.Event, a *billingstore.BillingAccount) error {
	inv := ev.Invoice
	if a.PaidThrough != nil && !inv.PeriodEnd.After(*a.PaidThrough) {
		return nil
	}
	if a.StripeSubscriptionID != nil && *a.StripeSubscriptionID != inv.SubscriptionID {
		return nil // an invoice of a subscription that is not the account's now
	}
	if !link(a, inv.CustomerID, inv.SubscriptionID) {
		return nil
	}
	a.SubscriptionStatus = ptr("past_due")
	return nil
}

// subscriptionChanged applies a subscription's state: its status, and its
// plan from its price. A canceled subscription returns the account to
// starter; its credits stay until credits_reset_at, then the monthly reset
// gives the starter allotment. An event older than the last one applied
// changes nothing, and neither does one about a subscription the account
// has moved on from.
func (s *Service) subscriptionChanged(ev stripe.Event, sub stripe.Subscription, a *billingstore.BillingAccount) error {
	if a.SubscriptionEventAt != nil && ev.Created.Before(*a.SubscriptionEventAt) {
		return nil
	}
	ended := ev.Type == stripe.EventSubscriptionDeleted || sub.Status == "canceled" || sub.Status == "incomplete_expired"
	current := a.StripeSubscriptionID != nil && *a.StripeSubscriptionID == sub.ID
	if !current && (ended || a.StripeSubscriptionID != nil && a.SubscriptionStatus != nil && *a.SubscriptionStatus == "active") {
		return nil
	}
	at := ev.Created
	a.SubscriptionEventAt = &at
	if ended {
		a.Plan = Starter
		a.SubscriptionStatus = ptr("canceled")
		a.StripeSubscriptionID = nil
		if now := s.now().UTC(); a.CreditsResetAt == nil || a.CreditsResetAt.Before(now) {
			a.CreditsResetAt = &now
		}
		return nil
	}
	if !link(a, sub.CustomerID, sub.ID) {
		return nil
	}
	a.SubscriptionStatus = &sub.Status
	if plan, ok := s.prices.PlanOfPrice(sub.PriceID); ok {
		a.Plan = plan.ID
	}
	return nil
}

// thousands writes n with comma separators (2,500).
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
