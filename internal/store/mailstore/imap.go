package mailstore

import (
	"context"
	"errors"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// The reading of a mailbox's INBOX (migration 0016): where it has got to,
// a lease so that one poller at a time reads a mailbox, and how the last
// reads went.

// IMAPPoll is a mailbox leased for reading: the mailbox, the cursor of its
// INBOX (UIDVALIDITY and the last UID handed over; zero before the first
// read) and how many reads in a row failed.
type IMAPPoll struct {
	Mailbox     Mailbox
	UIDValidity uint32
	LastUID     uint32
	Failures    int
}

// LeaseIMAP takes the right to read a mailbox's inbox until until, under
// lease (a token of the caller's own). ok is false when there is nothing
// to read now: another poller holds an unexpired lease, the last failure's
// backoff has not passed, the mailbox has no IMAP settings, or it is gone.
// One statement, so two pollers racing for one mailbox cannot both win.
func (tx *Mail) LeaseIMAP(ctx context.Context, mailboxID, lease string, until time.Time) (IMAPPoll, bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return IMAPPoll{}, false, err
	}
	var p IMAPPoll
	var validity, last *int64
	r := tx.QueryRow(ctx, `UPDATE mailboxes SET imap_lease = $3, imap_leased_until = $4
		WHERE id = $1 AND user_id = $2 AND imap_host IS NOT NULL AND imap_password IS NOT NULL
		  AND (imap_leased_until IS NULL OR imap_leased_until <= $5)
		  AND (imap_next_at IS NULL OR imap_next_at <= $5)
		RETURNING imap_uidvalidity, imap_last_uid, imap_failures, `+mailboxColumns, mailboxID, tx.UserID(), lease, until.UTC(), tx.Now())
	err := r.Scan(append([]any{&validity, &last, &p.Failures}, mailboxDest(&p.Mailbox)...)...)
	if errors.Is(err, txn.ErrNotFound) {
		return IMAPPoll{}, false, nil
	}
	if err != nil {
		return IMAPPoll{}, false, txn.Wrap(err, "lease mailbox %s for reading", mailboxID)
	}
	normalizeMailbox(&p.Mailbox)
	if validity != nil {
		p.UIDValidity = uint32(*validity)
	}
	if last != nil {
		p.LastUID = uint32(*last)
	}
	return p, true, nil
}

// SaveIMAPCursor records how far the reading of a mailbox's inbox has got,
// if the caller's lease still holds it; ok is false when it does not (the
// lease ran out and another poller took over: its cursor wins).
func (tx *Mail) SaveIMAPCursor(ctx context.Context, mailboxID, lease string, uidValidity, lastUID uint32) (bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return false, err
	}
	n, err := tx.Exec(ctx, `UPDATE mailboxes SET imap_uidvalidity = $4, imap_last_uid = $5
		WHERE id = $1 AND user_id = $2 AND imap_lease = $3`, mailboxID, tx.UserID(), lease, int64(uidValidity), int64(lastUID))
	return n == 1, txn.Wrap(err, "save mailbox %s cursor", mailboxID)
}

// IMAPOutcome is how one read of an inbox ended: Error (nil when it
// worked) is shown on the mailbox; Failures counts the reads in a row that
// failed; RetryIn, when set, is how long from now the next read must wait
// (backoff).
type IMAPOutcome struct {
	Error    *string
	Failures int
	RetryIn  time.Duration
}

// EndIMAPPoll records how a read ended and gives up the lease, if the
// caller still holds it.
func (tx *Mail) EndIMAPPoll(ctx context.Context, mailboxID, lease string, o IMAPOutcome) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	var next any
	if o.RetryIn > 0 {
		next = tx.Now().Add(o.RetryIn)
	}
	_, err := tx.Exec(ctx, `UPDATE mailboxes SET imap_lease = NULL, imap_leased_until = NULL, imap_checked_at = $4,
		imap_error = $5, imap_failures = $6, imap_next_at = $7
		WHERE id = $1 AND user_id = $2 AND imap_lease = $3`, mailboxID, tx.UserID(), lease, tx.Now(), o.Error, o.Failures, next)
	return txn.Wrap(err, "end reading mailbox %s", mailboxID)
}
