// Package stripe is the Stripe fake of the sandbox, mounted at the API root
// (STRIPE_API_BASE): POST /v1/checkout/sessions (subscription mode), GET
// /v1/checkout/sessions/{id}, POST /v1/billing_portal/sessions, GET
// /v1/subscriptions/{id} and GET /v1/customers/{id}, in Stripe's wire
// format of the 2025 "basil" API (form-encoded requests, JSON answers,
// Stripe's error envelope; external-apis.md §6).
//
// Beside the API it serves the pages a browser is sent to, plainly
// labelled as sandbox pages where no money moves:
//   - /pay/{session}: the checkout page. "Pay" creates the customer, the
//     subscription and its first invoice, paid, then delivers really
//     signed checkout.session.completed and invoice.paid events to the
//     webhook URL (SetWebhook) and sends the browser to the session's
//     success_url;
//   - /portal/{session}: the customer portal, which renews the
//     subscription (invoice.paid for the next period), fails the next
//     payment (invoice.payment_failed, then customer.subscription.updated
//     past_due), switches the price (customer.subscription.updated) or
//     cancels (customer.subscription.deleted), each a real signed event.
//
// Everything lives in memory and is safe for concurrent use.
package stripe

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
)

// The sandbox's keys and prices.
const (
	DefaultKey           = "sk_test_sandbox_prospector"
	DefaultWebhookSecret = "whsec_sandbox_prospector_webhooks"
	PriceGrowth          = "price_sandbox_growth"
	PriceScale           = "price_sandbox_scale"
)

// Price is a recurring monthly price the fake sells.
type Price struct {
	ID, Product, Name string
	UnitAmount        int64 // cents, USD
}

// DefaultPrices are Prospector's paid plans as the sandbox sells them.
var DefaultPrices = []Price{
	{ID: PriceGrowth, Product: "prod_sandbox_growth", Name: "Growth (sandbox)", UnitAmount: 4900},
	{ID: PriceScale, Product: "prod_sandbox_scale", Name: "Scale (sandbox)", UnitAmount: 14900},
}

// Options configures New.
type Options struct {
	APIKey        string // DefaultKey when empty
	WebhookSecret string // DefaultWebhookSecret when empty
	Prices        []Price
	Now           func() time.Time
	// Client delivers the webhooks; a 10 s client when nil.
	Client *http.Client
}

// Fake is the Stripe fake.
type Fake struct {
	opts Options

	mu            sync.Mutex
	base          string // the fake's own base URL, for its pages
	webhookURL    string
	sessions      map[string]*session
	portals       map[string]*portal
	customers     map[string]*customer
	subscriptions map[string]*subscription
	delivered     []Delivery
}

// Delivery is one webhook the fake sent, for tests and the demo.
type Delivery struct {
	EventID, Type string
	Status        int // the receiver's answer, 0 when it could not be reached
}

type session struct {
	ID, Mode, ClientReferenceID, Customer, CustomerEmail, Price string
	SuccessURL, CancelURL                                       string
	Metadata, SubscriptionMetadata                              map[string]string
	Status, PaymentStatus, Subscription                         string
	Created                                                     int64
}

type portal struct {
	ID, Customer, ReturnURL string
	Created                 int64
}

type customer struct {
	ID, Email string
	Created   int64
}

type subscription struct {
	ID, Customer, Status, Price, ItemID string
	Metadata                            map[string]string
	PeriodStart, PeriodEnd, Created     int64
	Invoices                            int
}

