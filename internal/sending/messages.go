package sending

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// MessageStatuses are every status a message can have (the contract's).
var MessageStatuses = []string{mailstore.MessageScheduled, mailstore.MessageSending, mailstore.MessageSent, mailstore.MessageUncertain,
	mailstore.MessageCancelled, mailstore.MessageBounced, mailstore.MessageFailed}

// MessageView is a message with its events, as GET /api/messages/{id}
// answers it.
type MessageView struct {
	mailstore.Message
	Events []mailstore.Event `json:"events"`
}

// ParseMessageFilter validates a message list's filters as the user sent
// them; empty means unfiltered.
func ParseMessageFilter(campaignID, sequenceID, status string) (mailstore.MessageFilter, error) {
	fields := apperr.Fields{}
	f := mailstore.MessageFilter{Status: status}
	for _, id := range []struct {
		name, value string
		filtered    *string
	}{{"campaign_id", campaignID, &f.CampaignID}, {"sequence_id", sequenceID, &f.SequenceID}} {
		if id.value == "" {
			continue
		}
		if !store.ValidID(id.value) {
			fields.Add(id.name, "must be an id")
		}
		*id.filtered = strings.ToLower(id.value)
	}
	if status != "" && !slices.Contains(MessageStatuses, status) {
		fields.Add("status", "must be one of %s", strings.Join(MessageStatuses, ", "))
	}
	return f, fields.Err()
}

// Messages lists one page of userID's messages matching f, newest first.
func (s *Service) Messages(ctx context.Context, userID string, f mailstore.MessageFilter, page store.Page) ([]mailstore.Message, string, error) {
	var out []mailstore.Message
	var next string
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		out, next, err = tx.ListMessages(ctx, f, page)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("list messages: %w", err)
	}
	return out, next, nil
}

// Message returns one of userID's messages with its events.
func (s *Service) Message(ctx context.Context, userID, id string) (MessageView, error) {
	var v MessageView
	err := s.onMessage(ctx, userID, id, false, func(tx Records, m mailstore.Message) (err error) {
		v.Message = m
		v.Events, err = tx.EventsOf(ctx, m.ID)
		return err
	})
	return v, err
}

// SendNow queues a scheduled message to go at once: outside its window and
// its mailbox's gap, but never past a cap, a suppression or a stop (the
// send job checks those as always). Only a scheduled message can.
func (s *Service) SendNow(ctx context.Context, userID, id string) (mailstore.Message, error) {
	var out mailstore.Message
	err := s.onMessage(ctx, userID, id, true, func(tx Records, m mailstore.Message) error {
		if m.Status != mailstore.MessageScheduled || m.Provider != "smtp" {
			return apperr.Conflict("Only a scheduled message can be sent now; this one is %s.", m.Status)
		}
		out = m
		return s.jobs.EnqueueSends(ctx, tx, userID, []QueuedSend{{MessageID: m.ID, At: tx.Now(), Now: true}})
	})
	return out, err
}

// Resolve actions for an uncertain message.
const (
	ResolveMarkSent = "mark_sent"
	ResolveResend   = "resend"
)

// Resolve settles an uncertain message as the user decided: mark_sent
// (they found it in the mailbox's Sent folder: it counts as sent and the
// sequence goes on) or resend (it is scheduled again, now).
func (s *Service) Resolve(ctx context.Context, userID, id, action string) (mailstore.Message, error) {
	if action != ResolveMarkSent && action != ResolveResend {
		return mailstore.Message{}, apperr.Invalid("action", "must be mark_sent or resend")
	}
	var out mailstore.Message
	err := s.onMessage(ctx, userID, id, true, func(tx Records, m mailstore.Message) error {
		if m.Status != mailstore.MessageUncertain {
			return apperr.Conflict("Only an uncertain message can be resolved; this one is %s.", m.Status)
		}
		resolved, ok, err := tx.ResolveMessage(ctx, m.ID, action == ResolveMarkSent, tx.Now())
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Conflict("Only an uncertain message can be resolved; this one is %s.", resolved.Status)
		}
		out = resolved
		if action == ResolveResend {
			return s.jobs.EnqueueSends(ctx, tx, userID, []QueuedSend{{MessageID: m.ID, At: tx.Now()}})
		}
		if err := tx.AddEvent(ctx, resolved, mailstore.EventSent, nil); err != nil {
			return err
		}
		if err := tx.AddCampaignCounters(ctx, resolved.CampaignID, store.CampaignCounters{Sent: 1}); err != nil {
			return err
		}
		return s.followUpResolved(ctx, tx, userID, resolved)
	})
	return out, err
}

// followUpResolved moves the sequence of a message marked sent on, as a
// send the server confirmed would.
func (s *Service) followUpResolved(ctx context.Context, tx Records, userID string, m mailstore.Message) error {
	seq, err := tx.Outreach(ctx, m.SequenceID)
	if err != nil {
		return err
	}
	c, err := tx.Campaign(ctx, m.CampaignID)
	if err != nil {
		return err
	}
	profile, err := tx.SenderProfile(ctx)
	if err != nil {
		return err
	}
	win, err := WindowOf(settings.StoredSending(c.Sending).Schedule, profile.DefaultTimezone)
	if err != nil {
		win = alwaysOpen()
	}
	return s.followUp(ctx, tx, userID, seq, m, win)
}

// StopSequence stops one of userID's sequences: it sends nothing more and
// its scheduled messages are cancelled. A sequence that already ended is
// a conflict.
func (s *Service) StopSequence(ctx context.Context, userID, id string) (mailstore.OutreachSequence, error) {
	if !store.ValidID(id) {
		return mailstore.OutreachSequence{}, apperr.NotFound("sequence")
	}
	id = strings.ToLower(id)
	var seq mailstore.OutreachSequence
	err := records(s.store).Write(ctx, userID, func(tx Records) error {
		cur, err := tx.Outreach(ctx, id)
		if err != nil {
			return err
		}
		reason := "Stopped by you."
		ok, err := tx.SetOutreachStatus(ctx, id, append([]string{mailstore.OutreachDraft}, mailstore.OutreachSending...), mailstore.OutreachStopped, &reason)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Conflict("The sequence is %s; it has already ended.", cur.Status)
		}
		if _, err := tx.CancelScheduledOf(ctx, id, reason); err != nil {
			return err
		}
		seq, err = tx.Outreach(ctx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return mailstore.OutreachSequence{}, apperr.NotFound("sequence")
	}
	return seq, err
}

// onMessage runs fn on one of userID's messages; another user's, or an id
// that is not one, is not found.
func (s *Service) onMessage(ctx context.Context, userID, id string, write bool, fn func(tx Records, m mailstore.Message) error) error {
	if !store.ValidID(id) {
		return apperr.NotFound("message")
	}
	run := records(s.store).Read
	if write {
		run = records(s.store).Write
	}
	err := run(ctx, userID, func(tx Records) error {
		m, err := tx.Message(ctx, strings.ToLower(id))
		if err != nil {
			return err
		}
		return fn(tx, m)
	})
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("message")
	}
	return err
}
