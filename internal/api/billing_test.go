package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

const apiWebhookSecret = "whsec_api_test_secret"

// postWebhook posts payload to the Stripe webhook with a signature made at
// at with secret ("" sends no signature).
func postWebhook(t *testing.T, srv *apptest.Server, payload []byte, secret string, at time.Time) *apptest.Response {
	t.Helper()
	c := srv.Client(t)
	if secret != "" {
		signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at})
		c.Header.Set("Stripe-Signature", signed.Header)
	}
	return c.Do("POST", "/api/webhooks/stripe", "application/json", bytes.NewReader(payload))
}

// stripeEvent is an event in the basil shape with data.object.
func stripeEvent(id, typ string, object map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": "2025-08-27.basil", "created": time.Now().Unix(),
		"type": typ, "livemode": false, "pending_webhooks": 1, "data": map[string]any{"object": object}})
	return b
}

func failedInvoice(id, userID, customer, sub string, periodEnd time.Time) []byte {
	return stripeEvent(id, "invoice.payment_failed", map[string]any{"id": "in_" + id, "object": "invoice", "customer": customer, "status": "open",
		"parent": map[string]any{"type": "subscription_details", "subscription_details": map[string]any{"subscription": sub, "metadata": map[string]any{"user_id": userID}}},
		"lines": map[string]any{"object": "list", "data": []any{map[string]any{"id": "il_" + id, "object": "line_item",
			"period":  map[string]any{"start": time.Now().Unix(), "end": periodEnd.Unix()},
			"pricing": map[string]any{"type": "price_details", "price_details": map[string]any{"price": "price_growth_api"}},
			"parent":  map[string]any{"type": "subscription_item_details", "subscription_item_details": map[string]any{"subscription": sub}}}}}})
}

