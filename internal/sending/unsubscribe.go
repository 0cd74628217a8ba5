package sending

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// reasonUnsubscribed is the cancelled messages' status reason.
const reasonUnsubscribed = "The recipient unsubscribed."

// UnsubscribeURL is the one-click unsubscribe link of one message: the
// List-Unsubscribe header's and the footer's. The token names the user and
// the message, signed, so no login is needed and none can be forged.
func (s *Service) UnsubscribeURL(userID, messageID string) (string, error) {
	return s.unsubscribeURL(signedlink.Unsubscribe, userID, messageID)
}

// SequenceUnsubscribeURL is the unsubscribe link of a sequence whose
// mail another service sends (Instantly): the token names the user and
// the sequence, and the link stops mail to the sequence's contact.
func (s *Service) SequenceUnsubscribeURL(userID, sequenceID string) (string, error) {
	return s.unsubscribeURL(signedlink.UnsubscribeSequence, userID, sequenceID)
}

func (s *Service) unsubscribeURL(purpose, userID, id string) (string, error) {
	if s.mail.Links == nil {
		return "", errors.New("unsubscribe link: no link signer configured")
	}
	token, err := s.mail.Links.Make(purpose, userID, id)
	if err != nil {
		return "", fmt.Errorf("unsubscribe link: %w", err)
	}
	return strings.TrimRight(s.mail.PublicURL, "/") + "/u/" + url.PathEscape(token), nil
}

// Unsubscribed is what an unsubscribe does, whether it came from the link
// or as a request by mail (package tracking reads both): email joins the
// suppression list, every message still scheduled to it is cancelled and
// the sequence ends unsubscribed. created is false when the address was
// suppressed already: then nothing changes.
func Unsubscribed(ctx context.Context, tx Records, email, sequenceID string) (created bool, err error) {
	_, created, err = tx.AddSuppression(ctx, email, "", mailstore.SuppressUnsubscribed)
	if err != nil || !created {
		return false, err
	}
	if _, err := tx.CancelScheduledTo(ctx, email, reasonUnsubscribed); err != nil {
		return false, err
	}
	reason := reasonUnsubscribed
	_, err = tx.SetOutreachStatus(ctx, sequenceID, mailstore.OutreachSending, mailstore.OutreachUnsubscribed, &reason)
	return err == nil, err
}
