package outreach

import (
	"context"
	"encoding/json"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Records is what drafting and reviewing outreach needs of the store (store.View explains why).
type Records interface {
	store.Handle // handed to the job queue and the chain

	AdvanceProspect(ctx context.Context, id string, from []string, to string) (bool, error)
	ApproveOutreach(ctx context.Context, id string) (mailstore.OutreachSequence, error)
	ContactsOf(ctx context.Context, prospectID string) ([]store.Contact, error)
	EditDraft(ctx context.Context, id, subject string, emails, checks json.RawMessage) (mailstore.OutreachSequence, error)
	EnrichmentOf(ctx context.Context, prospectID string) (*store.Enrichment, error)
	ListOutreach(ctx context.Context, f mailstore.OutreachFilter, page store.Page) ([]mailstore.OutreachSequence, string, error)
	Outreach(ctx context.Context, id string) (mailstore.OutreachSequence, error)
	OutreachOf(ctx context.Context, prospectID string) ([]mailstore.OutreachSequence, error)
	Prospect(ctx context.Context, id string) (store.Prospect, error)
	ProspectAndCampaign(ctx context.Context, id string) (store.Prospect, store.Campaign, error)
	SenderProfile(ctx context.Context) (mailstore.SenderProfile, error)
	SaveDraft(ctx context.Context, d mailstore.NewDraft) (mailstore.OutreachSequence, error)
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
