package billing

import (
	"context"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/stripe"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
)

// Overview is GET /api/billing: the account's plan and credits, and the
// plans it could buy here.
type Overview struct {
	Plan               string     `json:"plan"`
	LeadCredits        int        `json:"lead_credits"`
	CreditsResetAt     *time.Time `json:"credits_reset_at"`
	MonthlyCredits     *int       `json:"monthly_credits"`
	SubscriptionStatus *string    `json:"subscription_status"`
	Plans              []PlanView `json:"plans"`
}

// PlanView is one plan as the billing page lists it. MonthlyCredits is
// null for the custom plan; Available is true when checkout for it can be
// started on this server.
type PlanView struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	MonthlyCredits *int   `json:"monthly_credits"`
	Available      bool   `json:"available"`
}

// Overview answers the caller's billing state.
func (s *Service) Overview(ctx context.Context, userID string) (Overview, error) {
	var a billingstore.BillingAccount
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		var err error
		a, err = tx.BillingAccount(ctx)
		return err
	})
	if err != nil {
		return Overview{}, err
	}
	o := Overview{Plan: a.Plan, LeadCredits: a.LeadCredits, CreditsResetAt: a.CreditsResetAt, SubscriptionStatus: a.SubscriptionStatus}
	if p, ok := PlanByID(a.Plan); a.MonthlyCredits != nil || ok && !p.Custom {
		n := Allotment(a.Plan, a.MonthlyCredits)
		o.MonthlyCredits = &n
	}
	for _, p := range plans {
		v := PlanView{ID: p.ID, Name: p.Name, Available: s.purchasable(p)}
		if !p.Custom {
			n := p.MonthlyCredits
			v.MonthlyCredits = &n
		}
		o.Plans = append(o.Plans, v)
	}
	return o, nil
}

func (s *Service) purchasable(p Plan) bool {
	return s.payments != nil && !p.Free && !p.Custom && s.prices[p.ID] != ""
}

// CheckoutRequest is POST /api/billing/checkout.
type CheckoutRequest struct {
	Plan string `json:"plan"`
}

// URL is an answer that sends the browser elsewhere.
type URL struct {
	URL string `json:"url"`
}

// Checkout starts a Stripe Checkout Session (subscription mode) for a paid
// plan and returns its URL.
func (s *Service) Checkout(ctx context.Context, userID string, in CheckoutRequest) (URL, error) {
	id := strings.TrimSpace(in.Plan)
	if id == "" {
		return URL{}, apperr.Invalid("plan", "is required")
	}
	p, ok := PlanByID(id)
	if !ok {
		return URL{}, apperr.Invalid("plan", "must be one of starter, growth, scale, enterprise")
	}
	switch {
	case p.Free:
		return URL{}, apperr.Conflict("The %s plan is free: there is nothing to buy.", p.Name)
	case p.Custom:
		return URL{}, apperr.Conflict("The %s plan is arranged with us directly, not bought online.", p.Name)
	case s.payments == nil:
		return URL{}, errStripeOff()
	case s.prices[p.ID] == "":
		return URL{}, apperr.Conflict("The %s plan has no price on this server (STRIPE_PRICE_%s is not set).", p.Name, strings.ToUpper(p.ID))
	}
	var a billingstore.BillingAccount
	var prof store.Profile
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		var err error
		if a, err = tx.BillingAccount(ctx); err != nil {
			return err
		}
		prof, err = tx.Profile(ctx)
		return err
	})
	if err != nil {
		return URL{}, err
	}
	if !a.Free() {
		return URL{}, apperr.Conflict("You already have a subscription: change plans in the billing portal.")
	}
	params := stripe.CheckoutParams{UserID: userID, PriceID: s.prices[p.ID],
		SuccessURL: s.publicURL + "/app/settings/billing?checkout=success",
		CancelURL:  s.publicURL + "/app/settings/billing?checkout=cancel"}
	if a.StripeCustomerID != nil {
		params.CustomerID = *a.StripeCustomerID
	} else {
		params.Email = prof.Email
	}
	url, err := s.payments.CreateCheckoutSession(providers.WithAccount(ctx, userID), params)
	if err != nil {
		s.log.ErrorContext(ctx, "stripe checkout failed", "error", err)
		return URL{}, errStripeFailed()
	}
	return URL{URL: url}, nil
}

