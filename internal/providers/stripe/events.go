package stripe

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"
)

// Tolerance is how old a signed webhook may be (Stripe's default).
const Tolerance = webhook.DefaultTolerance

// The event types Prospector acts on.
const (
	EventCheckoutCompleted     = "checkout.session.completed"
	EventInvoicePaid           = "invoice.paid"
	EventInvoicePaymentFailed  = "invoice.payment_failed"
	EventSubscriptionCreated   = "customer.subscription.created"
	EventSubscriptionUpdated   = "customer.subscription.updated"
	EventSubscriptionDeleted   = "customer.subscription.deleted"
	subscriptionDetailsParent  = "subscription_details"
	subscriptionItemLineParent = "subscription_item_details"
)

// ErrSignature is a webhook whose Stripe-Signature header is missing,
// malformed, does not match the secret, or is older than Tolerance.
var ErrSignature = errors.New("stripe: webhook signature missing, invalid or too old")

// Event is a verified webhook event with the object it carries, read from
// where the basil API puts each field. Exactly one of Checkout,
// Subscription and Invoice is set for the types above; none for others.
type Event struct {
	ID      string
	Type    string
	Created time.Time
	// APIVersion is the event's; stripe-go reads the basil shapes.
	APIVersion string

	Checkout     *Checkout
	Subscription *Subscription
	Invoice      *Invoice
}

// Checkout is a completed Checkout Session.
type Checkout struct {
	ID                string
	Mode              string
	ClientReferenceID string
	CustomerID        string
	SubscriptionID    string
	PaymentStatus     string
}

// Subscription is a subscription's state.
type Subscription struct {
	ID         string
	CustomerID string
	Status     string // active, trialing, past_due, unpaid, canceled, incomplete, incomplete_expired, paused
	PriceID    string // of its first item
	PeriodEnd  time.Time
	UserID     string // metadata user_id
}

// Invoice is a paid or failed invoice of a subscription.
type Invoice struct {
	ID             string
	CustomerID     string
	SubscriptionID string // parent.subscription_details.subscription (basil), or a line's
	UserID         string // parent.subscription_details.metadata user_id
	BillingReason  string
	// PriceID and PeriodEnd are the subscription line's: the price paid
	// for and the end of the period it pays for (not the invoice's own
	// period_end, which is when it was drawn up).
	PriceID   string
	PeriodEnd time.Time
}

// ParseEvent verifies a webhook's signature against secret (within
// Tolerance of now) and reads the event. A bad signature is ErrSignature;
// a well-signed body that is not a readable event is another error.
func ParseEvent(payload []byte, signature, secret string) (Event, error) {
	ev, err := webhook.ConstructEventWithOptions(payload, signature, secret,
		webhook.ConstructEventOptions{Tolerance: Tolerance, IgnoreAPIVersionMismatch: true})
	if err != nil {
		if errors.Is(err, webhook.ErrNotSigned) || errors.Is(err, webhook.ErrInvalidHeader) ||
			errors.Is(err, webhook.ErrNoValidSignature) || errors.Is(err, webhook.ErrTooOld) {
			return Event{}, ErrSignature
		}
		return Event{}, fmt.Errorf("stripe: read event: %w", err)
	}
	out := Event{ID: ev.ID, Type: string(ev.Type), Created: time.Unix(ev.Created, 0).UTC(), APIVersion: ev.APIVersion}
	if out.ID == "" || out.Type == "" {
		return Event{}, errors.New("stripe: event without id or type")
	}
	if ev.Data == nil {
		return out, nil
	}
	raw := ev.Data.Raw
	switch out.Type {
	case EventCheckoutCompleted:
		var s stripego.CheckoutSession
		if err := json.Unmarshal(raw, &s); err != nil {
			return Event{}, fmt.Errorf("stripe: read %s: %w", out.Type, err)
		}
		c := &Checkout{ID: s.ID, Mode: string(s.Mode), ClientReferenceID: s.ClientReferenceID, PaymentStatus: string(s.PaymentStatus)}
		if s.Customer != nil {
			c.CustomerID = s.Customer.ID
		}
		if s.Subscription != nil {
			c.SubscriptionID = s.Subscription.ID
		}
		out.Checkout = c
	case EventSubscriptionCreated, EventSubscriptionUpdated, EventSubscriptionDeleted:
		var s stripego.Subscription
		if err := json.Unmarshal(raw, &s); err != nil {
			return Event{}, fmt.Errorf("stripe: read %s: %w", out.Type, err)
		}
		sub := subscriptionOf(&s)
		out.Subscription = &sub
	case EventInvoicePaid, EventInvoicePaymentFailed:
		var inv stripego.Invoice
		if err := json.Unmarshal(raw, &inv); err != nil {
			return Event{}, fmt.Errorf("stripe: read %s: %w", out.Type, err)
		}
		i := invoiceOf(&inv)
		out.Invoice = &i
	}
	return out, nil
}

