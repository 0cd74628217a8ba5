package enrich

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store"
)

// PeopleFinder finds the people to write to and verifies their addresses.
type PeopleFinder struct{}

// Find returns the prospect's contacts, existing ones included.
func (f *PeopleFinder) Find(ctx context.Context, p store.Prospect, site *SiteFindings, existing []store.Contact) []store.NewContact {
	return nil
}
