package store

import (
	"context"
	"time"
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
	CreatedAt  time.Time `json:"created_at"`
}

const eventColumns = `id, campaign_id, message_id, type, occurred_at, machine, detail, created_at`

func scanEvent(r row) (Event, error) {
	var e Event
	err := r.Scan(&e.ID, &e.CampaignID, &e.MessageID, &e.Type, &e.OccurredAt, &e.Machine, &e.Detail, &e.CreatedAt)
	e.OccurredAt, e.CreatedAt = e.OccurredAt.UTC(), e.CreatedAt.UTC()
	return e, err
}

// AddEvent records an event of message m at the transaction's time.
func (tx *Tx) AddEvent(ctx context.Context, m Message, typ string, detail *string) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	_, err := tx.q.exec(ctx,
		`INSERT INTO events (id, user_id, campaign_id, message_id, type, occurred_at, machine, detail, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $6)`,
		NewID(), tx.userID, m.CampaignID, m.ID, typ, tx.now, false, detail)
	return wrap(err, "add %s event", typ)
}

// EventsOf lists a message's events, oldest first.
func (tx *Tx) EventsOf(ctx context.Context, messageID string) ([]Event, error) {
	if err := tx.requireTenant(); err != nil {
		return nil, err
	}
	return queryAll(ctx, tx.q, "events", scanEvent,
		`SELECT `+eventColumns+` FROM events WHERE message_id = $1 AND user_id = $2 ORDER BY id`, messageID, tx.userID)
}
