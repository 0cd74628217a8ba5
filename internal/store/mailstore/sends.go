package mailstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// The queries of the send stage that span tables: the locks and counters
// behind a mailbox's caps and gaps, a campaign's daily limit, and the
// sequence and contact changes a send or a bounce makes.

// MailboxForUpdate is Mailbox, locking the row (see forUpdate) so that two
// workers counting its sends against its cap cannot both take the last
// slot.
func (tx *Mail) MailboxForUpdate(ctx context.Context, id string) (Mailbox, error) {
	if err := tx.RequireTenant(); err != nil {
		return Mailbox{}, err
	}
	m, err := scanMailbox(tx.QueryRow(ctx,
		`SELECT `+mailboxColumns+` FROM mailboxes WHERE id = $1 AND user_id = $2`+tx.ForUpdate(), id, tx.UserID()))
	return m, txn.Wrap(err, "lock mailbox %s", id)
}

// TryMailboxForUpdate is MailboxForUpdate that does not wait: ok is false
// when another transaction holds the mailbox (or it is gone), so that a
// claim can take another mailbox instead of queueing behind this one.
func (tx *Mail) TryMailboxForUpdate(ctx context.Context, id string) (Mailbox, bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return Mailbox{}, false, err
	}
	m, err := scanMailbox(tx.QueryRow(ctx,
		`SELECT `+mailboxColumns+` FROM mailboxes WHERE id = $1 AND user_id = $2`+tx.ForUpdateSkipLocked(), id, tx.UserID()))
	if errors.Is(err, txn.ErrNotFound) {
		return Mailbox{}, false, nil
	}
	return m, err == nil, txn.Wrap(err, "lock mailbox %s", id)
}

// ReserveSend sets the earliest time of a mailbox's next send, in the
// transaction that claims a message through it.
func (tx *Mail) ReserveSend(ctx context.Context, mailboxID string, next time.Time) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE mailboxes SET next_send_at = $3 WHERE id = $1 AND user_id = $2`, mailboxID, tx.UserID(), next.UTC())
	return txn.Wrap(err, "reserve send %s", mailboxID)
}

// SentFromMailbox counts a mailbox's sends since a time (sending and
// uncertain messages count: when in doubt, they went): what its rolling
// 24-hour cap is measured against.
func (tx *Mail) SentFromMailbox(ctx context.Context, mailboxID string, since time.Time) (int, error) {
	return tx.countSends(ctx, "mailbox_id", mailboxID, since)
}

// SentFromCampaign counts a campaign's sends since a time: what its
// campaign-wide daily limit is measured against.
func (tx *Mail) SentFromCampaign(ctx context.Context, campaignID string, since time.Time) (int, error) {
	return tx.countSends(ctx, "campaign_id", campaignID, since)
}

// sendsSince is the condition of a send counted against a cap since $3.
const sendsSince = `(sent_at >= $3 OR status IN ('sending', 'uncertain') AND updated_at >= $3)`

func (tx *Mail) countSends(ctx context.Context, column, id string, since time.Time) (int, error) {
	if err := tx.RequireTenant(); err != nil {
		return 0, err
	}
	// sendsSince in two halves, summed: sends since the time along the
	// (mailbox or campaign, sent_at) index, plus the few sending or
	// uncertain ones not among them. As one OR, no index answered it, and
	// each claim read every message the user ever sent.
	var n int
	err := tx.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM messages WHERE user_id = $1 AND `+column+` = $2 AND sent_at >= $3) +
		(SELECT count(*) FROM messages WHERE user_id = $1 AND `+column+` = $2 AND status IN ('sending', 'uncertain')
		   AND updated_at >= $3 AND (sent_at IS NULL OR sent_at < $3))`,
		tx.UserID(), id, since.UTC()).Scan(&n)
	return n, txn.Wrap(err, "count sends")
}

// OldestSendFromMailbox is when the oldest of a mailbox's sends counted
// since a time went (zero when none): a capped mailbox has room again 24
// hours after it. Only a capped send asks, so the counting stays one query.
func (tx *Mail) OldestSendFromMailbox(ctx context.Context, mailboxID string, since time.Time) (time.Time, error) {
	return tx.oldestSend(ctx, "mailbox_id", mailboxID, since)
}

// OldestSendFromCampaign is OldestSendFromMailbox for a campaign.
func (tx *Mail) OldestSendFromCampaign(ctx context.Context, campaignID string, since time.Time) (time.Time, error) {
	return tx.oldestSend(ctx, "campaign_id", campaignID, since)
}

