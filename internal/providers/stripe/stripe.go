// Package stripe is Prospector's one client of Stripe, over the official
// github.com/stripe/stripe-go/v82: Checkout Sessions (subscription mode),
// Customer Portal sessions, reading a subscription, and verifying and
// reading webhook events (external-apis.md §6). Everything here speaks
// Stripe's wire format, in the 2025 "basil" API stripe-go v82 is pinned to;
// callers get plain values.
package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/prospectorhq/prospector/internal/providers"
)

// Service is the api_usage service name.
const Service = "stripe"

// DefaultBaseURL is Stripe's API (STRIPE_API_BASE).
const DefaultBaseURL = "https://api.stripe.com"

// Config configures a Client. SecretKey is required.
type Config struct {
	SecretKey string
	BaseURL   string // STRIPE_API_BASE; DefaultBaseURL when empty
	// Settings supply the HTTP client, the usage recorder and the logger;
	// calls are recorded as service "stripe".
	Settings providers.Settings
}

// Client calls Stripe's API.
type Client struct {
	sc *stripego.Client
}

// New builds a Client.
func New(cfg Config) (*Client, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("stripe: no secret key")
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	hc := cfg.Settings.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	rec := *hc
	rec.Transport = recording{next: transportOf(hc), recorder: cfg.Settings.Recorder}
	retries := int64(2)
	backends := stripego.NewBackendsWithConfig(&stripego.BackendConfig{
		URL:               stripego.String(base),
		HTTPClient:        &rec,
		MaxNetworkRetries: &retries,
		LeveledLogger:     quietLogger{},
	})
	return &Client{sc: stripego.NewClient(cfg.SecretKey, stripego.WithBackends(backends))}, nil
}

func transportOf(hc *http.Client) http.RoundTripper {
	if hc.Transport != nil {
		return hc.Transport
	}
	return http.DefaultTransport
}

// recording reports each request to Stripe as a providers.Call (no key, no
// URL: the endpoint is a fixed label).
type recording struct {
	next     http.RoundTripper
	recorder providers.Recorder
}

func (t recording) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if t.recorder != nil {
		c := providers.Call{Service: Service, Endpoint: endpointOf(r), Duration: time.Since(start)}
		if resp != nil {
			c.Status = resp.StatusCode
		}
		if err != nil || c.Status >= 400 {
			c.Err = &providers.Error{Service: Service, Status: c.Status, Message: "stripe answered an error"}
		}
		t.recorder.RecordCall(r.Context(), c)
	}
	return resp, err
}

// endpointOf labels a request by its method and the fixed parts of its
// path ("POST checkout/sessions", "GET subscriptions").
func endpointOf(r *http.Request) string {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	var keep []string
	for _, p := range parts {
		if p == "v1" || isID(p) {
			continue // the version, and ids (sub_…, cus_…)
		}
		keep = append(keep, p)
	}
	return r.Method + " " + strings.Join(keep, "/")
}

// isID tells an object id (a prefix, an underscore, random letters and
// digits: sub_1Qx…) from a fixed path part (billing_portal).
func isID(p string) bool {
	_, rest, ok := strings.Cut(p, "_")
	return ok && strings.ContainsAny(rest, "0123456789")
}

// quietLogger keeps stripe-go's own logging (which may print request
// details) out of the log; errors come back as values.
type quietLogger struct{}

func (quietLogger) Debugf(string, ...any) {}
func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Errorf(string, ...any) {}

// CheckoutParams describe a subscription Checkout Session for one user.
type CheckoutParams struct {
	UserID     string // client_reference_id and subscription metadata user_id
	PriceID    string
	CustomerID string // the user's Stripe customer, when they have one
	Email      string // prefilled when there is no customer yet
	SuccessURL string
	CancelURL  string
}

// MetadataUserID is the subscription metadata key holding the user id.
const MetadataUserID = "user_id"

// CreateCheckoutSession creates a Checkout Session in subscription mode and
// returns its URL.
func (c *Client) CreateCheckoutSession(ctx context.Context, p CheckoutParams) (string, error) {
	params := &stripego.CheckoutSessionCreateParams{
		Mode:              stripego.String(string(stripego.CheckoutSessionModeSubscription)),
		ClientReferenceID: stripego.String(p.UserID),
		SuccessURL:        stripego.String(p.SuccessURL),
		CancelURL:         stripego.String(p.CancelURL),
		LineItems:         []*stripego.CheckoutSessionCreateLineItemParams{{Price: stripego.String(p.PriceID), Quantity: stripego.Int64(1)}},
		SubscriptionData: &stripego.CheckoutSessionCreateSubscriptionDataParams{
			Metadata: map[string]string{MetadataUserID: p.UserID},
		},
	}
	params.AddMetadata(MetadataUserID, p.UserID)
	switch {
	case p.CustomerID != "":
		params.Customer = stripego.String(p.CustomerID)
	case p.Email != "":
		params.CustomerEmail = stripego.String(p.Email)
	}
	params.Context = ctx
	s, err := c.sc.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return "", fmt.Errorf("stripe: create checkout session: %w", describe(err))
	}
	if s.URL == "" {
		return "", errors.New("stripe: checkout session without a url")
	}
	return s.URL, nil
}

// CreatePortalSession creates a Customer Portal session for customerID that
// returns to returnURL, and returns its URL.
func (c *Client) CreatePortalSession(ctx context.Context, customerID, returnURL string) (string, error) {
	params := &stripego.BillingPortalSessionCreateParams{
		Customer:  stripego.String(customerID),
		ReturnURL: stripego.String(returnURL),
	}
	s, err := c.sc.V1BillingPortalSessions.Create(ctx, params)
	if err != nil {
		return "", fmt.Errorf("stripe: create portal session: %w", describe(err))
	}
	return s.URL, nil
}

// Subscription reads a subscription as it is now (for events that may
// arrive out of order).
func (c *Client) Subscription(ctx context.Context, id string) (Subscription, error) {
	s, err := c.sc.V1Subscriptions.Retrieve(ctx, id, nil)
	if err != nil {
		return Subscription{}, fmt.Errorf("stripe: read subscription: %w", describe(err))
	}
	return subscriptionOf(s), nil
}

// describe keeps Stripe's error type and code, and drops the rest (the
// message may quote what was sent).
func describe(err error) error {
	var se *stripego.Error
	if errors.As(err, &se) {
		kind := providers.KindInvalid
		switch {
		case se.HTTPStatusCode == http.StatusUnauthorized || se.HTTPStatusCode == http.StatusForbidden:
			kind = providers.KindAuth
		case se.HTTPStatusCode == http.StatusNotFound:
			kind = providers.KindNotFound
		case se.HTTPStatusCode == http.StatusTooManyRequests:
			kind = providers.KindRateLimited
		case se.HTTPStatusCode >= 500 || se.HTTPStatusCode == 0:
			kind = providers.KindUnavailable
		}
		return &providers.Error{Service: Service, Kind: kind, Status: se.HTTPStatusCode, Code: string(se.Code), Message: string(se.Type)}
	}
	return err
}
