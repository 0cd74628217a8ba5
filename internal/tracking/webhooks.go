package tracking

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Instantly's webhook events (api-reference/external-apis.md, section 4):
// each names Instantly's campaign, the lead (our sequence's contact) and
// the step; they make the same events and effects as mail we send and
// read ourselves. The X-Prospector-Secret header, the per-user secret
// Prospector registered with the webhook (signedlink.InstantlyWebhook),
// says whose they are. A delivery is applied once: its receipts (the
// email's id with the event type, and a hash of the body) are recorded in
// the same transaction, and a delivery that finds one changes nothing.

// Instantly event types we act on.
const (
	instantlySent         = "email_sent"
	instantlyOpened       = "email_opened"
	instantlyClicked      = "email_link_clicked"
	instantlyClickedAlt   = "link_clicked"
	instantlyReplied      = "reply_received"
	instantlyAutoReplied  = "auto_reply_received"
	instantlyBounced      = "email_bounced"
	instantlyUnsubscribed = "lead_unsubscribed"
)

// receiptSource names Instantly's receipts.
const receiptSource = "instantly"

// WebhookResult is what a webhook delivery did.
type WebhookResult struct {
	// Ignored is set for an event type we do not act on.
	Ignored bool
	// Duplicate is set for a delivery applied before.
	Duplicate bool
}

// instantlyEvent is the part of a delivery we read. Lead fields arrive as
// extra top-level keys, which are not read; numbers may come as strings.
type instantlyEvent struct {
	Type       string
	Timestamp  time.Time
	CampaignID string
	LeadEmail  string
	EmailID    string
	Step       int
	Snippet    string
	BounceType string
}

