package tracking

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// ParseEventFilter validates an event list's filters as the user sent
// them (campaign_id an id, type one of the event types, since an RFC 3339
// time); empty means unfiltered.
func ParseEventFilter(campaignID, typ, since string) (mailstore.EventFilter, error) {
	fields := apperr.Fields{}
	f := mailstore.EventFilter{Type: typ}
	if campaignID != "" {
		if !store.ValidID(campaignID) {
			fields.Add("campaign_id", "must be an id")
		}
		f.CampaignID = strings.ToLower(campaignID)
	}
	if typ != "" && !slices.Contains(mailstore.EventTypes, typ) {
		fields.Add("type", "must be one of %s", strings.Join(mailstore.EventTypes, ", "))
	}
	if since != "" {
		t, err := time.Parse(time.RFC3339, since)
		if err != nil {
			fields.Add("since", "must be an RFC 3339 time such as 2026-12-01T00:00:00Z")
		}
		f.Since = t
	}
	return f, fields.Err()
}

// Events lists one page of userID's events matching f, newest first.
func (s *Service) Events(ctx context.Context, userID string, f mailstore.EventFilter, page store.Page) ([]mailstore.Event, string, error) {
	var out []mailstore.Event
	var next string
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		out, next, err = tx.ListEvents(ctx, f, page)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("list events: %w", err)
	}
	return out, next, nil
}