func (tx *Mail) oldestSend(ctx context.Context, column, id string, since time.Time) (time.Time, error) {
	if err := tx.RequireTenant(); err != nil {
		return time.Time{}, err
	}
	// Two plain column reads: SQLite gives an aggregate or an expression
	// over timestamps back as text.
	var oldest time.Time
	for _, q := range []string{
		`SELECT sent_at FROM messages WHERE user_id = $1 AND ` + column + ` = $2 AND sent_at >= $3 ORDER BY sent_at LIMIT 1`,
		`SELECT updated_at FROM messages WHERE user_id = $1 AND ` + column + ` = $2 AND status IN ('sending', 'uncertain')
		   AND updated_at >= $3 ORDER BY updated_at LIMIT 1`,
	} {
		var t time.Time
		err := tx.QueryRow(ctx, q, tx.UserID(), id, since.UTC()).Scan(&t)
		if errors.Is(err, txn.ErrNotFound) {
			continue
		}
		if err != nil {
			return time.Time{}, txn.Wrap(err, "oldest send")
		}
		if oldest.IsZero() || t.Before(oldest) {
			oldest = t.UTC()
		}
	}
	return oldest, nil
}

// MailboxTally is what a mailbox's answer counts: its sends today (the
// last 24 hours) and, over the last 7 days, its sends, its hard bounces and
// the messages it tried (each once: a message sent and later bounced by a
// delivery report counts one try, not two).
type MailboxTally struct {
	SentToday, Sent7d, Bounced7d, Tried7d int
}

// MailboxTallies counts the tenant's mailboxes' sends and bounces as of now.
func (tx *Mail) MailboxTallies(ctx context.Context, now time.Time) (map[string]MailboxTally, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	day, week := now.Add(-24*time.Hour).UTC(), now.Add(-7*24*time.Hour).UTC()
	rows, err := tx.Query(ctx,
		`SELECT mailbox_id,
		   count(CASE WHEN sent_at >= $2 THEN 1 END),
		   count(CASE WHEN sent_at >= $3 THEN 1 END),
		   count(CASE WHEN status = 'bounced' AND updated_at >= $3 THEN 1 END),
		   count(*)
		 FROM messages WHERE user_id = $1 AND mailbox_id IS NOT NULL AND (sent_at >= $3 OR status = 'bounced' AND updated_at >= $3)
		 GROUP BY mailbox_id`, tx.UserID(), day, week)
	if err != nil {
		return nil, txn.Wrap(err, "count mailbox sends")
	}
	defer rows.Close()
	out := map[string]MailboxTally{}
	for rows.Next() {
		var id string
		var t MailboxTally
		if err := rows.Scan(&id, &t.SentToday, &t.Sent7d, &t.Bounced7d, &t.Tried7d); err != nil {
			return nil, txn.Wrap(err, "count mailbox sends")
		}
		out[id] = t
	}
	return out, txn.Wrap(rows.Err(), "count mailbox sends")
}

// SetOutreachStatus moves a sequence from one of the statuses from to to,
// with the reason shown to the user; sent also stamps its first send. ok
// is false when the sequence was in none of them.
func (tx *Mail) SetOutreachStatus(ctx context.Context, id string, from []string, to string, reason *string) (bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return false, err
	}
	set := `status = $3, status_reason = $4, updated_at = $5`
	if to == OutreachSent {
		set += `, sent_at = COALESCE(sent_at, $5)`
	}
	n, err := tx.Exec(ctx, `UPDATE outreach_sequences SET `+set+` WHERE id = $1 AND user_id = $2
		AND status IN ('`+strings.Join(from, `', '`)+`')`, id, tx.UserID(), to, reason, tx.Now())
	return n == 1, txn.Wrap(err, "set sequence status %s", id)
}

// ApprovedUnscheduled lists a campaign's approved sequences that have no
// message yet: what starting the campaign schedules.
func (tx *Mail) ApprovedUnscheduled(ctx context.Context, campaignID string) ([]OutreachSequence, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	return txn.QueryAll(ctx, tx, "sequences", scanOutreach,
		`SELECT `+outreachColumns+` FROM outreach_sequences o WHERE o.campaign_id = $1 AND o.user_id = $2 AND o.status = 'approved'
		   AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.sequence_id = o.id)
		 ORDER BY o.approved_at, o.id`, campaignID, tx.UserID())
}

// SetContactEmailStatus records what sending learnt of a contact's address
// (invalid after a hard bounce).
func (tx *Mail) SetContactEmailStatus(ctx context.Context, contactID, status string) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE contacts SET email_verification_status = $3, email_verified = $4
		WHERE id = $1 AND user_id = $2`, contactID, tx.UserID(), status, status == "valid")
	return txn.Wrap(err, "set contact email status %s", contactID)
}
