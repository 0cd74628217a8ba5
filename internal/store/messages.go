package store

import (
	"context"
	"errors"
	"time"
)

// Message statuses. A message moves only forward: scheduled → sending →
// sent (or bounced, failed), scheduled → cancelled, and sending → uncertain
// when a crash leaves it there.
const (
	MessageScheduled = "scheduled"
	MessageSending   = "sending"
	MessageSent      = "sent"
	MessageUncertain = "uncertain"
	MessageCancelled = "cancelled"
	MessageBounced   = "bounced"
	MessageFailed    = "failed"
)

// Message is one email of an approved sequence.
type Message struct {
	ID            string     `json:"id"`
	SequenceID    string     `json:"sequence_id"`
	CampaignID    string     `json:"campaign_id"`
	ProspectID    string     `json:"prospect_id"`
	ContactID     string     `json:"contact_id"`
	Step          int        `json:"step"`
	MailboxID     *string    `json:"mailbox_id"`
	ToEmail       string     `json:"to_email"`
	Subject       string     `json:"subject"`
	Body          string     `json:"-"`
	Status        string     `json:"status"`
	StatusReason  *string    `json:"status_reason"`
	ScheduledAt   time.Time  `json:"scheduled_at"`
	SentAt        *time.Time `json:"sent_at"`
	MessageID     *string    `json:"message_id"`
	Provider      string     `json:"provider"`
	ProviderID    *string    `json:"provider_id"`
	Opens         int        `json:"opens"`
	Clicks        int        `json:"clicks"`
	FirstOpenedAt *time.Time `json:"first_opened_at"`
	RepliedAt     *time.Time `json:"replied_at"`
	CreatedAt     time.Time  `json:"created_at"`
}

const messageColumns = `id, sequence_id, campaign_id, prospect_id, contact_id, step, mailbox_id, to_email, subject, body,
	status, status_reason, scheduled_at, sent_at, message_id, provider, provider_id, opens, clicks, first_opened_at,
	replied_at, created_at`