// WebhookUser is the user a webhook secret names (its signature checked
// in constant time); 401 unauthorized when it names none, or an account
// that is gone.
func (s *Service) WebhookUser(ctx context.Context, secret string) (string, error) {
	unknown := apperr.New(apperr.CodeUnauthorized, "The X-Prospector-Secret header is missing or unknown.")
	if s.links == nil || secret == "" {
		return "", unknown
	}
	fields, err := s.links.Read(signedlink.InstantlyWebhook, secret, 1)
	if err != nil || !store.ValidID(fields[0]) {
		return "", unknown
	}
	err = records(s.store).Read(ctx, fields[0], func(tx Records) error {
		_, err := tx.Profile(ctx)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return "", unknown
	}
	if err != nil {
		return "", fmt.Errorf("webhook user: %w", err)
	}
	return fields[0], nil
}

// InstantlyWebhook applies one delivery of Instantly's webhook to userID's
// data (WebhookUser found the user). The body is JSON of at most the API's
// bound; unknown event types are ignored; an event naming a campaign or
// lead the user does not have is not found.
func (s *Service) InstantlyWebhook(ctx context.Context, userID string, body []byte) (WebhookResult, error) {
	ev, err := decodeInstantly(body)
	if err != nil {
		return WebhookResult{}, err
	}
	switch ev.Type {
	case instantlySent, instantlyOpened, instantlyClicked, instantlyClickedAlt, instantlyReplied, instantlyAutoReplied,
		instantlyBounced, instantlyUnsubscribed:
	default:
		return WebhookResult{Ignored: true}, nil
	}
	if ev.CampaignID == "" || ev.LeadEmail == "" {
		fields := apperr.Fields{}
		if ev.CampaignID == "" {
			fields.Add("campaign_id", "is required")
		}
		if ev.LeadEmail == "" {
			fields.Add("lead_email", "is required")
		}
		return WebhookResult{}, fields.Err()
	}
	sum := sha256.Sum256(body)
	keys := []string{"body:" + hex.EncodeToString(sum[:])}
	if ev.EmailID != "" {
		keys = append(keys, "email:"+ev.EmailID+"|"+normalType(ev.Type))
	}
	var res WebhookResult
	err = records(s.store).Write(ctx, userID, func(tx Records) error {
		res = WebhookResult{}
		for _, k := range keys {
			created, err := tx.AddReceipt(ctx, receiptSource, k, ev.Type)
			if err != nil {
				return err
			}
			if !created {
				res.Duplicate = true
			}
		}
		if res.Duplicate {
			return errDuplicate // roll the receipts back: nothing changes
		}
		return s.applyInstantly(ctx, tx, userID, ev, keys[len(keys)-1])
	})
	if errors.Is(err, errDuplicate) {
		return WebhookResult{Duplicate: true}, nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return WebhookResult{}, apperr.NotFound("campaign or lead")
	}
	if err != nil && apperr.CodeOf(err) == "" {
		return WebhookResult{}, fmt.Errorf("instantly webhook %s: %w", ev.Type, err)
	}
	if err == nil {
		s.log.InfoContext(ctx, "instantly webhook", slog.String("event_type", ev.Type))
	}
	return res, err
}

var errDuplicate = errors.New("duplicate delivery")

func normalType(t string) string {
	if t == instantlyClickedAlt {
		return instantlyClicked
	}
	return t
}

// applyInstantly applies ev in tx; key identifies the delivery.
func (s *Service) applyInstantly(ctx context.Context, tx Records, userID string, ev instantlyEvent, key string) error {
	campaignID, err := tx.CampaignOfInstantly(ctx, ev.CampaignID)
	if err != nil {
		return err
	}
	seq, err := tx.SequenceToLead(ctx, campaignID, ev.LeadEmail)
	if err != nil {
		return err
	}
	m, err := s.instantlyMessage(ctx, tx, seq, ev)
	if err != nil {
		return err
	}
	a := Answer{MessageID: m.ID, Key: "instantly:" + key, At: ev.Timestamp, Snippet: ev.Snippet}
	switch ev.Type {
	case instantlySent:
		return nil // instantlyMessage recorded it
	case instantlyOpened, instantlyClicked, instantlyClickedAlt:
		typ := mailstore.EventOpened
		if ev.Type != instantlyOpened {
			typ = mailstore.EventClicked
		}
		_, err := tx.AddEngagement(ctx, m, typ, false, nil)
		return err
	case instantlyReplied:
		a.Kind = mailstore.AnswerReply
	case instantlyAutoReplied:
		a.Kind = mailstore.AnswerAutoReply
	case instantlyBounced:
		a.Kind = mailstore.AnswerHardBounce
		if strings.EqualFold(ev.BounceType, "soft") {
			a.Kind = mailstore.AnswerSoftBounce
		}
		a.Diagnostic = "Instantly reported a bounce"
	case instantlyUnsubscribed:
		a.Kind = mailstore.AnswerUnsubscribe
	}
	_, err = s.answered(ctx, tx, m, a)
	return err
}

// instantlyMessage is the message of the event's step (the sequence's
// latest sent one when the event names no step), recorded as sent by
// Instantly when no earlier email_sent did: an event about a message
// means Instantly sent it.
func (s *Service) instantlyMessage(ctx context.Context, tx Records, seq mailstore.OutreachSequence, ev instantlyEvent) (mailstore.Message, error) {
	step := ev.Step
	if step < 1 {
		msgs, err := tx.MessagesOfSequence(ctx, seq.ID)
		if err != nil {
			return mailstore.Message{}, err
		}
		for _, m := range msgs {
			if m.SentAt != nil {
				step = m.Step
			}
		}
		if step < 1 {
			step = 1
		}
	}
	m, err := tx.MessageOfStep(ctx, seq.ID, step)
	if err == nil && m.Status != mailstore.MessageScheduled {
		return m, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return mailstore.Message{}, err
	}
	if err != nil {
		var steps []outreach.Step
		if err := json.Unmarshal(seq.Emails, &steps); err != nil {
			return mailstore.Message{}, fmt.Errorf("read sequence %s: %w", seq.ID, err)
		}
		if step > len(steps) {
			return mailstore.Message{}, apperr.Invalid("step", fmt.Sprintf("the sequence has %d steps", len(steps)))
		}
		email := ev.LeadEmail
		if m, _, err = tx.ScheduleMessage(ctx, mailstore.NewMessage{CampaignID: seq.CampaignID, SequenceID: seq.ID,
			ProspectID: seq.ProspectID, ContactID: seq.ContactID, Step: step, ToEmail: strings.ToLower(email),
			Subject: steps[step-1].Subject, Body: steps[step-1].Body, Provider: "instantly", ScheduledAt: tx.Now()}); err != nil {
			return mailstore.Message{}, err
		}
	}
	at := ev.Timestamp
	if at.IsZero() {
		at = tx.Now()
	}
	sent, ok, err := tx.MarkProviderSent(ctx, m.ID, ev.EmailID, at)
	if err != nil || !ok {
		return sent, err
	}
	if err := tx.AddEvent(ctx, sent, mailstore.EventSent, nil); err != nil {
		return sent, err
	}
	if err := tx.AddCampaignCounters(ctx, sent.CampaignID, store.CampaignCounters{Sent: 1}); err != nil {
		return sent, err
	}
	if _, err := tx.SetOutreachStatus(ctx, seq.ID, []string{mailstore.OutreachApproved, mailstore.OutreachScheduled}, mailstore.OutreachSent, nil); err != nil {
		return sent, err
	}
	_, err = tx.AdvanceProspect(ctx, seq.ProspectID, []string{store.ProspectQualified, store.ProspectOutreachPending}, store.ProspectContacted)
	return sent, err
}

// decodeInstantly reads a delivery tolerantly: any extra keys, numbers as
// numbers or strings, absent optional fields. Only malformed JSON, a body
// that is not an object, and a field of a type that cannot be read are
// refused.
func decodeInstantly(body []byte) (instantlyEvent, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return instantlyEvent{}, apperr.New(apperr.CodeInvalidJSON, "The request body must be a JSON object.")
	}
	if _, err := dec.Token(); err == nil {
		return instantlyEvent{}, apperr.New(apperr.CodeInvalidJSON, "The request body must hold a single JSON object.")
	}
	fields := apperr.Fields{}
	str := func(key string) string {
		v, ok := raw[key]
		if !ok || string(v) == "null" {
			return ""
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			fields.Add(key, "must be a string")
		}
		return strings.TrimSpace(s)
	}
	var ev instantlyEvent
	ev.Type = str("event_type")
	if ev.Type == "" {
		fields.Add("event_type", "is required")
	}
	ev.CampaignID, ev.LeadEmail, ev.EmailID = str("campaign_id"), str("lead_email"), str("email_id")
	ev.Snippet = str("reply_text_snippet")
	if ev.Snippet == "" {
		ev.Snippet = truncateRunes(str("reply_text"), maxSnippet)
	}
	if v, ok := raw["bounce_type"]; ok {
		var s string
		if json.Unmarshal(v, &s) == nil {
			ev.BounceType = s
		}
	}
	if ts := str("timestamp"); ts != "" {
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			fields.Add("timestamp", "must be an RFC 3339 time")
		}
		ev.Timestamp = t.UTC()
	}
	if v, ok := raw["step"]; ok && string(v) != "null" {
		var n json.Number
		var s string
		switch {
		case json.Unmarshal(v, &n) == nil:
		case json.Unmarshal(v, &s) == nil:
			n = json.Number(strings.TrimSpace(s))
		}
		step, err := strconv.Atoi(n.String())
		if err != nil || step < 0 || step > 100 {
			fields.Add("step", "must be a step number")
		}
		ev.Step = step
	}
	if err := fields.Err(); err != nil {
		return instantlyEvent{}, err
	}
	return ev, nil
}
