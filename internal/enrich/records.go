package enrich

import (
	"context"

	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
)

// Records is what the enrichment stage needs of the store (store.View explains why).
type Records interface {
	stage.Records // the prospect, its campaign and contacts, its status and counters

	RefundProspect(ctx context.Context, campaignID, prospectID, reason string) (bool, error)
	SaveFoundContacts(ctx context.Context, prospectID string, cs []store.NewContact) error
	UpsertEnrichment(ctx context.Context, p store.EnrichmentParams) error
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
