package mailstore

import (
	"context"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// What the answers to our messages change (sending/answers.go decides):
// an event recorded once per answer, a reply stamped on its message and
// counted on its sequence, a bounce after the send, and the sequences a
// reply stops for its company.

// Answer kinds, as events made from answers record them.
const (
	AnswerReply       = "reply"
	AnswerAutoReply   = "auto_reply"
	AnswerHardBounce  = "bounce_hard"
	AnswerSoftBounce  = "bounce_soft"
	AnswerUnsubscribe = "unsubscribe"
)

// AddAnswerEvent records the event an answer makes on message m, of type
// typ, its kind answer, under key, the answer's own identity (its
// Message-ID, a hash of its bytes, a webhook delivery's id). created is
// false when an event with that key was recorded already: the same answer
// read again, which must change nothing more.
func (tx *Mail) AddAnswerEvent(ctx context.Context, m Message, typ, answer, key string, at time.Time, detail *string) (created bool, err error) {
	if err := tx.RequireTenant(); err != nil {
		return false, err
	}
	if at.IsZero() {
		at = tx.Now()
	}
	n, err := tx.Exec(ctx,
		`INSERT INTO events (id, user_id, campaign_id, message_id, type, occurred_at, machine, detail, created_at, answer, answer_key)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		 ON CONFLICT (user_id, answer_key) WHERE answer_key IS NOT NULL DO NOTHING`,
		txn.NewID(), tx.UserID(), m.CampaignID, m.ID, typ, at.UTC(), false, detail, tx.Now(), answer, key)
	return n == 1, txn.Wrap(err, "add %s event", typ)
}

// MessageByMessageID finds the tenant's message whose RFC 5322 Message-ID
// is id (angle brackets included, as sent).
func (tx *Mail) MessageByMessageID(ctx context.Context, id string) (Message, error) {
	if err := tx.RequireTenant(); err != nil {
		return Message{}, err
	}
	m, err := scanMessage(tx.QueryRow(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE user_id = $1 AND message_id = $2 ORDER BY id LIMIT 1`, tx.UserID(), id))
	return m, txn.Wrap(err, "find message by Message-ID")
}

// LastMessageTo is the latest message sent (or bounced after it was) to
// email (lowercased) through mailboxID: whom a request to a mailbox's
// unsubscribe address that threads to nothing is about.
func (tx *Mail) LastMessageTo(ctx context.Context, email, mailboxID string) (Message, error) {
	if err := tx.RequireTenant(); err != nil {
		return Message{}, err
	}
	m, err := scanMessage(tx.QueryRow(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE user_id = $1 AND to_email = $2 AND mailbox_id = $3 AND sent_at IS NOT NULL
		 ORDER BY id DESC LIMIT 1`, tx.UserID(), strings.ToLower(email), mailboxID))
	return m, txn.Wrap(err, "find last message to an address")
}

// MarkReplied stamps a message's first reply and counts the reply on its
// sequence. The caller records each reply once (AddAnswerEvent), so the
// counter stays exact however often the answer is read.
func (tx *Mail) MarkReplied(ctx context.Context, m Message) (Message, error) {
	if err := tx.RequireTenant(); err != nil {
		return m, err
	}
	m, err := scanMessage(tx.QueryRow(ctx, `UPDATE messages SET replied_at = COALESCE(replied_at, $3), updated_at = $3
		WHERE id = $1 AND user_id = $2 RETURNING `+messageColumns, m.ID, tx.UserID(), tx.Now()))
	if err != nil {
		return m, txn.Wrap(err, "mark message %s replied", m.ID)
	}
	_, err = tx.Exec(ctx, `UPDATE outreach_sequences SET replies = replies + 1, updated_at = $3 WHERE id = $1 AND user_id = $2`,
		m.SequenceID, tx.UserID(), tx.Now())
	return m, txn.Wrap(err, "count reply of sequence %s", m.SequenceID)
}

// BounceMessage ends a message bounced with the reason, whether it was
// still being sent or the server had accepted it (a delivery report came
// back later): a sent message keeps its sent_at, so it still counts as
// sent. ok is false when it had ended otherwise (cancelled, failed, or
// bounced already).
func (tx *Mail) BounceMessage(ctx context.Context, id, reason string) (Message, bool, error) {
	return tx.moveMessage(ctx, id, []string{MessageSending, MessageSent, MessageUncertain}, `status = 'bounced', status_reason = $4`, reason)
}

// RecentAnswersTo lists the answer kinds of the latest events about
// messages to email (lowercased), newest first, at most limit: a soft
// bounce looks back for the ones before it. Events that are not answers
// (sends, opens, clicks) are left out, except that a human open or click
// reads as proof of delivery ("delivered").
func (tx *Mail) RecentAnswersTo(ctx context.Context, email string, limit int) ([]string, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	return txn.QueryAll(ctx, tx, "answers", func(r txn.Row) (string, error) {
		var a *string
		var typ string
		err := r.Scan(&typ, &a)
		if a == nil {
			return "delivered", err
		}
		return *a, err
	}, `SELECT e.type, e.answer FROM events e JOIN messages m ON m.id = e.message_id
		WHERE m.user_id = $1 AND m.to_email = $2 AND e.user_id = $1
		  AND (e.answer IS NOT NULL OR e.type IN ('opened', 'clicked') AND NOT e.machine)
		ORDER BY e.id DESC LIMIT $3`, tx.UserID(), strings.ToLower(email), limit)
}

// CompanySequences lists the tenant's sequences that may still send (or
// wait in approval) to the same prospect, or to a contact whose address is
// at domain (lowercased; "" for none), other than exceptID: what a reply
// stops when its campaign stops for the whole company.
func (tx *Mail) CompanySequences(ctx context.Context, prospectID, domain, exceptID string) ([]OutreachSequence, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	cond := `prospect_id = $3`
	args := []any{tx.UserID(), exceptID, prospectID}
	if domain != "" {
		escaped := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(domain))
		cond += ` OR contact_id IN (SELECT id FROM contacts WHERE user_id = $1 AND lower(email) LIKE $4 ESCAPE '\')`
		args = append(args, "%@"+escaped)
	}
	return txn.QueryAll(ctx, tx, "sequences", scanOutreach,
		`SELECT `+outreachColumns+` FROM outreach_sequences WHERE user_id = $1 AND id <> $2
		   AND status IN ('`+strings.Join(OutreachSending, `', '`)+`') AND (`+cond+`) ORDER BY id`, args...)
}