func TestBillingRoutesAnswerAsDesigned(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		srv := apptest.Start(t, e, apptest.Options{Env: map[string]string{
			"STRIPE_WEBHOOK_SECRET": apiWebhookSecret, "STRIPE_PRICE_GROWTH": "price_growth_api"}})
		c, u := srv.SignUp(t)
		_, other := srv.SignUp(t)
		anon := srv.Client(t)
		run := store.NewID()[24:]

		// GET /api/billing: the contract's fields; nothing is for sale
		// without STRIPE_SECRET_KEY.
		resp := c.Get("/api/billing")
		var bill map[string]any
		resp.JSON(t, &bill)
		for _, k := range []string{"plan", "lead_credits", "credits_reset_at", "monthly_credits", "subscription_status", "plans"} {
			if _, ok := bill[k]; !ok {
				t.Errorf("GET /api/billing lacks %q: %s", k, resp.Body)
			}
		}
		if bill["plan"] != "starter" || bill["lead_credits"] != float64(500) || bill["monthly_credits"] != float64(500) ||
			bill["subscription_status"] != nil || bill["credits_reset_at"] == nil {
			t.Errorf("a new account's billing = %s", resp.Body)
		}
		plans, _ := bill["plans"].([]any)
		if len(plans) != 4 {
			t.Fatalf("plans = %v", bill["plans"])
		}
		for _, p := range plans {
			p := p.(map[string]any)
			if p["available"] != false {
				t.Errorf("plan %v available without a Stripe key", p["id"])
			}
			if p["id"] == "enterprise" && p["monthly_credits"] != nil || p["id"] == "scale" && p["monthly_credits"] != float64(10000) {
				t.Errorf("plan %v monthly_credits = %v", p["id"], p["monthly_credits"])
			}
		}

		big := `{"plan":"` + strings.Repeat("g", 1<<20) + `"}`
		for _, tc := range []struct {
			name, method, path, body string
			client                   *apptest.Client
			status                   int
			code                     string
		}{
			{"billing without auth", "GET", "/api/billing", "", anon, 401, "unauthorized"},
			{"checkout without auth", "POST", "/api/billing/checkout", `{"plan":"growth"}`, anon, 401, "unauthorized"},
			{"checkout malformed JSON", "POST", "/api/billing/checkout", `{"plan":`, c, 400, "invalid_json"},
			{"checkout unknown field", "POST", "/api/billing/checkout", `{"plan":"growth","coupon":"x"}`, c, 400, "invalid_json"},
			{"checkout wrong type", "POST", "/api/billing/checkout", `{"plan":5}`, c, 400, "validation_failed"},
			{"checkout oversize", "POST", "/api/billing/checkout", big, c, 413, "payload_too_large"},
			{"checkout no plan", "POST", "/api/billing/checkout", `{}`, c, 400, "validation_failed"},
			{"checkout unknown plan", "POST", "/api/billing/checkout", `{"plan":"gold"}`, c, 400, "validation_failed"},
			{"checkout starter", "POST", "/api/billing/checkout", `{"plan":"starter"}`, c, 409, "conflict"},
			{"checkout enterprise", "POST", "/api/billing/checkout", `{"plan":"enterprise"}`, c, 409, "conflict"},
			{"checkout without STRIPE_SECRET_KEY", "POST", "/api/billing/checkout", `{"plan":"growth"}`, c, 503, "unavailable"},
			{"portal without auth", "POST", "/api/billing/portal", "", anon, 401, "unauthorized"},
			{"portal without STRIPE_SECRET_KEY", "POST", "/api/billing/portal", "", c, 503, "unavailable"},
			{"ledger without auth", "GET", "/api/billing/ledger", "", anon, 401, "unauthorized"},
			{"ledger bad limit", "GET", "/api/billing/ledger?limit=0", "", c, 400, "validation_failed"},
			{"ledger bad cursor", "GET", "/api/billing/ledger?cursor=nope", "", c, 400, "validation_failed"},
			{"usage without auth", "GET", "/api/usage", "", anon, 401, "unauthorized"},
			{"usage bad group_by", "GET", "/api/usage?group_by=week", "", c, 400, "validation_failed"},
			{"usage bad from", "GET", "/api/usage?from=yesterday", "", c, 400, "validation_failed"},
			{"usage from after to", "GET", "/api/usage?from=2026-12-05&to=2026-12-01", "", c, 400, "validation_failed"},
			{"webhook without a signature", "POST", "/api/webhooks/stripe", `{"id":"evt_1"}`, anon, 400, "validation_failed"},
			{"webhook oversize", "POST", "/api/webhooks/stripe", big, anon, 413, "payload_too_large"},
		} {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			resp := tc.client.Do(tc.method, tc.path, "application/json", body)
			if resp.Status != tc.status || resp.ErrorCode(t) != tc.code {
				t.Errorf("%s: %d %s, want %d %s", tc.name, resp.Status, resp.Body, tc.status, tc.code)
			}
		}

		// The webhook: bad and stale signatures are refused, an unknown
		// type and a repeat are acknowledged.
		unknown := stripeEvent("evt_unknown_"+run, "payout.paid", map[string]any{"id": "po_1", "object": "payout"})
		for _, tc := range []struct {
			name   string
			secret string
			at     time.Time
			status int
		}{
			{"wrong secret", "whsec_not_ours", time.Now(), 400},
			{"stale", apiWebhookSecret, time.Now().Add(-301 * time.Second), 400},
			{"unknown type", apiWebhookSecret, time.Now(), 200},
			{"unknown type again", apiWebhookSecret, time.Now(), 200},
		} {
			if resp := postWebhook(t, srv, unknown, tc.secret, tc.at); resp.Status != tc.status {
				t.Errorf("webhook %s: %d %s, want %d", tc.name, resp.Status, resp.Body, tc.status)
			}
		}

		// A failed payment: discovery answers 402 saying why.
		cus, sub := "cus_api_"+run, "sub_api_"+run
		checkout := stripeEvent("evt_co_"+run, "checkout.session.completed", map[string]any{"id": "cs_" + run, "object": "checkout.session",
			"mode": "subscription", "payment_status": "paid", "client_reference_id": u.ID, "customer": cus, "subscription": sub})
		for _, p := range [][]byte{checkout, failedInvoice("evt_fail_"+run, u.ID, cus, sub, time.Now().AddDate(0, 1, 0))} {
			if resp := postWebhook(t, srv, p, apiWebhookSecret, time.Now()); resp.Status != 200 {
				t.Fatalf("webhook: %d %s", resp.Status, resp.Body)
			}
		}
		if s := c.Get("/api/billing").Map(t)["subscription_status"]; s != "past_due" {
			t.Errorf("subscription_status = %v, want past_due", s)
		}
		id := createCampaign(t, c, map[string]any{"name": "Past due", "business_type": "plumber", "target_location": "Austin, TX"})["id"].(string)
		resp = c.JSON("POST", "/api/campaigns/"+id+"/start", nil)
		if resp.Status != http.StatusPaymentRequired || resp.ErrorCode(t) != "insufficient_credits" ||
			!strings.Contains(string(resp.Body), "payment failed") {
			t.Errorf("start while past_due = %d %s, want 402 saying the payment failed", resp.Status, resp.Body)
		}

		// The ledger and usage are the caller's own.
		entries := ledgerOf(t, c)
		if len(entries) != 1 || entries[0].Kind != "grant" || entries[0].Amount != 500 || entries[0].BalanceAfter != 500 {
			t.Errorf("a new account's ledger = %+v, want its one signup grant", entries)
		}
		day := time.Now().UTC()
		for _, r := range []struct {
			user, service string
			credits       int
			cost          float64
		}{{u.ID, "hunter", 1, 0.05}, {u.ID, "hunter", 2, 0.05}, {u.ID, "google_maps", 0, 0.032}, {other.ID, "hunter", 9, 9}} {
			err := srv.App.Store.Write(ctx, r.user, func(tx *store.Tx) error {
				return tx.RecordUsage(ctx, billingstore.Usage{Service: r.service, Endpoint: "x", CreditsUsed: r.credits, CostEstimate: r.cost, At: day})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var usage struct {
			Data []map[string]any `json:"data"`
		}
		c.Get("/api/usage").JSON(t, &usage)
		want := map[string][3]float64{"google_maps": {1, 0, 0.032}, "hunter": {2, 3, 0.1}}
		if len(usage.Data) != len(want) {
			t.Fatalf("usage by service = %+v, want %v", usage.Data, want)
		}
		for _, row := range usage.Data {
			w, ok := want[row["service"].(string)]
			if !ok || row["calls"] != w[0] || row["credits"] != w[1] || row["cost_estimate"] != w[2] {
				t.Errorf("usage row %v, want %v", row, w)
			}
		}
		c.Get("/api/usage?group_by=day&from="+day.Format(time.DateOnly)+"&to="+day.Format(time.DateOnly)).JSON(t, &usage)
		if len(usage.Data) != 1 || usage.Data[0]["day"] != day.Format(time.DateOnly) || usage.Data[0]["calls"] != float64(3) {
			t.Errorf("usage by day = %+v, want one row of 3 calls for %s", usage.Data, day.Format(time.DateOnly))
		}

		// Without STRIPE_WEBHOOK_SECRET the webhook is off and says so.
		off := apptest.Start(t, e, apptest.Options{})
		if resp := postWebhook(t, off, unknown, apiWebhookSecret, time.Now()); resp.Status != 503 || resp.ErrorCode(t) != "unavailable" {
			t.Errorf("webhook without a secret = %d %s, want 503 unavailable", resp.Status, resp.Body)
		}
	})
}

// A demo user upgrades: checkout opens the sandbox payment page, whose Pay
// sends signed webhooks; the credits change; the portal cancels.
func TestUpgradeThroughTheSandboxPaymentPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{}})
		c, _ := srv.SignUp(t)
		bill := c.Get("/api/billing").Map(t)
		for _, p := range bill["plans"].([]any) {
			p := p.(map[string]any)
			if want := p["id"] == "growth" || p["id"] == "scale"; p["available"] != want {
				t.Errorf("plan %v available = %v, want %v", p["id"], p["available"], want)
			}
		}
		resp := c.JSON("POST", "/api/billing/checkout", map[string]any{"plan": "growth"})
		if resp.Status != 200 {
			t.Fatalf("checkout = %d %s", resp.Status, resp.Body)
		}
		payURL := resp.Map(t)["url"].(string)
		if !strings.HasPrefix(payURL, srv.Sandbox.StripeURL+"/pay/cs_test_") {
			t.Fatalf("checkout url %s is not the sandbox payment page", payURL)
		}
		browser := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		page := fetch(t, browser, "GET", payURL)
		if !strings.Contains(page.body, "Sandbox") || !strings.Contains(page.body, ">Pay</button>") {
			t.Fatalf("payment page: %s", page.body)
		}
		paid := fetch(t, browser, "POST", payURL)
		if paid.status != http.StatusSeeOther || !strings.HasSuffix(paid.location, "/app/settings/billing?checkout=success") {
			t.Errorf("Pay = %d to %q, want 303 to the success URL", paid.status, paid.location)
		}
		for _, d := range srv.Sandbox.Stripe().Deliveries() {
			if d.Status != 200 {
				t.Errorf("delivery of %s answered %d", d.Type, d.Status)
			}
		}
		bill = c.Get("/api/billing").Map(t)
		if bill["plan"] != "growth" || bill["lead_credits"] != float64(2500) || bill["subscription_status"] != "active" || bill["monthly_credits"] != float64(2500) {
			t.Errorf("after paying: %v", bill)
		}
		if entries := ledgerOf(t, c); len(entries) < 2 || entries[0].Kind != "grant" || entries[0].BalanceAfter != 2500 || entries[0].Amount != 2000 {
			t.Errorf("newest ledger entry = %+v, want a grant of 2,000 to 2,500", entries)
		}
		if resp := c.JSON("POST", "/api/billing/checkout", map[string]any{"plan": "scale"}); resp.Status != 409 {
			t.Errorf("checkout while subscribed = %d %s, want 409", resp.Status, resp.Body)
		}

		// The portal: cancel; the plan returns to starter.
		resp = c.JSON("POST", "/api/billing/portal", nil)
		if resp.Status != 200 {
			t.Fatalf("portal = %d %s", resp.Status, resp.Body)
		}
		portalURL := resp.Map(t)["url"].(string)
		portal := fetch(t, browser, "GET", portalURL)
		cancel := regexp.MustCompile(`action="([^"]*/cancel\?sub=[^"]+)"`).FindStringSubmatch(portal.body)
		if cancel == nil {
			t.Fatalf("portal page has no cancel form: %s", portal.body)
		}
		if r := fetch(t, browser, "POST", strings.ReplaceAll(cancel[1], "&amp;", "&")); r.status != http.StatusSeeOther {
			t.Errorf("cancel = %d", r.status)
		}
		bill = c.Get("/api/billing").Map(t)
		if bill["plan"] != "starter" || bill["subscription_status"] != "canceled" {
			t.Errorf("after cancelling: %v", bill)
		}
		// Stripe calls are recorded in api_usage as "stripe".
		var usage struct {
			Data []map[string]any `json:"data"`
		}
		c.Get("/api/usage").JSON(t, &usage)
		found := false
		for _, row := range usage.Data {
			found = found || row["service"] == "stripe" && row["calls"].(float64) >= 2
		}
		if !found {
			t.Errorf("usage = %v, want the Stripe calls", usage.Data)
		}
	})
}

type fetched struct {
	status   int
	location string
	body     string
}

func fetch(t *testing.T, c *http.Client, method, u string) fetched {
	t.Helper()
	var body io.Reader
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Body = io.NopCloser(strings.NewReader(url.Values{}.Encode()))
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return fetched{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(b)}
}
