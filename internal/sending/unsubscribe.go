package sending

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store"
)

// reasonUnsubscribed is the cancelled messages' status reason.
const reasonUnsubscribed = "The recipient unsubscribed."

// UnsubscribeURL is the one-click unsubscribe link of one message: the
// List-Unsubscribe header's and the footer's. The token names the user and
// the message, signed, so no login is needed and none can be forged.
func (s *Service) UnsubscribeURL(userID, messageID string) (string, error) {
	if s.mail.Links == nil {
		return "", errors.New("unsubscribe link: no link signer configured")
	}
	token, err := s.mail.Links.Make(signedlink.Unsubscribe, userID, messageID)
	if err != nil {
		return "", fmt.Errorf("unsubscribe link: %w", err)
	}
	return strings.TrimRight(s.mail.PublicURL, "/") + "/u/" + url.PathEscape(token), nil
}

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
	err := s.onUnsubscribe(ctx, token, false, func(tx Records, m store.Message) error {
		p, err := tx.SenderProfile(ctx)
		page.From = cmp.Or(p.CompanyName, p.SenderName, "this sender")
		return err
	})
	return page, err
}

// Unsubscribe carries out an unsubscribe link, in one transaction: the
// message's address joins the user's suppression list and every message
// still scheduled to it, in any campaign, is cancelled. Doing it twice
// changes nothing more.
func (s *Service) Unsubscribe(ctx context.Context, token string) error {
	return s.onUnsubscribe(ctx, token, true, func(tx Records, m store.Message) error {
		_, created, err := tx.AddSuppression(ctx, m.ToEmail, "", store.SuppressUnsubscribed)
		if err != nil || !created {
			return err // a second click changes nothing more
		}
		if _, err := tx.CancelScheduledTo(ctx, m.ToEmail, reasonUnsubscribed); err != nil {
			return err
		}
		reason := reasonUnsubscribed
		if _, err := tx.SetOutreachStatus(ctx, m.SequenceID, store.OutreachSending, store.OutreachUnsubscribed, &reason); err != nil {
			return err
		}
		return tx.AddEvent(ctx, m, store.EventUnsubscribed, nil)
	})
}

// onUnsubscribe runs fn on the message a link names, as its user.
func (s *Service) onUnsubscribe(ctx context.Context, token string, write bool, fn func(tx Records, m store.Message) error) error {
	if s.mail.Links == nil {
		return apperr.NotFound("link")
	}
	fields, err := s.mail.Links.Read(signedlink.Unsubscribe, token, 2)
	if err != nil || !store.ValidID(fields[0]) || !store.ValidID(fields[1]) {
		return apperr.NotFound("link")
	}
	userID, messageID := fields[0], fields[1]
	run := records(s.store).Read
	if write {
		run = records(s.store).Write
	}
	err = run(ctx, userID, func(tx Records) error {
		m, err := tx.Message(ctx, messageID)
		if err != nil {
			return err
		}
		return fn(tx, m)
	})
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("link") // the account or the message is gone
	}
	if err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	return nil
}