// New returns the fake.
func New(opts Options) *Fake {
	opts.APIKey = cmp.Or(opts.APIKey, DefaultKey)
	opts.WebhookSecret = cmp.Or(opts.WebhookSecret, DefaultWebhookSecret)
	if len(opts.Prices) == 0 {
		opts.Prices = DefaultPrices
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	return &Fake{opts: opts, sessions: map[string]*session{}, portals: map[string]*portal{},
		customers: map[string]*customer{}, subscriptions: map[string]*subscription{}}
}

// WebhookSecret is the secret the fake signs its events with
// (STRIPE_WEBHOOK_SECRET).
func (f *Fake) WebhookSecret() string { return f.opts.WebhookSecret }

// SetBaseURL tells the fake where it is served (STRIPE_API_BASE), for the
// URLs of its pages.
func (f *Fake) SetBaseURL(url string) {
	f.mu.Lock()
	f.base = strings.TrimRight(url, "/")
	f.mu.Unlock()
}

// SetWebhook sets where events are delivered (PUBLIC_URL +
// /api/webhooks/stripe); none are sent before.
func (f *Fake) SetWebhook(url string) {
	f.mu.Lock()
	f.webhookURL = url
	f.mu.Unlock()
}

// Deliveries returns the webhooks sent so far, oldest first.
func (f *Fake) Deliveries() []Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Delivery(nil), f.delivered...)
}

func newID(prefix string) string {
	b := make([]byte, 12)
	rand.Read(b)
	return prefix + "_sbx" + hex.EncodeToString(b)
}

const maxBody = 1 << 20

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Sandbox", "fictional")
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) >= 2 && (parts[0] == "pay" || parts[0] == "portal") {
		f.page(w, r, parts)
		return
	}
	if flt := fake.FaultOf(r); flt.Status != 0 {
		writeError(w, flt.Status, "api_error", cmp.Or(flt.Code, "sandbox_fault"), "The sandbox was asked to fail this request.", "")
		return
	}
	key, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if key != f.opts.APIKey {
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "", "Invalid API Key provided.", "")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_invalid", "The request body could not be read.", "")
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/checkout/sessions":
		f.createSession(w, r.PostForm)
	case r.Method == http.MethodGet && len(parts) == 4 && parts[1] == "checkout" && parts[2] == "sessions":
		f.getSession(w, parts[3])
	case r.Method == http.MethodPost && r.URL.Path == "/v1/billing_portal/sessions":
		f.createPortal(w, r, r.PostForm)
	case r.Method == http.MethodGet && len(parts) == 3 && parts[1] == "subscriptions":
		f.getSubscription(w, parts[2])
	case r.Method == http.MethodGet && len(parts) == 3 && parts[1] == "customers":
		f.getCustomer(w, parts[2])
	default:
		writeError(w, http.StatusNotFound, "invalid_request_error", "", "Unrecognized request URL ("+r.Method+": "+r.URL.Path+").", "")
	}
}

// writeError answers in Stripe's error envelope.
func writeError(w http.ResponseWriter, status int, typ, code, message, param string) {
	e := map[string]any{"type": typ, "message": message}
	if code != "" {
		e["code"] = code
	}
	if param != "" {
		e["param"] = param
	}
	w.Header().Set("Request-Id", newID("req"))
	fake.WriteJSON(w, status, map[string]any{"error": e})
}

func missing(w http.ResponseWriter, param string) {
	writeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_missing", "Missing required param: "+param+".", param)
}

func noSuch(w http.ResponseWriter, what, id, param string) {
	writeError(w, http.StatusNotFound, "invalid_request_error", "resource_missing", fmt.Sprintf("No such %s: '%s'", what, id), param)
}

// metadata reads a form's metadata hash: keys start[key]=value, start
// being "metadata[" or "subscription_data[metadata][".
func metadata(form url.Values, start string) map[string]string {
	out := map[string]string{}
	for k, v := range form {
		if strings.HasPrefix(k, start) && strings.HasSuffix(k, "]") && len(v) > 0 {
			out[strings.TrimSuffix(strings.TrimPrefix(k, start), "]")] = v[0]
		}
	}
	return out
}

func (f *Fake) price(id string) (Price, bool) {
	for _, p := range f.opts.Prices {
		if p.ID == id {
			return p, true
		}
	}
	return Price{}, false
}

