package mailstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
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
	// Attempts counts the temporary failures (4xx) so far, RetryingSince
	// when the first of them came: retrying ends three days after it.
	Attempts      int        `json:"-"`
	RetryingSince *time.Time `json:"-"`
}

const messageColumns = `id, sequence_id, campaign_id, prospect_id, contact_id, step, mailbox_id, to_email, subject, body,
	status, status_reason, scheduled_at, sent_at, message_id, provider, provider_id, opens, clicks, first_opened_at,
	replied_at, created_at, attempts, retrying_since`

func scanMessage(r txn.Row) (Message, error) {
	var m Message
	err := r.Scan(&m.ID, &m.SequenceID, &m.CampaignID, &m.ProspectID, &m.ContactID, &m.Step, &m.MailboxID, &m.ToEmail,
		&m.Subject, &m.Body, &m.Status, &m.StatusReason, &m.ScheduledAt, &m.SentAt, &m.MessageID, &m.Provider,
		&m.ProviderID, &m.Opens, &m.Clicks, &m.FirstOpenedAt, &m.RepliedAt, &m.CreatedAt, &m.Attempts, &m.RetryingSince)
	m.ScheduledAt, m.CreatedAt = m.ScheduledAt.UTC(), m.CreatedAt.UTC()
	for _, t := range []**time.Time{&m.SentAt, &m.FirstOpenedAt, &m.RepliedAt, &m.RetryingSince} {
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
func (tx *Mail) ScheduleMessage(ctx context.Context, m NewMessage) (msg Message, created bool, err error) {
	if err := tx.RequireTenant(); err != nil {
		return Message{}, false, err
	}
	n, err := tx.Exec(ctx,
		`INSERT INTO messages (id, user_id, campaign_id, sequence_id, prospect_id, contact_id, step, mailbox_id, to_email,
		   subject, body, status, scheduled_at, provider, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
		 ON CONFLICT (sequence_id, step) DO NOTHING`,
		txn.NewID(), tx.UserID(), m.CampaignID, m.SequenceID, m.ProspectID, m.ContactID, m.Step, m.MailboxID, m.ToEmail,
		m.Subject, m.Body, MessageScheduled, m.ScheduledAt.UTC(), m.Provider, tx.Now())
	if err != nil {
		return Message{}, false, txn.Wrap(err, "schedule message")
	}
	msg, err = scanMessage(tx.QueryRow(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE sequence_id = $1 AND step = $2 AND user_id = $3`,
		m.SequenceID, m.Step, tx.UserID()))
	return msg, n == 1, txn.Wrap(err, "schedule message")
}

// Message returns one of the tenant's messages.
func (tx *Mail) Message(ctx context.Context, id string) (Message, error) {
	if err := tx.RequireTenant(); err != nil {
		return Message{}, err
	}
	m, err := scanMessage(tx.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = $1 AND user_id = $2`, id, tx.UserID()))
	return m, txn.Wrap(err, "get message %s", id)
}

// ClaimMessage moves a scheduled message to sending through mailboxID,
// the step that must commit before the SMTP transaction starts. ok is
// false when the message is no longer scheduled (sent, cancelled, or
// claimed by another worker): then nothing may be sent.
func (tx *Mail) ClaimMessage(ctx context.Context, id, mailboxID string) (m Message, ok bool, err error) {
	return tx.moveMessage(ctx, id, []string{MessageScheduled}, `status = 'sending', status_reason = NULL, mailbox_id = $4`, mailboxID)
}

// MarkMessageSent records that the server accepted a message, with its
// Message-ID. It moves a message that is sending, or uncertain (a worker
// thought to be dead marked it so while it was in fact finishing): the
// server's acceptance settles the doubt. ok is false otherwise.
func (tx *Mail) MarkMessageSent(ctx context.Context, id, messageID string) (m Message, ok bool, err error) {
	return tx.moveMessage(ctx, id, []string{MessageSending, MessageUncertain},
		`status = 'sent', status_reason = NULL, sent_at = $3, message_id = $4`, messageID)
}

// EndMessage ends a message that is scheduled or sending in status
// (cancelled, bounced, failed, uncertain) with the reason shown to the
// user; ok is false when it had already ended.
func (tx *Mail) EndMessage(ctx context.Context, id, status, reason string) (m Message, ok bool, err error) {
	return tx.moveMessage(ctx, id, []string{MessageScheduled, MessageSending}, `status = $4, status_reason = $5`, status, reason)
}

// RetryMessage puts a message that is sending back to scheduled at at,
// because the server did not take it (a 4xx answer, a mailbox that could
// not connect): nothing was delivered. temporary counts the attempt towards
// the three days of retries; clearMailbox lets a first step go out through
// another mailbox.
func (tx *Mail) RetryMessage(ctx context.Context, id string, at time.Time, reason string, temporary, clearMailbox bool) (Message, bool, error) {
	set := `status = 'scheduled', scheduled_at = $4, status_reason = $5`
	if temporary {
		set += `, attempts = attempts + 1, retrying_since = COALESCE(retrying_since, $3)`
	}
	if clearMailbox {
		set += `, mailbox_id = NULL`
	}
	return tx.moveMessage(ctx, id, []string{MessageSending}, set, at.UTC(), reason)
}

// DelayMessage moves a scheduled message to at with the reason it waits
// (outside the window, a mailbox at its cap, a paused mailbox), so the
// user sees when it will go and why not sooner.
func (tx *Mail) DelayMessage(ctx context.Context, id string, at time.Time, reason *string) (Message, bool, error) {
	return tx.moveMessage(ctx, id, []string{MessageScheduled}, `scheduled_at = $4, status_reason = $5`, at.UTC(), reason)
}

// ResolveMessage settles an uncertain message as the user decided: sent
// (they know it went: it counts as sent at the time it was tried) or
// scheduled again at at (resend). ok is false unless it was uncertain.
func (tx *Mail) ResolveMessage(ctx context.Context, id string, sent bool, at time.Time) (Message, bool, error) {
	if sent {
		return tx.moveMessage(ctx, id, []string{MessageUncertain}, `status = 'sent', status_reason = NULL, sent_at = updated_at`)
	}
	return tx.moveMessage(ctx, id, []string{MessageUncertain}, `status = 'scheduled', status_reason = NULL, scheduled_at = $4`, at.UTC())
}

// moveMessage applies set to a message in one of the statuses from; $3 is
// the transaction's time, then args.
func (tx *Mail) moveMessage(ctx context.Context, id string, from []string, set string, args ...any) (Message, bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return Message{}, false, err
	}
	cond := `status IN ('` + strings.Join(from, `', '`) + `')`
	m, err := scanMessage(tx.QueryRow(ctx,
		`UPDATE messages SET `+set+`, updated_at = $3 WHERE id = $1 AND user_id = $2 AND `+cond+` RETURNING `+messageColumns,
		append([]any{id, tx.UserID(), tx.Now()}, args...)...))
	if err == nil {
		return m, true, nil
	}
	if !errors.Is(err, txn.ErrNotFound) {
		return Message{}, false, txn.Wrap(err, "move message %s", id)
	}
	// Not in that status (or not the tenant's): answer it as it is.
	m, err = tx.Message(ctx, id)
	return m, false, err
}

// MessageFilter narrows a message list; empty fields do not filter.
type MessageFilter struct {
	CampaignID, SequenceID, Status string
}

// ListMessages lists the tenant's messages, newest first.
func (tx *Mail) ListMessages(ctx context.Context, f MessageFilter, page txn.Page) ([]Message, string, error) {
	var conds []func(*txn.Where)
	for col, v := range map[string]string{"campaign_id": f.CampaignID, "sequence_id": f.SequenceID, "status": f.Status} {
		if v != "" {
			conds = append(conds, func(w *txn.Where) { w.Add(col+" = ?", v) })
		}
	}
	return txn.ListTenant(ctx, tx.Tx, "messages", messageColumns, page, func(m Message) string { return m.ID }, scanMessage, conds...)
}

// MessagesOfSequence lists a sequence's messages by step.
func (tx *Mail) MessagesOfSequence(ctx context.Context, sequenceID string) ([]Message, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	return txn.QueryAll(ctx, tx, "messages", scanMessage,
		`SELECT `+messageColumns+` FROM messages WHERE sequence_id = $1 AND user_id = $2 ORDER BY step`, sequenceID, tx.UserID())
}

// ScheduledMessages lists the ids and times of the tenant's scheduled
// messages of a campaign ("" for every campaign) or through a mailbox (""
// for any): what waking them queues a send for.
func (tx *Mail) ScheduledMessages(ctx context.Context, campaignID, mailboxID string) ([]ScheduledMessage, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	w := txn.Where{}
	w.Add("user_id = ?", tx.UserID())
	w.Add("status = ?", MessageScheduled)
	w.Add("provider = ?", "smtp")
	if campaignID != "" {
		w.Add("campaign_id = ?", campaignID)
	}
	if mailboxID != "" {
		w.Add("mailbox_id = ?", mailboxID)
	}
	return txn.QueryAll(ctx, tx, "scheduled messages", func(r txn.Row) (ScheduledMessage, error) {
		var s ScheduledMessage
		err := r.Scan(&s.ID, &s.At)
		s.At = s.At.UTC()
		return s, err
	}, `SELECT id, scheduled_at FROM messages WHERE `+w.SQL()+` ORDER BY scheduled_at`, w.Args()...)
}

// ScheduledMessage is a message waiting to be sent at At.
type ScheduledMessage struct {
	ID string
	At time.Time
}

// CancelScheduledOf cancels the scheduled messages of a sequence with
// reason: a stopped sequence sends nothing more.
func (tx *Mail) CancelScheduledOf(ctx context.Context, sequenceID, reason string) (int, error) {
	if err := tx.RequireTenant(); err != nil {
		return 0, err
	}
	n, err := tx.Exec(ctx,
		`UPDATE messages SET status = 'cancelled', status_reason = $3, updated_at = $4
		 WHERE user_id = $1 AND sequence_id = $2 AND status = 'scheduled'`, tx.UserID(), sequenceID, reason, tx.Now())
	return int(n), txn.Wrap(err, "cancel messages")
}

// CancelScheduledTo cancels every scheduled message of the tenant to email
// (lowercased), in any campaign, with reason: what an unsubscribe or a
// bounce does in the same transaction as the suppression.
func (tx *Mail) CancelScheduledTo(ctx context.Context, email, reason string) (int, error) {
	if err := tx.RequireTenant(); err != nil {
		return 0, err
	}
	n, err := tx.Exec(ctx,
		`UPDATE messages SET status = 'cancelled', status_reason = $3, updated_at = $4
		 WHERE user_id = $1 AND to_email = $2 AND status = 'scheduled'`, tx.UserID(), email, reason, tx.Now())
	return int(n), txn.Wrap(err, "cancel messages")
}
