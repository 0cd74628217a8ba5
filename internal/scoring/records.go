package scoring

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
)

// Records is what the scoring stage needs of the store: the methods of
// *store.Tx it calls and nothing else, so this list is the package's whole
// dependency on the database (and what a test double would provide).
type Records interface {
	store.Handle // handed to the job queue and the chain

	AddCampaignCounters(ctx context.Context, id string, add store.CampaignCounters) error
	AdvanceProspect(ctx context.Context, id string, from []string, to string) (bool, error)
	Campaign(ctx context.Context, id string) (store.Campaign, error)
	ContactsOf(ctx context.Context, prospectID string) ([]store.Contact, error)
	EnrichmentOf(ctx context.Context, prospectID string) (*store.Enrichment, error)
	Prospect(ctx context.Context, id string) (store.Prospect, error)
	ProspectAndCampaign(ctx context.Context, id string) (store.Prospect, store.Campaign, error)
	UpsertLeadScore(ctx context.Context, p store.LeadScoreParams) error
}

// records narrows st to Records; the conversion is where the compiler checks
// that *store.Tx provides every method.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
