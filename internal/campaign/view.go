package campaign

import (
	"context"
	"errors"
	"fmt"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// View is one campaign as its page shows it: the campaign, and whether it
// can send (and if not, why).
type View struct {
	store.Campaign
	sending.Readiness
}

// List returns one page of userID's campaigns, newest first, and the id to
// continue after ("" on the last page).
func (s *Service) List(ctx context.Context, userID string, page store.Page) ([]store.Campaign, string, error) {
	var items []store.Campaign
	var next string
	err := records(s.Store).Read(ctx, userID, func(tx Records) (err error) {
		items, next, err = tx.ListCampaigns(ctx, page)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("list campaigns: %w", err)
	}
	return items, next, nil
}

// Get returns one of userID's campaigns with its sending readiness.
func (s *Service) Get(ctx context.Context, userID, id string) (View, error) {
	var v View
	err := records(s.Store).Read(ctx, userID, func(tx Records) error {
		c, err := campaignOf(ctx, tx, id)
		if err != nil {
			return err
		}
		profile, err := tx.SenderProfile(ctx)
		if err != nil {
			return err
		}
		v.Campaign = c
		v.Readiness, err = s.readiness(ctx, tx, c, profile)
		return err
	})
	if err != nil {
		return View{}, fmt.Errorf("get campaign %s: %w", id, err)
	}
	return v, nil
}

// readiness says whether c can send with the user's sender profile, its
// mailboxes (those that still exist) and an Instantly key when it uses
// Instantly.
func (s *Service) readiness(ctx context.Context, tx Records, c store.Campaign, profile mailstore.SenderProfile) (sending.Readiness, error) {
	setup := sending.CampaignSetup{Sending: settings.StoredSending(c.Sending), InstantlyKey: s.InstantlyKey, Profile: profile}
	for _, mid := range setup.Sending.MailboxIDs {
		m, err := tx.Mailbox(ctx, mid)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted since: the readiness says so
		}
		if err != nil {
			return sending.Readiness{}, err
		}
		setup.Mailboxes = append(setup.Mailboxes, m)
	}
	if !setup.InstantlyKey && setup.Sending.Provider == settings.ProviderInstantly {
		_, err := tx.APIKey(ctx, keys.Instantly)
		setup.InstantlyKey = err == nil
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return sending.Readiness{}, err
		}
	}
	if setup.Sending.Provider == settings.ProviderInstantly {
		sync, err := tx.InstantlySyncOf(ctx, c.ID)
		if err != nil {
			return sending.Readiness{}, err
		}
		setup.InstantlyError = sync.LastError
	}
	return sending.CampaignReadiness(setup), nil
}

// Delete removes one of userID's campaigns and everything found for it.
func (s *Service) Delete(ctx context.Context, userID, id string) error {
	err := records(s.Store).WriteRetrying(ctx, userID, func(tx Records) error { return tx.DeleteCampaign(ctx, id) })
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("campaign")
	}
	if err != nil {
		return fmt.Errorf("delete campaign %s: %w", id, err)
	}
	return nil
}
