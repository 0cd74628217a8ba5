package instantly

import (
	"bytes"
	"encoding/json"
	"maps"
	"mime"
	"net/http"
	"regexp"
)

// Campaign statuses (external-apis.md §4).
const (
	statusDraft  = 0
	statusActive = 1
	statusPaused = 2
)

// Campaign is a campaign as the fake holds it, for tests.
type Campaign struct {
	ID     string
	Name   string
	Status int // 0 draft, 1 active, 2 paused
	// Body is the create request's body as sent, decoded with numbers as
	// json.Number.
	Body map[string]any
	// Activations and Pauses count the activate and pause calls.
	Activations, Pauses int
	Created, Updated    string
}

var (
	timingRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)
	dayKeyRE = regexp.MustCompile(`^[0-6]$`)
	dateRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// campaignSchema is POST /campaigns' body: name and campaign_schedule
// required, nothing undocumented, read-only fields refused.
var campaignSchema = object(
	req("name", str),
	req("campaign_schedule", object(
		opt("start_date", nullable(pattern(dateRE))),
		opt("end_date", nullable(pattern(dateRE))),
		req("schedules", array(1, 0, object(
			req("name", str),
			req("timing", object(req("from", pattern(timingRE)), req("to", pattern(timingRE)))),
			req("days", mapOf(dayKeyRE, 1, boolean)),
			req("timezone", enum(timezones...)),
		))),
	)),
	opt("sequences", array(0, 0, object(
		req("steps", array(1, 0, object(
			req("type", enum("email")),
			req("delay", integer(0, 1<<31-1)),
			opt("delay_unit", enum("minutes", "hours", "days")),
			req("variants", array(1, 0, object(
				req("subject", str),
				req("body", str),
				opt("v_disabled", boolean),
			))),
		))),
	))),
	opt("email_list", array(0, 0, email)),
	opt("daily_limit", nullable(integer(0, 1<<31-1))),
	opt("email_gap", nullable(integer(0, 1<<31-1))),
	opt("random_wait_max", nullable(integer(0, 1<<31-1))),
	opt("daily_max_leads", nullable(integer(0, 1<<31-1))),
	opt("stop_on_reply", boolean),
	opt("stop_on_auto_reply", boolean),
	opt("stop_for_company", boolean),
	opt("link_tracking", boolean),
	opt("open_tracking", boolean),
	opt("text_only", boolean),
	opt("first_email_text_only", boolean),
	opt("insert_unsubscribe_header", boolean),
	opt("cc_list", array(0, 0, email)),
	opt("bcc_list", array(0, 0, email)),
	opt("email_tag_list", array(0, 0, str)),
	opt("pl_value", nullable(number)),
	opt("is_evergreen", nullable(boolean)),
	opt("match_lead_esp", boolean),
	opt("prioritize_new_leads", boolean),
	opt("allow_risky_contacts", boolean),
	opt("disable_bounce_protect", boolean),
	opt("auto_variant_select", nullable(anything)),
	opt("provider_routing_rules", anything),
	opt("limit_emails_per_company_override", nullable(anything)),
)

func (f *Fake) createCampaign(w http.ResponseWriter, r *http.Request, body []byte) {
	v, ok := decodeBody(w, r, body)
	if !ok || !validate(w, v, campaignSchema) {
		return
	}
	m := v.(map[string]any)
	now := f.timestamp()
	c := &Campaign{ID: newID(), Name: m["name"].(string), Status: statusDraft, Body: m, Created: now, Updated: now}
	f.mu.Lock()
	f.campaigns[c.ID] = c
	f.order = append(f.order, c.ID)
	out := f.campaignObject(c)
	f.mu.Unlock()
	writeJSON(w, out)
}

func (f *Fake) getCampaign(w http.ResponseWriter, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.campaigns[id]
	if !ok {
		writeError(w, http.StatusNotFound, "", "Campaign not found")
		return
	}
	writeJSON(w, f.campaignObject(c))
}

// setStatus activates or pauses a campaign. The endpoints take no body; a
// JSON Content-Type with an empty body is refused, as Fastify refuses it.
func (f *Fake) setStatus(w http.ResponseWriter, r *http.Request, body []byte, id string, status int) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" || len(bytes.TrimSpace(body)) > 0 {
		if _, ok := decodeBody(w, r, body); !ok {
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.campaigns[id]
	if !ok {
		writeError(w, http.StatusNotFound, "", "Campaign not found")
		return
	}
	c.Status = status
	c.Updated = f.timestamp()
	if status == statusActive {
		c.Activations++
	} else {
		c.Pauses++
	}
	writeJSON(w, f.campaignObject(c))
}

// campaignObject is the Campaign object Instantly answers: the fields sent,
// with the read-only ones. Callers hold f.mu.
func (f *Fake) campaignObject(c *Campaign) map[string]any {
	out := maps.Clone(c.Body)
	out["id"] = c.ID
	out["status"] = c.Status
	out["organization"] = f.workspace
	out["timestamp_created"] = c.Created
	out["timestamp_updated"] = c.Updated
	if _, ok := out["pl_value"]; !ok {
		out["pl_value"] = 100
	}
	if _, ok := out["is_evergreen"]; !ok {
		out["is_evergreen"] = false
	}
	if c.Status == statusActive {
		// Outside any real schedule, the fake says why nothing goes out:
		// waiting for a lead, or outside the schedule.
		if len(f.leads[c.ID]) == 0 {
			out["not_sending_status"] = 2
		} else {
			out["not_sending_status"] = 1
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Campaigns returns the campaigns, oldest first.
func (f *Fake) Campaigns() []Campaign {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Campaign, 0, len(f.order))
	for _, id := range f.order {
		out = append(out, snapshot(f.campaigns[id]))
	}
	return out
}

// Campaign returns one campaign.
func (f *Fake) Campaign(id string) (Campaign, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.campaigns[id]
	if !ok {
		return Campaign{}, false
	}
	return snapshot(c), true
}

func snapshot(c *Campaign) Campaign {
	out := *c
	out.Body = cloneJSON(c.Body).(map[string]any)
	return out
}

// cloneJSON deep-copies a decoded JSON value, so a test cannot change the
// fake's state through what it was given.
func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneJSON(e)
		}
		return out
	}
	return v
}
