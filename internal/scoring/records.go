package scoring

import (
	"context"

	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
)

// Records is what the scoring stage needs of the store (store.View explains why).
type Records interface {
	stage.Records // the prospect, its campaign and contacts, its status and counters

	Campaign(ctx context.Context, id string) (store.Campaign, error)
	EnrichmentOf(ctx context.Context, prospectID string) (*store.Enrichment, error)
	Prospect(ctx context.Context, id string) (store.Prospect, error)
	UpsertLeadScore(ctx context.Context, p store.LeadScoreParams) error
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
