package tracking

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// The unsubscribe links of our messages (sending makes them; what an
// unsubscribe does is sending's rule, sending.Unsubscribed).

// UnsubscribePage is what the confirmation page says: whose mail the
// recipient would stop.
type UnsubscribePage struct {
	From string // the sender's company, or name
}

// Unsubscribing reads an unsubscribe link for its page; it changes
// nothing (link scanners open every link in a message). A forged or
// unknown link is not found.
func (s *Service) Unsubscribing(ctx context.Context, token string) (UnsubscribePage, error) {
	var page UnsubscribePage
	err := s.onUnsubscribe(ctx, token, false, func(tx Records, r recipient) error {
		p, err := tx.SenderProfile(ctx)
		page.From = cmp.Or(p.CompanyName, p.SenderName, "this sender")
		return err
	})
	return page, err
}

// Unsubscribe carries out an unsubscribe link, in one transaction: the
// address joins the user's suppression list and every message still
// scheduled to it, in any campaign, is cancelled. Doing it twice changes
// nothing more.
func (s *Service) Unsubscribe(ctx context.Context, token string) error {
	return s.onUnsubscribe(ctx, token, true, func(tx Records, r recipient) error {
		created, err := sending.Unsubscribed(ctx, tx, r.email, r.sequenceID)
		if err != nil || !created || r.message == nil {
			// A second click changes nothing more; events belong to
			// messages, and Instantly's links name none.
			return err
		}
		return tx.AddEvent(ctx, *r.message, mailstore.EventUnsubscribed, nil)
	})
}

// recipient is whom an unsubscribe link names: the address, its
// sequence, and the message the link was in (nil for a sequence's link).
type recipient struct {
	email      string
	sequenceID string
	message    *mailstore.Message
}

// onUnsubscribe runs fn on the recipient a link names, as its user.
func (s *Service) onUnsubscribe(ctx context.Context, token string, write bool, fn func(tx Records, r recipient) error) error {
	if s.links == nil {
		return apperr.NotFound("link")
	}
	ofSequence := false
	fields, err := s.links.Read(signedlink.Unsubscribe, token, 2)
	if err != nil {
		ofSequence = true
		fields, err = s.links.Read(signedlink.UnsubscribeSequence, token, 2)
	}
	if err != nil || !store.ValidID(fields[0]) || !store.ValidID(fields[1]) {
		return apperr.NotFound("link")
	}
	userID, id := fields[0], fields[1]
	run := records(s.store).Read
	if write {
		run = records(s.store).Write
	}
	err = run(ctx, userID, func(tx Records) error {
		r, err := recipientOf(ctx, tx, id, ofSequence)
		if err != nil {
			return err
		}
		return fn(tx, r)
	})
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("link") // the account, the message or its address is gone
	}
	if err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	return nil
}

// recipientOf reads whom a link names: a message's recipient, or a
// sequence's contact.
func recipientOf(ctx context.Context, tx Records, id string, ofSequence bool) (recipient, error) {
	if !ofSequence {
		m, err := tx.Message(ctx, id)
		return recipient{email: m.ToEmail, sequenceID: m.SequenceID, message: &m}, err
	}
	seq, err := tx.Outreach(ctx, id)
	if err != nil {
		return recipient{}, err
	}
	email, err := sending.ContactEmail(ctx, tx, seq)
	if err != nil {
		return recipient{}, err
	}
	if email == "" {
		return recipient{}, store.ErrNotFound
	}
	return recipient{email: email, sequenceID: seq.ID}, nil
}