// Portal opens a Stripe Customer Portal session, where a customer changes
// plan, card or cancels.
func (s *Service) Portal(ctx context.Context, userID string) (URL, error) {
	if s.payments == nil {
		return URL{}, errStripeOff()
	}
	var a billingstore.BillingAccount
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		var err error
		a, err = tx.BillingAccount(ctx)
		return err
	})
	if err != nil {
		return URL{}, err
	}
	if a.StripeCustomerID == nil {
		return URL{}, apperr.Conflict("There is no billing account to manage yet: choose a plan first.")
	}
	url, err := s.payments.CreatePortalSession(providers.WithAccount(ctx, userID), *a.StripeCustomerID, s.publicURL+"/app/settings/billing")
	if err != nil {
		s.log.ErrorContext(ctx, "stripe portal failed", "error", err)
		return URL{}, errStripeFailed()
	}
	return URL{URL: url}, nil
}

// Ledger is one page of the caller's credit entries, newest first.
func (s *Service) Ledger(ctx context.Context, userID string, page store.Page) ([]billingstore.LedgerEntry, string, error) {
	var out []billingstore.LedgerEntry
	var next string
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		var err error
		out, next, err = tx.Ledger(ctx, page)
		return err
	})
	return out, next, err
}

// UsageQuery is GET /api/usage's query: from and to (RFC 3339 or
// YYYY-MM-DD, UTC; to is exclusive, a date meaning its whole day), and
// group_by (service, the default, or day).
type UsageQuery struct {
	From, To, GroupBy string
}

// UsageRow is api_usage summed over a service or a day.
type UsageRow struct {
	Service      *string `json:"service,omitempty"`
	Day          *string `json:"day,omitempty"`
	Calls        int     `json:"calls"`
	Credits      int     `json:"credits"`
	CostEstimate float64 `json:"cost_estimate"`
}

// Usage is what the Usage page shows.
type Usage struct {
	Data []UsageRow `json:"data"`
}

// defaultUsageWindow is the window when from is not given.
const defaultUsageWindow = 30 * 24 * time.Hour

// Usage sums the caller's recorded external calls.
func (s *Service) Usage(ctx context.Context, userID string, q UsageQuery) (Usage, error) {
	f := apperr.Fields{}
	now := s.now().UTC()
	to, okTo := parseDay(q.To, true)
	if q.To == "" {
		to, okTo = now.Add(time.Second), true
	}
	if !okTo {
		f.Add("to", "must be a date (2026-12-03) or an RFC 3339 time")
	}
	from, okFrom := parseDay(q.From, false)
	if q.From == "" {
		from, okFrom = to.Add(-defaultUsageWindow), true
	}
	if !okFrom {
		f.Add("from", "must be a date (2026-12-03) or an RFC 3339 time")
	}
	if okFrom && okTo && !from.Before(to) {
		f.Add("from", "must be before to")
	}
	byDay := false
	switch q.GroupBy {
	case "", "service":
	case "day":
		byDay = true
	default:
		f.Add("group_by", "must be service or day")
	}
	if err := f.Err(); err != nil {
		return Usage{}, err
	}
	var rows []billingstore.UsageRow
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		var err error
		rows, err = tx.UsageSummary(ctx, from, to, byDay)
		return err
	})
	if err != nil {
		return Usage{}, err
	}
	out := Usage{Data: make([]UsageRow, 0, len(rows))}
	for _, r := range rows {
		key := r.Key
		u := UsageRow{Calls: r.Calls, Credits: r.Credits, CostEstimate: math.Round(r.CostEstimate*1e6) / 1e6}
		if byDay {
			u.Day = &key
		} else {
			u.Service = &key
		}
		out.Data = append(out.Data, u)
	}
	return out, nil
}

// parseDay reads a time or a date; a date as "to" means the end of its day.
func parseDay(v string, end bool) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), true
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, false
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, true
}

var errMismatch = errors.New("billing: the event's customer belongs to another account")
