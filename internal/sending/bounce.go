package sending

import (
	"context"
	"errors"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// EndBouncedAddress is what a bounce does beyond its message, whether the
// server refused the message as it was sent (deliver.go) or a delivery
// report or Instantly said so later (package tracking): the contact's
// address is invalid and suppressed, every message still scheduled to it
// is cancelled, the sequence ends bounced, and m's mailbox is paused if its
// bounce rate has become too high.
func EndBouncedAddress(ctx context.Context, tx Records, m mailstore.Message, reason string) error {
	if err := tx.SetContactEmailStatus(ctx, m.ContactID, "invalid"); err != nil {
		return err
	}
	if _, _, err := tx.AddSuppression(ctx, m.ToEmail, "", mailstore.SuppressBounced); err != nil {
		return err
	}
	if _, err := tx.CancelScheduledTo(ctx, m.ToEmail, "The address bounced: "+reason); err != nil {
		return err
	}
	if _, err := tx.SetOutreachStatus(ctx, m.SequenceID, mailstore.OutreachSending, mailstore.OutreachBounced, &reason); err != nil {
		return err
	}
	if m.MailboxID == nil {
		return nil // sent by Instantly, whose own bounce protection applies
	}
	mb, err := tx.Mailbox(ctx, *m.MailboxID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return checkBounceRate(ctx, tx, mb)
}
