package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestTheBillingPageWithoutStripe(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")

		page := b.page("/app/settings/billing")
		checkPage(t, "billing", page)
		got := text(t, page)
		for _, want := range []string{"Starter", "Lead credits left", "500", "Credit ledger", "Grant", "No external service was called"} {
			if !strings.Contains(got, want) {
				t.Errorf("the billing page lacks %q: %s", want, got)
			}
		}
		if strings.Contains(got, "Upgrade to") {
			t.Errorf("the billing page offers an upgrade with billing off: %s", got)
		}
		// A checkout sent anyway is refused on the page, saying why.
		a := b.post("/app/settings/billing/checkout", url.Values{"plan": {"growth"}})
		if a.status != http.StatusSeeOther || a.location() != "/app/settings/billing" {
			t.Fatalf("checkout with billing off = %d to %q", a.status, a.location())
		}
		if got := text(t, b.page("/app/settings/billing")); !strings.Contains(got, "STRIPE_SECRET_KEY is not set") {
			t.Errorf("the refusal is not said: %s", got)
		}
	})
}

func TestTheBillingPageSendsToCheckout(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{}})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")

		got := text(t, b.page("/app/settings/billing"))
		if !strings.Contains(got, "Upgrade to Growth") || !strings.Contains(got, "Upgrade to Scale") {
			t.Fatalf("the billing page offers no upgrade with Stripe on: %s", got)
		}
		a := b.post("/app/settings/billing/checkout", url.Values{"plan": {"growth"}})
		to, err := url.Parse(a.location())
		if a.status != http.StatusSeeOther || err != nil || to.Host == "" || strings.Contains(a.location(), "/app/") {
			t.Fatalf("checkout = %d to %q, want a redirect to the payment page", a.status, a.location())
		}
		// A plan that is not one is refused on the page.
		b.post("/app/settings/billing/checkout", url.Values{"plan": {"platinum"}})
		if got := text(t, b.page("/app/settings/billing")); !strings.Contains(got, "plan must be one of") {
			t.Errorf("a bad plan is not refused: %s", got)
		}
		// No subscription yet: the portal says to choose a plan first.
		b.post("/app/settings/billing/portal", url.Values{})
		if got := text(t, b.page("/app/settings/billing")); !strings.Contains(got, "choose a plan first") {
			t.Errorf("the portal without a subscription: %s", got)
		}
	})
}
