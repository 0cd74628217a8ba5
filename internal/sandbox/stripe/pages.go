package stripe

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"
)

// The sandbox's payment and portal pages: what a browser sees where
// Stripe's hosted pages would be. No money moves; every page says so.

var pages = template.Must(template.New("").Parse(`
{{define "head"}}<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{.Title}} (sandbox)</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}
.sandbox{background:#fff3cd;border:1px solid #e0c060;padding:.5rem .75rem;border-radius:4px}
button{font-size:1rem;padding:.5rem 1rem;margin:.25rem 0}</style></head><body>
<p class="sandbox" role="note">Sandbox: this is a fictional payment page. No card is charged and no money moves.</p>{{end}}
{{define "pay"}}{{template "head" .}}<h1>Subscribe to {{.Price.Name}}</h1>
<p>{{.Amount}} per month{{if .Email}}, billed to {{.Email}}{{end}}.</p>
{{if .Open}}<form method="post"><button type="submit">Pay</button></form>
{{if .CancelURL}}<p><a href="{{.CancelURL}}">Cancel and go back</a></p>{{end}}
{{else}}<p>This checkout is complete.</p>{{end}}</body></html>{{end}}
{{define "portal"}}{{template "head" .}}<h1>Your subscription</h1>
{{range .Subs}}<section><h2>{{.Name}}</h2><p>Status: {{.Status}}. Current period ends {{.PeriodEnd}}.</p>
{{if ne .Status "canceled"}}
<form method="post" action="{{$.Self}}/renew?sub={{.ID}}"><button type="submit">Renew now (next period paid)</button></form>
<form method="post" action="{{$.Self}}/fail?sub={{.ID}}"><button type="submit">Fail the next payment</button></form>
{{range $.Prices}}<form method="post" action="{{$.Self}}/switch?sub={{$.SubID}}&amp;price={{.ID}}"><button type="submit">Switch to {{.Name}}</button></form>{{end}}
<form method="post" action="{{$.Self}}/cancel?sub={{.ID}}"><button type="submit">Cancel the subscription</button></form>
{{end}}</section>{{else}}<p>No subscription.</p>{{end}}
{{if .ReturnURL}}<p><a href="{{.ReturnURL}}">Return to Prospector</a></p>{{end}}</body></html>{{end}}
`))

func (f *Fake) page(w http.ResponseWriter, r *http.Request, parts []string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case parts[0] == "pay" && len(parts) == 2 && r.Method == http.MethodGet:
		f.payPage(w, parts[1])
	case parts[0] == "pay" && len(parts) == 2 && r.Method == http.MethodPost:
		f.pay(w, r, parts[1])
	case parts[0] == "portal" && len(parts) == 2 && r.Method == http.MethodGet:
		f.portalPage(w, parts[1])
	case parts[0] == "portal" && len(parts) == 3 && r.Method == http.MethodPost:
		f.portalAction(w, r, parts[1], parts[2])
	default:
		http.Error(w, "no such sandbox page", http.StatusNotFound)
	}
}

func money(cents int64) string { return fmt.Sprintf("$%d.%02d", cents/100, cents%100) }

func (f *Fake) payPage(w http.ResponseWriter, id string) {
	f.mu.Lock()
	s := f.sessions[id]
	var data map[string]any
	if s != nil {
		p, _ := f.price(s.Price)
		email := s.CustomerEmail
		if c := f.customers[s.Customer]; c != nil {
			email = c.Email
		}
		data = map[string]any{"Title": "Checkout", "Price": p, "Amount": money(p.UnitAmount), "Email": email,
			"Open": s.Status == "open", "CancelURL": s.CancelURL}
	}
	f.mu.Unlock()
	if data == nil {
		http.Error(w, "no such checkout session", http.StatusNotFound)
		return
	}
	pages.ExecuteTemplate(w, "pay", data)
}

// pay completes a checkout: a customer, an active subscription and its
// first paid invoice, then the events, then the browser goes to the
// success URL.
func (f *Fake) pay(w http.ResponseWriter, r *http.Request, id string) {
	f.mu.Lock()
	s := f.sessions[id]
	if s == nil || s.Status != "open" {
		f.mu.Unlock()
		http.Error(w, "this checkout session is not open", http.StatusConflict)
		return
	}
	now := f.opts.Now()
	if s.Customer == "" {
		c := &customer{ID: newID("cus"), Email: s.CustomerEmail, Created: now.Unix()}
		f.customers[c.ID] = c
		s.Customer = c.ID
	}
	sub := &subscription{ID: newID("sub"), Customer: s.Customer, Status: "active", Price: s.Price, ItemID: newID("si"),
		Metadata: s.SubscriptionMetadata, PeriodStart: now.Unix(), PeriodEnd: now.AddDate(0, 1, 0).Unix(), Created: now.Unix()}
	f.subscriptions[sub.ID] = sub
	s.Status, s.PaymentStatus, s.Subscription = "complete", "paid", sub.ID
	events := []map[string]any{
		f.event("checkout.session.completed", f.sessionJSON(s)),
		f.event("customer.subscription.created", f.subscriptionJSON(sub)),
		f.event("invoice.paid", f.invoiceJSON(sub, "subscription_create", true)),
	}
	success := s.SuccessURL
	f.mu.Unlock()
	f.deliver(r.Context(), events)
	http.Redirect(w, r, success, http.StatusSeeOther)
}

