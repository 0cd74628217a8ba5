// Package instantly is the client of Instantly's API v2, the second way
// Prospector sends what a user approved: under INSTANTLY_BASE_URL (default
// https://api.instantly.ai/api/v2) it creates one Instantly campaign per
// Prospector campaign, adds each approved sequence as a lead, activates and
// pauses the campaign, and registers the webhook Instantly reports events
// to. The key travels as "Authorization: Bearer <key>", never in a URL, a
// log line, a recorded call or an error.
//
// How a Prospector campaign maps onto Instantly's (DESIGN.md, "Provider
// instantly"): the Instantly campaign's steps hold no text of their own,
// only merge tags ({{p_subject_1}}, {{p_body_1}}, …); each lead carries its
// sequence's own subjects and bodies in custom_variables (Variables builds
// them, bodies as HTML with <br/>). One campaign thus sends a different,
// personal text to every lead.
//
// Errors are *Error: a sentence a user can act on ("Instantly refused the
// API key (401): check it in Settings → API keys"), with the reason as a
// sentinel for errors.Is (ErrUnauthorized, ErrPaymentRequired,
// ErrForbidden, ErrRateLimited, ErrUnavailable, ErrInvalid, ErrNotFound,
// ErrNoAPIKey) and the *providers.Error underneath for providers.IsAuth and
// friends. 429 and 5xx are retried by the shared Doer (Retry-After honoured,
// else a jittered back-off); the others are not.
//
// Rate limits: Instantly allows a workspace 100 requests a second and 6,000
// a minute, shared between all its keys and API v1. DefaultRate (20/s,
// burst 20, so at most 1,220 a minute) leaves most of that to the user's
// other tools; a lead upload carries up to 1,000 leads per request, so the
// send stage needs few requests.
//
// Cost: Instantly bills by plan, not per request, so calls are recorded
// (service "instantly") with no cost and no credits.
package instantly

import (
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
)

// DefaultBaseURL is INSTANTLY_BASE_URL's default; the client appends
// /campaigns, /leads/add, /webhooks, …
const DefaultBaseURL = "https://api.instantly.ai/api/v2"

// Service is the service identifier recorded in api_usage.service.
const Service = "instantly"

// Endpoint labels for recorded Calls and logs.
const (
	EndpointCreateCampaign   = "campaigns:create"
	EndpointActivateCampaign = "campaigns:activate"
	EndpointPauseCampaign    = "campaigns:pause"
	EndpointAddLeads         = "leads:add"
	EndpointCreateWebhook    = "webhooks:create"
	EndpointListWebhooks     = "webhooks:list"
)

const (
	// MaxLeadsPerRequest is the most leads POST /leads/add takes at once;
	// AddLeads splits longer lists.
	MaxLeadsPerRequest = 1000
	// MinWaitAfterRateLimit is the least pause after a 429: Instantly's
	// limits are per second and per minute, and it documents no
	// Retry-After.
	MinWaitAfterRateLimit = 2 * time.Second
)

// DefaultRate keeps far under Instantly's 100 requests a second and 6,000
// a minute per workspace; see the package documentation.
func DefaultRate() providers.Rate { return providers.Rate{PerSecond: 20, Burst: 20} }

// Config configures a Client.
type Config struct {
	APIKey   string // INSTANTLY_API_KEY; may be empty when only per-user (BYOK) keys are used
	BaseURL  string // INSTANTLY_BASE_URL; default DefaultBaseURL
	Settings providers.Settings
}

// Client calls Instantly. Build one per process and share it (see package
// providers on ownership); use WithKey for a user's own key.
type Client struct {
	base string
	key  string
	doer *providers.Doer
}

// New builds a Client.
func New(cfg Config) (*Client, error) {
	base, err := providers.BaseURL(Service, cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	return &Client{
		base: base,
		key:  cfg.APIKey,
		doer: providers.NewDoer(providers.Policy{
			Service:         Service,
			Rate:            DefaultRate(),
			MinWaitAfter429: MinWaitAfterRateLimit,
			Classify:        classify,
		}, cfg.Settings),
	}, nil
}

// WithKey returns a client that uses key and shares c's rate limiter and
// recorder, for users who bring their own key.
func (c *Client) WithKey(key string) *Client {
	cp := *c
	cp.key = key
	return &cp
}

// HasKey reports whether the client has a key to send; without one every
// call fails with ErrNoAPIKey and sends nothing.
func (c *Client) HasKey() bool { return c.key != "" }
