package prospect

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Records is what reading and exporting prospects needs of the store (store.View explains why).
type Records interface {
	store.Handle // handed to the job queue and the chain

	Campaign(ctx context.Context, id string) (store.Campaign, error)
	ContactsOf(ctx context.Context, prospectID string) ([]store.Contact, error)
	EnrichmentOf(ctx context.Context, prospectID string) (*store.Enrichment, error)
	EventsOf(ctx context.Context, messageID string) ([]mailstore.Event, error)
	ExportProspects(ctx context.Context, f store.ProspectFilter, fn func(*store.ExportRow) error) error
	LeadScoreOf(ctx context.Context, prospectID string) (*store.LeadScore, error)
	LeadRowsOf(ctx context.Context, ids []string) (map[string]store.LeadRow, error)
	ListProspects(ctx context.Context, f store.ProspectFilter, page store.Page) ([]store.Prospect, string, error)
	MessagesOfSequence(ctx context.Context, sequenceID string) ([]mailstore.Message, error)
	OutreachOf(ctx context.Context, prospectID string) ([]mailstore.OutreachSequence, error)
	Prospect(ctx context.Context, id string) (store.Prospect, error)
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