func (f *Fake) portalPage(w http.ResponseWriter, id string) {
	type subView struct{ ID, Name, Status, PeriodEnd string }
	f.mu.Lock()
	p := f.portals[id]
	var data map[string]any
	if p != nil {
		var subs []subView
		subID := ""
		for _, sid := range ids(f.subscriptions) {
			s := f.subscriptions[sid]
			if s.Customer != p.Customer {
				continue
			}
			pr, _ := f.price(s.Price)
			subs = append(subs, subView{ID: s.ID, Name: pr.Name, Status: s.Status,
				PeriodEnd: time.Unix(s.PeriodEnd, 0).UTC().Format(time.DateOnly)})
			if s.Status != "canceled" {
				subID = s.ID
			}
		}
		data = map[string]any{"Title": "Billing portal", "Subs": subs, "SubID": subID, "Prices": f.opts.Prices,
			"ReturnURL": p.ReturnURL, "Self": f.pageURL("portal", p.ID)}
	}
	f.mu.Unlock()
	if data == nil {
		http.Error(w, "no such portal session", http.StatusNotFound)
		return
	}
	pages.ExecuteTemplate(w, "portal", data)
}

// portalAction changes a subscription of the portal's customer and sends
// the events Stripe would.
func (f *Fake) portalAction(w http.ResponseWriter, r *http.Request, id, action string) {
	f.mu.Lock()
	p := f.portals[id]
	var s *subscription
	if p != nil {
		s = f.subscriptions[r.URL.Query().Get("sub")]
	}
	if s == nil || s.Customer != p.Customer || s.Status == "canceled" {
		f.mu.Unlock()
		http.Error(w, "no such subscription of this customer", http.StatusNotFound)
		return
	}
	var events []map[string]any
	next := func() {
		s.PeriodStart = s.PeriodEnd
		s.PeriodEnd = time.Unix(s.PeriodStart, 0).AddDate(0, 1, 0).Unix()
	}
	switch action {
	case "renew":
		next()
		s.Status = "active"
		events = append(events, f.event("invoice.paid", f.invoiceJSON(s, "subscription_cycle", true)))
	case "fail":
		next()
		s.Status = "past_due"
		events = append(events, f.event("invoice.payment_failed", f.invoiceJSON(s, "subscription_cycle", false)),
			f.event("customer.subscription.updated", f.subscriptionJSON(s)))
	case "switch":
		price := r.URL.Query().Get("price")
		if _, ok := f.price(price); !ok {
			f.mu.Unlock()
			http.Error(w, "no such price", http.StatusNotFound)
			return
		}
		s.Price = price
		events = append(events, f.event("customer.subscription.updated", f.subscriptionJSON(s)))
	case "cancel":
		s.Status = "canceled"
		events = append(events, f.event("customer.subscription.deleted", f.subscriptionJSON(s)))
	default:
		f.mu.Unlock()
		http.Error(w, "no such portal action", http.StatusNotFound)
		return
	}
	back := f.pageURL("portal", p.ID)
	f.mu.Unlock()
	f.deliver(r.Context(), events)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// deliver posts each event, signed as Stripe signs (Stripe-Signature:
// t=<unix>,v1=<HMAC-SHA256 of "t.body" under the webhook secret>), to the
// webhook URL, one after another; an event no one could receive is
// recorded with status 0 and not retried.
func (f *Fake) deliver(ctx context.Context, events []map[string]any) {
	f.mu.Lock()
	target := f.webhookURL
	f.mu.Unlock()
	for _, ev := range events {
		d := Delivery{EventID: ev["id"].(string), Type: ev["type"].(string)}
		if target != "" {
			d.Status = f.post(ctx, target, ev)
		}
		f.mu.Lock()
		f.delivered = append(f.delivered, d)
		f.mu.Unlock()
	}
}

func (f *Fake) post(ctx context.Context, target string, ev map[string]any) int {
	body, err := json.Marshal(ev)
	if err != nil {
		return 0
	}
	now := f.opts.Now()
	sig := webhook.ComputeSignature(now, body, f.opts.WebhookSecret)
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks; sandbox)")
	req.Header.Set("Stripe-Signature", fmt.Sprintf("t=%d,v1=%s", now.Unix(), hex.EncodeToString(sig)))
	resp, err := f.opts.Client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
