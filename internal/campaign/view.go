package campaign

import (
	"context"
	"errors"
	"fmt"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
)

// View is one campaign as its page shows it: the campaign, and whether it
// can send (and if not, why).
type View struct {
	store.Campaign
	sending.Readiness
}

// Get returns one of userID's campaigns with its sending readiness.
func (s *Service) Get(ctx context.Context, userID, id string) (View, error) {
	var v View
	err := records(s.Store).Read(ctx, userID, func(tx Records) error {
		c, err := campaignOf(ctx, tx, id)
		if err != nil {
			return err
		}
		setup := sending.CampaignSetup{Sending: settings.StoredSending(c.Sending), InstantlyKey: s.InstantlyKey}
		if setup.Profile, err = tx.SenderProfile(ctx); err != nil {
			return err
		}
		for _, mid := range setup.Sending.MailboxIDs {
			m, err := tx.Mailbox(ctx, mid)
			if errors.Is(err, store.ErrNotFound) {
				continue // deleted since: the readiness says so
			}
			if err != nil {
				return err
			}
			setup.Mailboxes = append(setup.Mailboxes, m)
		}
		if !setup.InstantlyKey && setup.Sending.Provider == settings.ProviderInstantly {
			_, err := tx.APIKey(ctx, keys.Instantly)
			setup.InstantlyKey = err == nil
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if setup.Sending.Provider == settings.ProviderInstantly {
			sync, err := tx.InstantlySyncOf(ctx, c.ID)
			if err != nil {
				return err
			}
			setup.InstantlyError = sync.LastError
		}
		v = View{Campaign: c, Readiness: sending.CampaignReadiness(setup)}
		return nil
	})
	if err != nil {
		return View{}, fmt.Errorf("get campaign %s: %w", id, err)
	}
	return v, nil
}
