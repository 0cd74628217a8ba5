package instantly

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
)

// Webhook is a webhook as the fake holds it, for tests.
type Webhook struct {
	ID            string
	TargetHookURL string
	Name          string
	EventType     *string // nil: custom label events
	Campaign      *string // nil: every campaign
	Headers       map[string]string
	Created       string
}

// eventTypes is the subscription enum of POST /webhooks.
var eventTypes = []string{
	"all_events", "email_sent", "email_opened", "email_link_clicked", "reply_received", "email_bounced",
	"lead_unsubscribed", "campaign_completed", "account_error", "lead_neutral", "lead_interested",
	"lead_not_interested", "lead_meeting_booked", "lead_meeting_completed", "lead_closed",
	"lead_out_of_office", "lead_wrong_person", "lead_no_show", "supersearch_enrichment_completed",
}

var hookURLRE = regexp.MustCompile(`^https?://`)

var webhookSchema = object(
	req("target_hook_url", pattern(hookURLRE)),
	opt("campaign", nullable(uuid)),
	opt("name", nullable(str)),
	opt("event_type", nullable(enum(eventTypes...))),
	opt("custom_interest_value", nullable(anything)),
	opt("headers", nullable(mapOf(nil, 0, str))),
)

func (f *Fake) createWebhook(w http.ResponseWriter, r *http.Request, body []byte) {
	v, ok := decodeBody(w, r, body)
	if !ok || !validate(w, v, webhookSchema) {
		return
	}
	m := v.(map[string]any)
	hook := &Webhook{ID: newID(), TargetHookURL: m["target_hook_url"].(string), Name: text(m, "name"), Headers: map[string]string{}, Created: f.timestamp()}
	if s, ok := m["event_type"].(string); ok {
		hook.EventType = &s
	}
	if s, ok := m["campaign"].(string); ok {
		hook.Campaign = &s
	}
	if hs, ok := m["headers"].(map[string]any); ok {
		for k, v := range hs {
			hook.Headers[k] = v.(string)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if hook.Campaign != nil {
		if _, ok := f.campaigns[*hook.Campaign]; !ok {
			writeError(w, http.StatusNotFound, "", "Campaign not found")
			return
		}
	}
	f.webhooks = append(f.webhooks, hook)
	writeJSON(w, f.webhookObject(hook))
}

// listWebhooks pages the webhooks, oldest first: limit 1–100 (default 10),
// starting_after the last id of the previous page.
func (f *Fake) listWebhooks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 10
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			writeError(w, http.StatusBadRequest, "FST_ERR_VALIDATION", "querystring/limit must be integer")
			return
		case n < 1:
			writeError(w, http.StatusBadRequest, "FST_ERR_VALIDATION", "querystring/limit must be >= 1")
			return
		case n > 100:
			writeError(w, http.StatusBadRequest, "FST_ERR_VALIDATION", "querystring/limit must be <= 100")
			return
		}
		limit = n
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	hooks := slices.Clone(f.webhooks)
	if c := q.Get("campaign"); c != "" {
		hooks = slices.DeleteFunc(hooks, func(h *Webhook) bool { return h.Campaign == nil || *h.Campaign != c })
	}
	if et := q.Get("event_type"); et != "" {
		hooks = slices.DeleteFunc(hooks, func(h *Webhook) bool { return h.EventType == nil || *h.EventType != et })
	}
	if after := q.Get("starting_after"); after != "" {
		i := slices.IndexFunc(hooks, func(h *Webhook) bool { return h.ID == after })
		if i < 0 {
			hooks = nil
		} else {
			hooks = hooks[i+1:]
		}
	}
	items := []any{}
	for _, h := range hooks[:min(limit, len(hooks))] {
		items = append(items, f.webhookObject(h))
	}
	out := map[string]any{"items": items}
	if len(hooks) > limit {
		out["next_starting_after"] = hooks[limit-1].ID
	}
	writeJSON(w, out)
}

// webhookObject is the Webhook object Instantly answers. Callers hold f.mu.
func (f *Fake) webhookObject(h *Webhook) map[string]any {
	return map[string]any{
		"id": h.ID, "organization": f.workspace, "target_hook_url": h.TargetHookURL, "timestamp_created": h.Created,
		"campaign": h.Campaign, "name": h.Name, "event_type": h.EventType, "custom_interest_value": nil,
		"headers": maps.Clone(h.Headers), "status": 1, "timestamp_error": nil,
	}
}

// Webhooks returns the webhooks, oldest first.
func (f *Fake) Webhooks() []Webhook {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Webhook, 0, len(f.webhooks))
	for _, h := range f.webhooks {
		c := *h
		c.Headers = maps.Clone(h.Headers)
		out = append(out, c)
	}
	return out
}

// Deliver sends event to every webhook subscribed to its event_type (or
// to all_events) and to its campaign (or to every campaign), as Instantly
// delivers them: a POST of the JSON payload with the webhook's headers.
// The fields Instantly always sends are filled in when event lacks them
// (timestamp, workspace, campaign_name). target, when not empty, replaces
// each webhook's target_hook_url (a test server's address is known only
// once it listens). It answers each delivery's HTTP status.
func (f *Fake) Deliver(ctx context.Context, target string, event map[string]any) ([]int, error) {
	payload := maps.Clone(event)
	typ, _ := payload["event_type"].(string)
	campaign, _ := payload["campaign_id"].(string)
	f.mu.Lock()
	if _, ok := payload["timestamp"]; !ok {
		payload["timestamp"] = f.opts.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	}
	if _, ok := payload["workspace"]; !ok {
		payload["workspace"] = f.workspace
	}
	if c, ok := f.campaigns[campaign]; ok {
		if _, ok := payload["campaign_name"]; !ok {
			payload["campaign_name"] = c.Name
		}
	}
	var hooks []Webhook
	for _, h := range f.webhooks {
		if (h.EventType == nil || *h.EventType == "all_events" || *h.EventType == typ) && (h.Campaign == nil || *h.Campaign == campaign) {
			c := *h
			c.Headers = maps.Clone(h.Headers)
			hooks = append(hooks, c)
		}
	}
	f.mu.Unlock()
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	var statuses []int
	for _, h := range hooks {
		url := cmp.Or(target, h.TargetHookURL)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return statuses, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "Instantly-Webhooks (sandbox)")
		for k, v := range h.Headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return statuses, err
		}
		io.Copy(io.Discard, resp.Body) //nolint:errcheck
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
	return statuses, nil
}
