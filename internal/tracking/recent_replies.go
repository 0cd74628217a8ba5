package tracking

import (
	"context"
	"fmt"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Reply is a person's answer to one of the user's messages: its event
// (with the reply's opening words) and the message it answered.
type Reply struct {
	Event   mailstore.Event
	Message mailstore.Message
}

// RecentReplies returns userID's latest n human replies, newest first,
// each with the message it answered (the dashboard's recent replies).
func (s *Service) RecentReplies(ctx context.Context, userID string, n int) ([]Reply, error) {
	var out []Reply
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		events, _, err := tx.ListEvents(ctx, mailstore.EventFilter{Type: mailstore.EventReplied}, store.Page{Limit: n})
		if err != nil {
			return err
		}
		for _, e := range events {
			m, err := tx.Message(ctx, e.MessageID)
			if err != nil {
				return fmt.Errorf("message of reply %s: %w", e.ID, err)
			}
			out = append(out, Reply{Event: e, Message: m})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recent replies: %w", err)
	}
	return out, nil
}
