// Package billing holds Prospector's plans and lead credits: the plan table,
// the rules of the credit ledger (a charge per prospect discovery saves, a
// refund for a lead that turns out unreachable, a monthly reset for free
// accounts, a grant per paid subscription period), and Stripe checkout,
// portal and webhooks. It knows nothing of HTTP or of jobs: the API and
// the pipeline call it.
package billing

import (
	"fmt"
	"strings"
)

// Plan ids (profiles.plan).
const (
	Starter    = "starter"
	Growth     = "growth"
	Scale      = "scale"
	Enterprise = "enterprise"
)

// Plan is one row of the plan table.
type Plan struct {
	ID   string
	Name string
	// MonthlyCredits is the plan's lead credits per month; 0 for a custom
	// plan, whose allotment an operator sets per account.
	MonthlyCredits int
	// Free plans need no payment; custom plans are arranged with an
	// operator. Neither can be bought through checkout.
	Free   bool
	Custom bool
}

// plans is the plan table, cheapest first.
var plans = []Plan{
	{ID: Starter, Name: "Starter", MonthlyCredits: 500, Free: true},
	{ID: Growth, Name: "Growth", MonthlyCredits: 2500},
	{ID: Scale, Name: "Scale", MonthlyCredits: 10000},
	{ID: Enterprise, Name: "Enterprise", Custom: true},
}

// Plans returns the plan table, cheapest first.
func Plans() []Plan { return append([]Plan(nil), plans...) }

// PlanByID finds a plan.
func PlanByID(id string) (Plan, bool) {
	for _, p := range plans {
		if p.ID == id {
			return p, true
		}
	}
	return Plan{}, false
}

// Prices maps the paid plans to their Stripe Price ids
// (STRIPE_PRICE_GROWTH, STRIPE_PRICE_SCALE). A plan without one cannot be
// bought on this server.
type Prices map[string]string

// NewPrices checks the configured Price ids: each names a paid plan, and no
// two plans share one (a paid invoice must name one plan).
func NewPrices(byPlan map[string]string) (Prices, error) {
	out := Prices{}
	seen := map[string]string{}
	for plan, price := range byPlan {
		price = strings.TrimSpace(price)
		if price == "" {
			continue
		}
		p, ok := PlanByID(plan)
		if !ok || p.Free || p.Custom {
			return nil, fmt.Errorf("billing: %q is not a plan that has a Stripe price", plan)
		}
		if other, dup := seen[price]; dup {
			return nil, fmt.Errorf("billing: plans %s and %s have the same Stripe price %s", other, plan, price)
		}
		seen[price] = plan
		out[plan] = price
	}
	return out, nil
}

// PlanOfPrice is the paid plan a Stripe Price id belongs to.
func (ps Prices) PlanOfPrice(price string) (Plan, bool) {
	for plan, id := range ps {
		if id == price && price != "" {
			return PlanByID(plan)
		}
	}
	return Plan{}, false
}

// Allotment is an account's monthly credits: an operator's figure when set
// (a custom plan's), else its plan's.
func Allotment(plan string, override *int) int {
	if override != nil {
		return *override
	}
	if p, ok := PlanByID(plan); ok {
		return p.MonthlyCredits
	}
	return plans[0].MonthlyCredits
}
