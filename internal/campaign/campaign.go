// Package campaign holds the rules of campaigns: what a valid campaign looks
// like (its targeting is read and validated by the settings sub-package),
// when it may change, and importing prospects.
package campaign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/textfield"
)

// Service applies the campaign rules on top of the store.
type Service struct {
	Store *store.Store
	Jobs  Enqueuer
	// Sending carries on a campaign's sending when it starts or its
	// sending settings change.
	Sending SendingNotifier
	// InstantlyKey is true when the server has an Instantly key
	// (INSTANTLY_API_KEY), so no user needs their own.
	InstantlyKey bool
}

// Input is a new campaign as the user describes it.
type Input struct {
	Name           string          `json:"name"`
	BusinessType   string          `json:"business_type"`
	TargetLocation string          `json:"target_location"`
	TargetCriteria json.RawMessage `json:"target_criteria"`
	Sending        json.RawMessage `json:"sending"`
}

// Patch changes some fields; nil means unchanged.
type Patch struct {
	Name           *string         `json:"name"`
	BusinessType   *string         `json:"business_type"`
	TargetLocation *string         `json:"target_location"`
	TargetCriteria json.RawMessage `json:"target_criteria"`
	// Sending may change in any status; the keys it names replace theirs.
	Sending json.RawMessage `json:"sending"`
}

// validate checks a whole campaign; its sending settings apply onto base.
func validate(in Input, base settings.Sending) (store.CampaignParams, error) {
	fields := apperr.Fields{}
	p := store.CampaignParams{
		Name:           text(fields, "name", in.Name, true, 200),
		BusinessType:   text(fields, "business_type", in.BusinessType, true, 100),
		TargetLocation: text(fields, "target_location", in.TargetLocation, true, 200),
	}
	p.TargetCriteria = mustJSON(settings.ParseTargeting(in.TargetCriteria, fields))
	p.Sending = mustJSON(settings.ParseSending(in.Sending, base, fields))
	return p, fields.Err()
}

// Create adds a draft campaign for userID.
func (s *Service) Create(ctx context.Context, userID string, in Input) (store.Campaign, error) {
	p, err := validate(in, settings.DefaultSending())
	if err != nil {
		return store.Campaign{}, err
	}
	var c store.Campaign
	err = records(s.Store).Write(ctx, userID, func(tx Records) error {
		if err := ownMailboxes(ctx, tx, p.Sending); err != nil {
			return err
		}
		c, err = tx.CreateCampaign(ctx, p)
		return err
	})
	if err != nil {
		return store.Campaign{}, fmt.Errorf("create campaign: %w", err)
	}
	return c, nil
}

// Update applies a patch. Targeting (business type, location, criteria) may
// only change while the campaign is not running, since discovery reads it.
func (s *Service) Update(ctx context.Context, userID, id string, patch Patch) (store.Campaign, error) {
	var c store.Campaign
	err := records(s.Store).WriteRetrying(ctx, userID, func(tx Records) error {
		cur, err := lockCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		in := Input{Name: cur.Name, BusinessType: cur.BusinessType, TargetLocation: cur.TargetLocation, TargetCriteria: cur.TargetCriteria}
		targeting := patch.BusinessType != nil || patch.TargetLocation != nil || len(patch.TargetCriteria) > 0
		if targeting && cur.Status != store.CampaignDraft && cur.Status != store.CampaignPaused {
			return apperr.Conflict("Targeting can only change while the campaign is a draft or paused; this one is %s.", cur.Status)
		}
		if patch.Name != nil {
			in.Name = *patch.Name
		}
		if patch.BusinessType != nil {
			in.BusinessType = *patch.BusinessType
		}
		if patch.TargetLocation != nil {
			in.TargetLocation = *patch.TargetLocation
		}
		if len(patch.TargetCriteria) > 0 {
			in.TargetCriteria = patch.TargetCriteria
		}
		in.Sending = patch.Sending
		p, err := validate(in, settings.StoredSending(cur.Sending))
		if err != nil {
			return err
		}
		if err := ownMailboxes(ctx, tx, p.Sending); err != nil {
			return err
		}
		if c, err = tx.UpdateCampaign(ctx, id, p); err != nil || len(patch.Sending) == 0 {
			return err
		}
		// New mailboxes or a wider window may let waiting messages go.
		return s.Sending.SendingChanged(ctx, tx, id)
	})
	return c, err
}

// ownMailboxes refuses sending settings that name a mailbox the user does
// not have (another user's is the same as none).
func ownMailboxes(ctx context.Context, tx Records, raw json.RawMessage) error {
	for _, id := range settings.StoredSending(raw).MailboxIDs {
		_, err := tx.Mailbox(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.Invalid("sending.mailbox_ids", "holds "+id+", which is not one of your mailboxes")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// campaignOf reads one of the user's campaigns; another user's is simply
// not found.
func campaignOf(ctx context.Context, tx Records, id string) (store.Campaign, error) {
	c, err := tx.Campaign(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return c, apperr.NotFound("campaign")
	}
	return c, err
}

// lockCampaign reads a campaign for a status or targeting change; another
// user's campaign is simply not found.
func lockCampaign(ctx context.Context, tx Records, id string) (store.Campaign, error) {
	c, err := tx.CampaignForUpdate(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return c, apperr.NotFound("campaign")
	}
	return c, err
}

// text validates a required or optional one-line text field.
func text(fields apperr.Fields, name, v string, required bool, maxLen int) string {
	v = strings.TrimSpace(v)
	if v == "" && required {
		fields.Add(name, "is required")
		return v
	}
	textfield.Check(fields, name, v, textfield.Line, maxLen)
	return v
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal %T: %v", v, err)) // only our own plain structs get here
	}
	return b
}
