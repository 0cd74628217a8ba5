package billing

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/providers/stripe"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
)

// Payments is what the service needs of Stripe's API (the client in
// internal/providers/stripe).
type Payments interface {
	CreateCheckoutSession(ctx context.Context, p stripe.CheckoutParams) (string, error)
	CreatePortalSession(ctx context.Context, customerID, returnURL string) (string, error)
	Subscription(ctx context.Context, id string) (stripe.Subscription, error)
}

// Config is what a Service needs. Store is required; without Payments
// (no STRIPE_SECRET_KEY) checkout and the portal are off, without
// WebhookSecret the webhook is, and each says so.
type Config struct {
	Store         *store.Store
	Payments      Payments
	WebhookSecret string
	Prices        Prices
	// PublicURL is where users reach this server: checkout returns to it.
	PublicURL string
	Logger    *slog.Logger
	Now       func() time.Time
}

// Service is billing: plans, the credit ledger's rules, Stripe.
type Service struct {
	store     *store.Store
	payments  Payments
	secret    string
	prices    Prices
	publicURL string
	log       *slog.Logger
	now       func() time.Time
}

// NewService checks cfg and builds the service.
func NewService(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("billing: Store is required")
	}
	s := &Service{store: cfg.Store, payments: cfg.Payments, secret: cfg.WebhookSecret, prices: cfg.Prices,
		publicURL: strings.TrimRight(cfg.PublicURL, "/"), log: cfg.Logger, now: cfg.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.prices == nil {
		s.prices = Prices{}
	}
	return s, nil
}

// Records is what billing needs of the store (store.View explains why).
type Records interface {
	store.Handle

	BillingAccount(ctx context.Context) (billingstore.BillingAccount, error)
	BillingAccountForUpdate(ctx context.Context) (billingstore.BillingAccount, error)
	SaveBillingAccount(ctx context.Context, a billingstore.BillingAccount) error
	SetCredits(ctx context.Context, kind string, n int, reason string) (billingstore.LedgerEntry, error)
	Ledger(ctx context.Context, page store.Page) ([]billingstore.LedgerEntry, string, error)
	MarkStripeEvent(ctx context.Context, id, typ string) (bool, error)
	Profile(ctx context.Context) (store.Profile, error)
	UsageSummary(ctx context.Context, from, to time.Time, byDay bool) ([]billingstore.UsageRow, error)
}

func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}

// Errors a caller sees.
func errStripeOff() error {
	return apperr.New(apperr.CodeUnavailable, "Billing is not available on this server: STRIPE_SECRET_KEY is not set.")
}

func errWebhookOff() error {
	return apperr.New(apperr.CodeUnavailable, "Stripe webhooks are not accepted on this server: STRIPE_WEBHOOK_SECRET is not set.")
}

func errStripeFailed() error {
	return apperr.New(apperr.CodeUnavailable, "Stripe did not answer as expected; please try again in a minute.")
}

// PastDueMessage is what discovery answers (402) while the last payment
// of a subscription has failed.
const PastDueMessage = "Your last payment failed, so discovery is paused: update your card in Settings → Billing (the billing portal), and it resumes once the payment goes through."

// PastDue reports whether a subscription status stops discovery.
func PastDue(status string) bool { return status == "past_due" || status == "unpaid" }
