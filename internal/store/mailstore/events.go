package mailstore

import (
	"context"
	"fmt"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Event types: what happened to a message.
const (
	EventSent         = "sent"
	EventOpened       = "opened"
	EventClicked      = "clicked"
	EventReplied      = "replied"
	EventAutoReplied  = "auto_replied"
	EventBounced      = "bounced"
	EventUnsubscribed = "unsubscribed"
)

// EventTypes are every event type (the contract's list).
var EventTypes = []string{EventSent, EventOpened, EventClicked, EventReplied, EventAutoReplied, EventBounced, EventUnsubscribed}

// Event is one thing that happened to one of the tenant's messages.
// MessageID is our message's id (its RFC 5322 Message-ID is on the
// message).
type Event struct {
	ID         string    `json:"id"`
	CampaignID string    `json:"campaign_id"`
	MessageID  string    `json:"message_id"`
	Type       string    `json:"type"`
	OccurredAt time.Time `json:"occurred_at"`
	Machine    bool      `json:"machine"`
	Detail     *string   `json:"detail"`
	// Snippet is a reply's opening words (the detail of a replied or
	// auto_replied event); null for other events.
	Snippet   *string   `json:"snippet"`
	CreatedAt time.Time `json:"created_at"`
}

const eventColumns = `id, campaign_id, message_id, type, occurred_at, machine, detail, created_at`

func scanEvent(r txn.Row) (Event, error) {
	var e Event
	err := r.Scan(&e.ID, &e.CampaignID, &e.MessageID, &e.Type, &e.OccurredAt, &e.Machine, &e.Detail, &e.CreatedAt)
	e.OccurredAt, e.CreatedAt = e.OccurredAt.UTC(), e.CreatedAt.UTC()
	if e.Type == EventReplied || e.Type == EventAutoReplied {
		e.Snippet = e.Detail
	}
	return e, err
}

// AddEvent records an event of message m at the transaction's time.
func (tx *Mail) AddEvent(ctx context.Context, m Message, typ string, detail *string) error {
	return tx.addEvent(ctx, m, typ, false, detail)
}

func (tx *Mail) addEvent(ctx context.Context, m Message, typ string, machine bool, detail *string) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx,
		`INSERT INTO events (id, user_id, campaign_id, message_id, type, occurred_at, machine, detail, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $6)`,
		txn.NewID(), tx.UserID(), m.CampaignID, m.ID, typ, tx.Now(), machine, detail)
	if err != nil {
		return txn.Wrap(err, "add %s event", typ)
	}
	tx.Observe(func(o txn.Observer) { o.EventRecorded(typ, machine) })
	return nil
}

// AddEngagement records an open or a click (typ EventOpened or
// EventClicked) of message m and, unless a machine made it (an image
// proxy, a scanner), counts it: the message's and its sequence's opens or
// clicks go up by one, and a first open stamps first_opened_at. A machine's
// is recorded with machine true and counted nowhere. It answers the
// message as it is after. Opens and clicks that Instantly reports go
// through here too.
func (tx *Mail) AddEngagement(ctx context.Context, m Message, typ string, machine bool, detail *string) (Message, error) {
	var col string
	switch typ {
	case EventOpened:
		col = "opens"
	case EventClicked:
		col = "clicks"
	default:
		return m, fmt.Errorf("add engagement: %q is neither an open nor a click", typ)
	}
	if err := tx.addEvent(ctx, m, typ, machine, detail); err != nil {
		return m, err
	}
	if machine {
		return m, nil
	}
	set := col + ` = ` + col + ` + 1, updated_at = $3`
	if typ == EventOpened {
		set += `, first_opened_at = COALESCE(first_opened_at, $3)`
	}
	m, err := scanMessage(tx.QueryRow(ctx, `UPDATE messages SET `+set+` WHERE id = $1 AND user_id = $2 RETURNING `+messageColumns,
		m.ID, tx.UserID(), tx.Now()))
	if err != nil {
		return m, txn.Wrap(err, "count %s of message %s", col, m.ID)
	}
	_, err = tx.Exec(ctx, `UPDATE outreach_sequences SET `+col+` = `+col+` + 1, updated_at = $3 WHERE id = $1 AND user_id = $2`,
		m.SequenceID, tx.UserID(), tx.Now())
	return m, txn.Wrap(err, "count %s of sequence %s", col, m.SequenceID)
}

// EventFilter narrows an event list; empty fields do not filter.
type EventFilter struct {
	CampaignID, Type string
	// Since keeps events that occurred at or after it; zero: all.
	Since time.Time
}

// ListEvents lists the tenant's events, newest first.
func (tx *Mail) ListEvents(ctx context.Context, f EventFilter, page txn.Page) ([]Event, string, error) {
	var conds []func(*txn.Where)
	if f.CampaignID != "" {
		conds = append(conds, func(w *txn.Where) { w.Add("campaign_id = ?", f.CampaignID) })
	}
	if f.Type != "" {
		conds = append(conds, func(w *txn.Where) { w.Add("type = ?", f.Type) })
	}
	if !f.Since.IsZero() {
		conds = append(conds, func(w *txn.Where) { w.Add("occurred_at >= ?", f.Since.UTC()) })
	}
	return txn.ListTenant(ctx, tx.Tx, "events", eventColumns, page, func(e Event) string { return e.ID }, scanEvent, conds...)
}

// EventsOf lists a message's events, oldest first.
func (tx *Mail) EventsOf(ctx context.Context, messageID string) ([]Event, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	return txn.QueryAll(ctx, tx, "events", scanEvent,
		`SELECT `+eventColumns+` FROM events WHERE message_id = $1 AND user_id = $2 ORDER BY id`, messageID, tx.UserID())
}
