package stripe_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/stripe"
	sandboxstripe "github.com/prospectorhq/prospector/internal/sandbox/stripe"
)

type recorder struct {
	mu    sync.Mutex
	calls []providers.Call
}

func (r *recorder) RecordCall(ctx context.Context, c providers.Call) {
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
}

// receiver is a webhook endpoint that verifies and reads what it gets.
type receiver struct {
	mu     sync.Mutex
	events []stripe.Event
	errs   []error
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ev, err := stripe.ParseEvent(body, r.Header.Get("Stripe-Signature"), sandboxstripe.DefaultWebhookSecret)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err != nil {
		rc.errs = append(rc.errs, err)
		http.Error(w, "bad", http.StatusBadRequest)
		return
	}
	rc.events = append(rc.events, ev)
}

// The client against the sandbox's Stripe fake, over real HTTP: sessions,
// errors in Stripe's envelope, and the signed events of a payment read the
// basil way.
func TestClientAgainstTheSandbox(t *testing.T) {
	ctx := context.Background()
	f := sandboxstripe.New(sandboxstripe.Options{})
	api := httptest.NewServer(f)
	defer api.Close()
	f.SetBaseURL(api.URL)
	rc := &receiver{}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	f.SetWebhook(hook.URL)

	rec := &recorder{}
	c, err := stripe.New(stripe.Config{SecretKey: sandboxstripe.DefaultKey, BaseURL: api.URL, Settings: providers.Settings{Recorder: rec}})
	if err != nil {
		t.Fatal(err)
	}
	params := stripe.CheckoutParams{UserID: "user-1", PriceID: sandboxstripe.PriceGrowth, Email: "owner@example.test",
		SuccessURL: "https://app.example/ok", CancelURL: "https://app.example/no"}
	url, err := c.CreateCheckoutSession(ctx, params)
	if err != nil || !strings.HasPrefix(url, api.URL+"/pay/cs_test_") {
		t.Fatalf("checkout = %q, %v", url, err)
	}

	for _, tc := range []struct {
		name string
		call func() error
		kind providers.Kind
	}{
		{"unknown price", func() error {
			p := params
			p.PriceID = "price_nope"
			_, err := c.CreateCheckoutSession(ctx, p)
			return err
		}, providers.KindNotFound},
		{"portal of an unknown customer", func() error { _, err := c.CreatePortalSession(ctx, "cus_nobody", "https://app.example"); return err }, providers.KindNotFound},
		{"wrong key", func() error {
			bad, _ := stripe.New(stripe.Config{SecretKey: "sk_test_wrong", BaseURL: api.URL})
			_, err := bad.CreateCheckoutSession(ctx, params)
			return err
		}, providers.KindAuth},
	} {
		err := tc.call()
		var pe *providers.Error
		if !errors.As(err, &pe) || pe.Kind != tc.kind {
			t.Errorf("%s: %v, want a %s error", tc.name, err, tc.kind)
		}
	}

	// "Pay" on the sandbox page delivers three signed events.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Post(url, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != params.SuccessURL {
		t.Errorf("pay = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if len(rc.errs) > 0 || len(rc.events) != 3 {
		t.Fatalf("receiver got %d events, errors %v", len(rc.events), rc.errs)
	}
	co, sub, inv := rc.events[0].Checkout, rc.events[1].Subscription, rc.events[2].Invoice
	if co == nil || co.ClientReferenceID != "user-1" || co.CustomerID == "" || co.SubscriptionID == "" || co.Mode != "subscription" {
		t.Fatalf("checkout.session.completed = %+v", co)
	}
	if sub == nil || sub.ID != co.SubscriptionID || sub.UserID != "user-1" || sub.PriceID != sandboxstripe.PriceGrowth || sub.Status != "active" {
		t.Errorf("customer.subscription.created = %+v", sub)
	}
	if inv == nil || inv.SubscriptionID != co.SubscriptionID || inv.CustomerID != co.CustomerID || inv.UserID != "user-1" ||
		inv.PriceID != sandboxstripe.PriceGrowth || inv.PeriodEnd.Sub(time.Now()) < 27*24*time.Hour {
		t.Errorf("invoice.paid = %+v", inv)
	}
	if !stripe.Basil(rc.events[2].APIVersion) {
		t.Errorf("api_version %q is not basil", rc.events[2].APIVersion)
	}

	got, err := c.Subscription(ctx, co.SubscriptionID)
	if err != nil || got.Status != "active" || got.PriceID != sandboxstripe.PriceGrowth || !got.PeriodEnd.Equal(inv.PeriodEnd) {
		t.Errorf("subscription = %+v, %v", got, err)
	}
	portal, err := c.CreatePortalSession(ctx, co.CustomerID, "https://app.example/billing")
	if err != nil || !strings.HasPrefix(portal, api.URL+"/portal/bps_") {
		t.Errorf("portal = %q, %v", portal, err)
	}

	rec.mu.Lock()
	defer rec.mu.Unlock()
	labels := map[string]bool{}
	for _, call := range rec.calls {
		if call.Service != "stripe" {
			t.Errorf("call recorded as %q", call.Service)
		}
		labels[call.Endpoint] = true
	}
	for _, want := range []string{"POST checkout/sessions", "POST billing_portal/sessions", "GET subscriptions"} {
		if !labels[want] {
			t.Errorf("no call recorded as %q (have %v)", want, labels)
		}
	}
}
