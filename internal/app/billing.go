package app

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/prospectorhq/prospector/internal/billing"
	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/stripe"
	"github.com/prospectorhq/prospector/internal/store"
)

// newBilling builds billing: Stripe's client only with STRIPE_SECRET_KEY
// (without it checkout and the portal are off and say so), the webhook
// only with STRIPE_WEBHOOK_SECRET.
func newBilling(cfg *config.Config, st *store.Store, ps providers.Settings, log *slog.Logger, now func() time.Time) (*billing.Service, error) {
	prices, err := billing.NewPrices(cfg.StripePrices)
	if err != nil {
		return nil, err
	}
	bc := billing.Config{Store: st, WebhookSecret: cfg.Keys.StripeWebhookSecret, Prices: prices,
		PublicURL: cfg.PublicURL, Logger: log, Now: now}
	if cfg.Keys.StripeSecret != "" {
		client, err := stripe.New(stripe.Config{SecretKey: cfg.Keys.StripeSecret, BaseURL: cfg.BaseURLs.Stripe, Settings: ps})
		if err != nil {
			return nil, fmt.Errorf("stripe client: %w", err)
		}
		bc.Payments = client
	}
	return billing.NewService(bc)
}
