package web

import (
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/billing"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
)

// Billing and usage: the plan and credits, upgrading through Stripe
// Checkout, the Customer Portal, the credit ledger and what the external
// services cost (billing.Service, as GET /api/billing, POST
// /api/billing/checkout and /portal, GET /api/billing/ledger and
// /api/usage).

// ledgerShown is how many of the newest ledger entries the page lists.
const ledgerShown = 50

type settingsBillingView struct {
	settingsPage
	billing.Overview
	Ledger   []billingstore.LedgerEntry
	MoreNext string // the cursor of older entries, for the API
	Usage    []billing.UsageRow
	Since    time.Time
}

func (s *Surface) billingPage(w http.ResponseWriter, r *http.Request) {
	ctx, uid := r.Context(), userID(r)
	o, err := s.billing.Overview(ctx, uid)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ledger, next, err := s.billing.Ledger(ctx, uid, store.Page{Limit: ledgerShown})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	since := time.Now().UTC().AddDate(0, 0, -30)
	usage, err := s.billing.Usage(ctx, uid, billing.UsageQuery{From: since.Format(time.DateOnly), GroupBy: "service"})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.showSettings(w, r, http.StatusOK, "settings_billing", "Billing and usage", settingsBillingView{
		settingsPage: newSettingsPage("billing"), Overview: o, Ledger: ledger, MoreNext: next, Usage: usage.Data, Since: since})
}

// startCheckout sends the browser to Stripe's payment page for the plan
// chosen; a refusal (a free plan, no price, already subscribed, billing
// off) is said on the billing page.
func (s *Surface) startCheckout(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	u, err := s.billing.Checkout(r.Context(), userID(r), billing.CheckoutRequest{Plan: r.PostFormValue("plan")})
	s.toStripe(w, r, u, err)
}

// openPortal sends the browser to Stripe's Customer Portal.
func (s *Surface) openPortal(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	u, err := s.billing.Portal(r.Context(), userID(r))
	s.toStripe(w, r, u, err)
}

func (s *Surface) toStripe(w http.ResponseWriter, r *http.Request, u billing.URL, err error) {
	if err != nil {
		s.refused(w, r, "/app/settings/billing", err)
		return
	}
	http.Redirect(w, r, u.URL, http.StatusSeeOther)
}