func (f *Fake) createSession(w http.ResponseWriter, form url.Values) {
	mode := form.Get("mode")
	switch {
	case mode == "":
		missing(w, "mode")
		return
	case mode != "subscription":
		writeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_invalid_string",
			"The sandbox sells subscriptions only: mode must be subscription.", "mode")
		return
	case form.Get("success_url") == "":
		missing(w, "success_url")
		return
	case form.Get("line_items[0][price]") == "":
		missing(w, "line_items[0][price]")
		return
	}
	price := form.Get("line_items[0][price]")
	if _, ok := f.price(price); !ok {
		noSuch(w, "price", price, "line_items[0][price]")
		return
	}
	if q := form.Get("line_items[0][quantity]"); q != "" && q != "1" {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_invalid_integer", "Quantity must be 1.", "line_items[0][quantity]")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cus := form.Get("customer")
	if cus != "" && f.customers[cus] == nil {
		noSuch(w, "customer", cus, "customer")
		return
	}
	s := &session{ID: newID("cs_test"), Mode: mode, ClientReferenceID: form.Get("client_reference_id"), Customer: cus,
		CustomerEmail: form.Get("customer_email"), Price: price, SuccessURL: form.Get("success_url"), CancelURL: form.Get("cancel_url"),
		Metadata: metadata(form, "metadata["), SubscriptionMetadata: metadata(form, "subscription_data[metadata]["),
		Status: "open", PaymentStatus: "unpaid", Created: f.opts.Now().Unix()}
	f.sessions[s.ID] = s
	fake.WriteJSON(w, http.StatusOK, f.sessionJSON(s))
}

// pageURL is the address of one of the fake's pages (f.mu held).
func (f *Fake) pageURL(kind, id string) string {
	return f.base + "/" + kind + "/" + id
}

