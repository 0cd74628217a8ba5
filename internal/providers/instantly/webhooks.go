package instantly

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// SecretHeader is the header every delivery of Prospector's webhook
// carries, with the user's secret: Instantly signs nothing, so this shared
// secret is how POST /api/webhooks/instantly knows the user.
const SecretHeader = "X-Prospector-Secret"

// DefaultWebhookName is the name the webhook shows in Instantly's settings.
const DefaultWebhookName = "Prospector"

// WebhookParams describe a user's webhook.
type WebhookParams struct {
	// TargetURL is PUBLIC_URL/api/webhooks/instantly.
	TargetURL string
	// Secret is the user's webhook secret, sent back in SecretHeader.
	Secret string
	// Name defaults to DefaultWebhookName.
	Name string
}

// LogValue keeps the secret out of logs.
func (p WebhookParams) LogValue() slog.Value {
	return slog.GroupValue(slog.String("target_url", p.TargetURL), slog.String("name", p.Name))
}

// LogValue keeps the secret header out of logs.
func (w Webhook) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", w.ID), slog.String("target_hook_url", w.TargetHookURL), slog.String("event_type", w.EventType))
}

const (
	opCreateWebhook = "register the webhook"
	opListWebhooks  = "list the webhooks"
)

// WebhookRequest builds the body of POST /webhooks for p: every event of
// every campaign of the workspace, with the secret header.
func WebhookRequest(p WebhookParams) (CreateWebhookRequest, error) {
	u, err := url.Parse(p.TargetURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return CreateWebhookRequest{}, invalid(opCreateWebhook, "the target URL must be an http(s) URL")
	}
	if strings.TrimSpace(p.Secret) == "" {
		return CreateWebhookRequest{}, invalid(opCreateWebhook, "the webhook has no secret")
	}
	name := p.Name
	if name == "" {
		name = DefaultWebhookName
	}
	return CreateWebhookRequest{
		TargetHookURL: p.TargetURL,
		Name:          name,
		EventType:     EventAllEvents,
		Headers:       map[string]string{SecretHeader: p.Secret},
	}, nil
}

// CreateWebhook registers a webhook: POST /webhooks.
func (c *Client) CreateWebhook(ctx context.Context, p WebhookParams) (Webhook, error) {
	req, err := WebhookRequest(p)
	if err != nil {
		return Webhook{}, err
	}
	var out Webhook
	if err := c.call(ctx, request{op: opCreateWebhook, method: http.MethodPost, path: "/webhooks", endpoint: EndpointCreateWebhook, body: req}, &out); err != nil {
		return Webhook{}, err
	}
	if out.ID == "" {
		return Webhook{}, wrap(opCreateWebhook, badAnswer("the answer has no webhook id"))
	}
	return out, nil
}

// maxWebhookPages bounds ListWebhooks, should a cursor never end.
const maxWebhookPages = 50

// ListWebhooks returns the workspace's webhooks: GET /webhooks, 100 a page,
// following next_starting_after.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	var all []Webhook
	after := ""
	for range maxWebhookPages {
		q := url.Values{"limit": {"100"}}
		if after != "" {
			q.Set("starting_after", after)
		}
		var page WebhookList
		if err := c.call(ctx, request{op: opListWebhooks, method: http.MethodGet, path: "/webhooks?" + q.Encode(), endpoint: EndpointListWebhooks}, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextStartingAfter == "" || page.NextStartingAfter == after || len(page.Items) == 0 {
			break
		}
		after = page.NextStartingAfter
	}
	return all, nil
}

// EnsureWebhook registers p's webhook unless the workspace already has one
// to the same URL, for all events, with the same secret: registering again
// (a retry, a second campaign) must not make Instantly deliver every event
// twice. It reports whether it created one.
func (c *Client) EnsureWebhook(ctx context.Context, p WebhookParams) (Webhook, bool, error) {
	if _, err := WebhookRequest(p); err != nil {
		return Webhook{}, false, err
	}
	hooks, err := c.ListWebhooks(ctx)
	if err != nil {
		return Webhook{}, false, err
	}
	for _, w := range hooks {
		if w.TargetHookURL == p.TargetURL && w.EventType == EventAllEvents && w.Campaign == nil && secretOf(w) == p.Secret {
			return w, false, nil
		}
	}
	w, err := c.CreateWebhook(ctx, p)
	return w, err == nil, err
}

// secretOf is the webhook's secret header, whatever case Instantly gives
// its name.
func secretOf(w Webhook) string {
	for k, v := range w.Headers {
		if strings.EqualFold(k, SecretHeader) {
			return v
		}
	}
	return ""
}