// subscriptionOf reads a subscription; in basil the period is on its items.
func subscriptionOf(s *stripego.Subscription) Subscription {
	out := Subscription{ID: s.ID, Status: string(s.Status), UserID: s.Metadata[MetadataUserID]}
	if s.Customer != nil {
		out.CustomerID = s.Customer.ID
	}
	if s.Items != nil {
		for _, it := range s.Items.Data {
			if it == nil {
				continue
			}
			if it.Price != nil && out.PriceID == "" {
				out.PriceID = it.Price.ID
			}
			if it.CurrentPeriodEnd > 0 && time.Unix(it.CurrentPeriodEnd, 0).After(out.PeriodEnd) {
				out.PeriodEnd = time.Unix(it.CurrentPeriodEnd, 0).UTC()
			}
		}
	}
	return out
}

// invoiceOf reads an invoice the basil way: the subscription from
// parent.subscription_details (invoice.subscription is gone), the price
// from the subscription line's pricing.price_details (line.price is gone),
// the period from that line's period.
func invoiceOf(inv *stripego.Invoice) Invoice {
	out := Invoice{ID: inv.ID, BillingReason: string(inv.BillingReason)}
	if inv.Customer != nil {
		out.CustomerID = inv.Customer.ID
	}
	if p := inv.Parent; p != nil && string(p.Type) == subscriptionDetailsParent && p.SubscriptionDetails != nil {
		if p.SubscriptionDetails.Subscription != nil {
			out.SubscriptionID = p.SubscriptionDetails.Subscription.ID
		}
		out.UserID = p.SubscriptionDetails.Metadata[MetadataUserID]
	}
	if inv.Lines == nil {
		return out
	}
	for _, line := range inv.Lines.Data {
		if line == nil {
			continue
		}
		sub := ""
		if lp := line.Parent; lp != nil && string(lp.Type) == subscriptionItemLineParent && lp.SubscriptionItemDetails != nil {
			sub = lp.SubscriptionItemDetails.Subscription
			if lp.SubscriptionItemDetails.Proration {
				continue // a proration credits or debits a change; the period's line names the plan
			}
		}
		if sub == "" {
			continue // an invoice item, not the subscription's
		}
		if out.SubscriptionID == "" {
			out.SubscriptionID = sub
		}
		if line.Pricing != nil && line.Pricing.PriceDetails != nil && out.PriceID == "" {
			out.PriceID = line.Pricing.PriceDetails.Price
		}
		if line.Period != nil && line.Period.End > 0 && time.Unix(line.Period.End, 0).After(out.PeriodEnd) {
			out.PeriodEnd = time.Unix(line.Period.End, 0).UTC()
		}
	}
	return out
}

// Basil reports whether an API version is of the basil release train that
// stripe-go v82 reads.
func Basil(version string) bool { return strings.HasSuffix(version, "."+stripego.APIMajorVersion) }
