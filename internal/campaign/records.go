package campaign

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Records is what applying the campaign rules needs of the store (store.View explains why).
type Records interface {
	store.Handle // handed to the job queue and the chain

	APIKey(ctx context.Context, service string) (string, error)
	AccountStats(ctx context.Context) (store.AccountStats, error)
	InstantlySyncOf(ctx context.Context, campaignID string) (mailstore.InstantlySync, error)
	AddCampaignCounters(ctx context.Context, id string, add store.CampaignCounters) error
	Campaign(ctx context.Context, id string) (store.Campaign, error)
	CampaignForUpdate(ctx context.Context, id string) (store.Campaign, error)
	CampaignStats(ctx context.Context, campaignID string) (store.CampaignStats, error)
	CreateCampaign(ctx context.Context, p store.CampaignParams) (store.Campaign, error)
	DeleteCampaign(ctx context.Context, id string) error
	DeleteProspects(ctx context.Context, campaignID string, ids []string) (int, error)
	ExistingDedupKeys(ctx context.Context, campaignID string, domains, phones []string) (store.DedupKeys, error)
	InsertProspects(ctx context.Context, batch []store.NewProspect) ([]string, error)
	LeadCredits(ctx context.Context) (int, error)
	SubscriptionStatus(ctx context.Context) (string, error)
	ListCampaigns(ctx context.Context, page store.Page) ([]store.Campaign, string, error)
	Mailbox(ctx context.Context, id string) (mailstore.Mailbox, error)
	MarkDiscoveryFinished(ctx context.Context, campaignID string, finished bool) error
	ProspectIDsWithStatus(ctx context.Context, campaignID, status string) ([]string, error)
	SenderProfile(ctx context.Context) (mailstore.SenderProfile, error)
	SetCampaignStatus(ctx context.Context, id, status string, reason *string) (store.Campaign, error)
	UpdateCampaign(ctx context.Context, id string, p store.CampaignParams) (store.Campaign, error)
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