func (f *Fake) sessionJSON(s *session) map[string]any {
	out := map[string]any{
		"id": s.ID, "object": "checkout.session", "mode": s.Mode, "status": s.Status, "payment_status": s.PaymentStatus,
		"client_reference_id": nullable(s.ClientReferenceID), "customer": nullable(s.Customer),
		"customer_email": nullable(s.CustomerEmail), "subscription": nullable(s.Subscription),
		"success_url": s.SuccessURL, "cancel_url": nullable(s.CancelURL), "metadata": s.Metadata,
		"created": s.Created, "expires_at": s.Created + 24*3600, "livemode": false, "currency": "usd", "ui_mode": "hosted",
		"url": nil,
	}
	if s.Status == "open" {
		out["url"] = f.pageURL("pay", s.ID)
	}
	if s.Customer != "" {
		if c := f.customers[s.Customer]; c != nil {
			out["customer_details"] = map[string]any{"email": nullable(c.Email)}
		}
	}
	return out
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (f *Fake) getSession(w http.ResponseWriter, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.sessions[id]
	if s == nil {
		noSuch(w, "checkout.session", id, "session")
		return
	}
	fake.WriteJSON(w, http.StatusOK, f.sessionJSON(s))
}

func (f *Fake) createPortal(w http.ResponseWriter, r *http.Request, form url.Values) {
	cus := form.Get("customer")
	if cus == "" {
		missing(w, "customer")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.customers[cus] == nil {
		noSuch(w, "customer", cus, "customer")
		return
	}
	p := &portal{ID: newID("bps"), Customer: cus, ReturnURL: form.Get("return_url"), Created: f.opts.Now().Unix()}
	f.portals[p.ID] = p
	fake.WriteJSON(w, http.StatusOK, map[string]any{"id": p.ID, "object": "billing_portal.session", "customer": cus,
		"return_url": nullable(p.ReturnURL), "created": p.Created, "livemode": false, "url": f.pageURL("portal", p.ID)})
}

func (f *Fake) getSubscription(w http.ResponseWriter, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.subscriptions[id]
	if s == nil {
		noSuch(w, "subscription", id, "id")
		return
	}
	fake.WriteJSON(w, http.StatusOK, f.subscriptionJSON(s))
}

func (f *Fake) getCustomer(w http.ResponseWriter, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.customers[id]
	if c == nil {
		noSuch(w, "customer", id, "id")
		return
	}
	fake.WriteJSON(w, http.StatusOK, map[string]any{"id": c.ID, "object": "customer", "email": nullable(c.Email),
		"created": c.Created, "livemode": false, "metadata": map[string]string{}})
}

// subscriptionJSON is a subscription in the basil shape: the period is on
// its items, not on the subscription.
func (f *Fake) subscriptionJSON(s *subscription) map[string]any {
	p, _ := f.price(s.Price)
	return map[string]any{
		"id": s.ID, "object": "subscription", "customer": s.Customer, "status": s.Status, "metadata": s.Metadata,
		"created": s.Created, "livemode": false, "cancel_at_period_end": false, "currency": "usd",
		"items": map[string]any{"object": "list", "has_more": false, "url": "/v1/subscription_items?subscription=" + s.ID,
			"data": []any{map[string]any{
				"id": s.ItemID, "object": "subscription_item", "quantity": 1, "subscription": s.ID,
				"current_period_start": s.PeriodStart, "current_period_end": s.PeriodEnd,
				"price": priceJSON(p),
			}}},
	}
}

func priceJSON(p Price) map[string]any {
	return map[string]any{"id": p.ID, "object": "price", "product": p.Product, "unit_amount": p.UnitAmount, "currency": "usd",
		"type": "recurring", "recurring": map[string]any{"interval": "month", "interval_count": 1}, "active": true}
}

// invoiceJSON is an invoice of s for its current period in the basil
// shape: the subscription under parent.subscription_details, the price
// under each line's pricing.price_details.
func (f *Fake) invoiceJSON(s *subscription, reason string, paid bool) map[string]any {
	p, _ := f.price(s.Price)
	now := f.opts.Now().Unix()
	status, amountPaid, attempts := "paid", p.UnitAmount, 1
	var next any
	if !paid {
		status, amountPaid, next = "open", 0, now+3*24*3600
	}
	id := newID("in")
	return map[string]any{
		"id": id, "object": "invoice", "customer": s.Customer, "status": status, "billing_reason": reason,
		"amount_due": p.UnitAmount, "amount_paid": amountPaid, "amount_remaining": p.UnitAmount - amountPaid, "currency": "usd",
		"created": now, "period_start": now, "period_end": now, "attempt_count": attempts, "next_payment_attempt": next,
		"livemode": false,
		"parent": map[string]any{"type": "subscription_details", "quote_details": nil,
			"subscription_details": map[string]any{"subscription": s.ID, "metadata": s.Metadata}},
		"lines": map[string]any{"object": "list", "has_more": false, "url": "/v1/invoices/" + id + "/lines",
			"data": []any{map[string]any{
				"id": newID("il"), "object": "line_item", "amount": p.UnitAmount, "currency": "usd", "quantity": 1,
				"description": "1 × " + p.Name, "invoice": id,
				"period":  map[string]any{"start": s.PeriodStart, "end": s.PeriodEnd},
				"pricing": map[string]any{"type": "price_details", "price_details": map[string]any{"price": p.ID, "product": p.Product}, "unit_amount_decimal": fmt.Sprint(p.UnitAmount)},
				"parent": map[string]any{"type": "subscription_item_details", "invoice_item_details": nil,
					"subscription_item_details": map[string]any{"subscription": s.ID, "subscription_item": s.ItemID, "proration": false,
						"invoice_item": nil, "proration_details": map[string]any{"credited_items": nil}}},
			}}},
	}
}

// event wraps an object in an event of the SDK's API version.
func (f *Fake) event(typ string, obj map[string]any) map[string]any {
	return map[string]any{"id": newID("evt"), "object": "event", "api_version": stripego.APIVersion, "created": f.opts.Now().Unix(),
		"livemode": false, "pending_webhooks": 1, "type": typ,
		"request": map[string]any{"id": newID("req"), "idempotency_key": nil}, "data": map[string]any{"object": obj}}
}

// ids lists a map's keys in order, for stable pages.
func ids[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