func scanMessage(r row) (Message, error) {
	var m Message
	err := r.Scan(&m.ID, &m.SequenceID, &m.CampaignID, &m.ProspectID, &m.ContactID, &m.Step, &m.MailboxID, &m.ToEmail,
		&m.Subject, &m.Body, &m.Status, &m.StatusReason, &m.ScheduledAt, &m.SentAt, &m.MessageID, &m.Provider,
		&m.ProviderID, &m.Opens, &m.Clicks, &m.FirstOpenedAt, &m.RepliedAt, &m.CreatedAt)
	m.ScheduledAt, m.CreatedAt = m.ScheduledAt.UTC(), m.CreatedAt.UTC()
	for _, t := range []**time.Time{&m.SentAt, &m.FirstOpenedAt, &m.RepliedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return m, err
}

// NewMessage is one email to schedule.
type NewMessage struct {
	CampaignID, SequenceID, ProspectID, ContactID string
	Step                                          int
	MailboxID                                     *string
	ToEmail, Subject, Body, Provider              string
	ScheduledAt                                   time.Time
}

// ScheduleMessage stores a message as scheduled and returns it; a message
// already scheduled for its sequence and step is returned as it is
// (created false), so scheduling twice sends nothing twice.
func (tx *Tx) ScheduleMessage(ctx context.Context, m NewMessage) (msg Message, created bool, err error) {
	if err := tx.requireTenant(); err != nil {
		return Message{}, false, err
	}
	n, err := tx.q.exec(ctx,
		`INSERT INTO messages (id, user_id, campaign_id, sequence_id, prospect_id, contact_id, step, mailbox_id, to_email,
		   subject, body, status, scheduled_at, provider, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
		 ON CONFLICT (sequence_id, step) DO NOTHING`,
		NewID(), tx.userID, m.CampaignID, m.SequenceID, m.ProspectID, m.ContactID, m.Step, m.MailboxID, m.ToEmail,
		m.Subject, m.Body, MessageScheduled, m.ScheduledAt.UTC(), m.Provider, tx.now)
	if err != nil {
		return Message{}, false, wrap(err, "schedule message")
	}
	msg, err = scanMessage(tx.q.queryRow(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE sequence_id = $1 AND step = $2 AND user_id = $3`,
		m.SequenceID, m.Step, tx.userID))
	return msg, n == 1, wrap(err, "schedule message")
}

// Message returns one of the tenant's messages.
func (tx *Tx) Message(ctx context.Context, id string) (Message, error) {
	if err := tx.requireTenant(); err != nil {
		return Message{}, err
	}
	m, err := scanMessage(tx.q.queryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = $1 AND user_id = $2`, id, tx.userID))
	return m, wrap(err, "get message %s", id)
}

// ClaimMessage moves a scheduled message to sending through mailboxID,
// the step that must commit before the SMTP transaction starts. ok is
// false when the message is no longer scheduled (sent, cancelled, or
// claimed by another worker): then nothing may be sent.
func (tx *Tx) ClaimMessage(ctx context.Context, id, mailboxID string) (m Message, ok bool, err error) {
	return tx.moveMessage(ctx, id, MessageScheduled, `status = 'sending', mailbox_id = $4`, mailboxID)
}

// MarkMessageSent records that the server accepted a message being sent,
// with its Message-ID; ok is false when it was not sending.
func (tx *Tx) MarkMessageSent(ctx context.Context, id, messageID string) (m Message, ok bool, err error) {
	return tx.moveMessage(ctx, id, MessageSending, `status = 'sent', sent_at = $3, message_id = $4`, messageID)
}

// EndMessage ends a message that is scheduled or sending in status
// (cancelled, bounced, failed, uncertain) with the reason shown to the
// user; ok is false when it had already ended.
func (tx *Tx) EndMessage(ctx context.Context, id, status, reason string) (m Message, ok bool, err error) {
	return tx.moveMessage(ctx, id, "", `status = $4, status_reason = $5`, status, reason)
}

// moveMessage applies set to a message in status from ("" for scheduled or
// sending); $3 is the transaction's time, then args.
func (tx *Tx) moveMessage(ctx context.Context, id, from, set string, args ...any) (Message, bool, error) {
	if err := tx.requireTenant(); err != nil {
		return Message{}, false, err
	}
	cond := `status IN ('scheduled', 'sending')`
	if from != "" {
		cond = `status = '` + from + `'`
	}
	m, err := scanMessage(tx.q.queryRow(ctx,
		`UPDATE messages SET `+set+`, updated_at = $3 WHERE id = $1 AND user_id = $2 AND `+cond+` RETURNING `+messageColumns,
		append([]any{id, tx.userID, tx.now}, args...)...))
	if err == nil {
		return m, true, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Message{}, false, wrap(err, "move message %s", id)
	}
	// Not in that status (or not the tenant's): answer it as it is.
	m, err = tx.Message(ctx, id)
	return m, false, err
}

// CancelScheduledTo cancels every scheduled message of the tenant to email
// (lowercased), in any campaign, with reason: what an unsubscribe or a
// bounce does in the same transaction as the suppression.
func (tx *Tx) CancelScheduledTo(ctx context.Context, email, reason string) (int, error) {
	if err := tx.requireTenant(); err != nil {
		return 0, err
	}
	n, err := tx.q.exec(ctx,
		`UPDATE messages SET status = 'cancelled', status_reason = $3, updated_at = $4
		 WHERE user_id = $1 AND to_email = $2 AND status = 'scheduled'`, tx.userID, email, reason, tx.now)
	return int(n), wrap(err, "cancel messages")
}

// SentFromMailbox counts the messages a mailbox sent since a time, and
// those sending or uncertain that moved since (they may have gone: when in
// doubt, they count): what its rolling 24-hour cap is measured against.
func (tx *Tx) SentFromMailbox(ctx context.Context, mailboxID string, since time.Time) (int, error) {
	if err := tx.requireTenant(); err != nil {
		return 0, err
	}
	var n int
	err := tx.q.queryRow(ctx,
		`SELECT count(*) FROM messages WHERE user_id = $1 AND mailbox_id = $2
		   AND (sent_at >= $3 OR status IN ('sending', 'uncertain') AND updated_at >= $3)`, tx.userID, mailboxID, since.UTC()).Scan(&n)
	return n, wrap(err, "count sent")
}
