package discovery

import (
	"context"
	"encoding/json"

	"github.com/prospectorhq/prospector/internal/store"
)

// Records is what the discovery stage needs of the store (store.View explains why).
type Records interface {
	store.Handle // handed to the job queue and the chain

	AddCampaignCounters(ctx context.Context, id string, add store.CampaignCounters) error
	Campaign(ctx context.Context, id string) (store.Campaign, error)
	CampaignForUpdate(ctx context.Context, id string) (store.Campaign, error)
	CampaignProspectsForDedup(ctx context.Context, campaignID string) ([]store.ExistingProspect, error)
	ChargeProspects(ctx context.Context, campaignID string, prospectIDs []string) error
	CountDiscovered(ctx context.Context, campaignID string) (int, error)
	InsertProspects(ctx context.Context, batch []store.NewProspect) ([]string, error)
	LeadCredits(ctx context.Context) (int, error)
	MarkDiscoveryFinished(ctx context.Context, campaignID string, finished bool) error
	SetCampaignStatus(ctx context.Context, id, status string, reason *string) (store.Campaign, error)
	SetDiscoverySources(ctx context.Context, campaignID string, sources json.RawMessage) error
	UpdateProspectListing(ctx context.Context, id string, l store.ProspectListing) error
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
