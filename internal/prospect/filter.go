package prospect

import (
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/textfield"
)

// statuses are the prospect statuses a list may be filtered by, in the
// order a prospect moves through them.
var statuses = []string{
	store.ProspectDiscovered, store.ProspectEnriching, store.ProspectEnriched, store.ProspectQualified,
	store.ProspectOutreachPending, store.ProspectContacted, store.ProspectDisqualified,
}

// maxQueryChars bounds a search term: longer is not a name anyone types.
const maxQueryChars = 200

// ParseFilter validates the filters a list and the export share, as the
// user sent them (a campaign id in any case, a status, a tier, a search
// term); empty means unfiltered.
func ParseFilter(campaignID, status, tier, query string) (store.ProspectFilter, error) {
	fields := apperr.Fields{}
	f := store.ProspectFilter{Status: status, Tier: tier, Query: strings.TrimSpace(query)}
	if campaignID != "" {
		if !store.ValidID(campaignID) {
			fields.Add("campaign_id", "must be a campaign id")
		}
		f.CampaignID = strings.ToLower(campaignID)
	}
	if status != "" && !slices.Contains(statuses, status) {
		fields.Add("status", "must be one of %s", strings.Join(statuses, ", "))
	}
	if tier != "" && !slices.Contains(settings.Tiers(), tier) {
		fields.Add("tier", "must be one of A, B, C")
	}
	textfield.Check(fields, "q", f.Query, textfield.Line, maxQueryChars)
	return f, fields.Err()
}

// sortOrders names each order a lead list may be read in as its sort
// parameter spells it; the first is the default.
var sortOrders = []struct {
	name  string
	order store.ProspectOrder
}{
	{"newest", store.NewestFirst},
	{"oldest", store.OldestFirst},
	{"score", store.BestFirst},
}

// Sorts are the names of the orders a lead list may be read in.
var Sorts = func() []string {
	names := make([]string, len(sortOrders))
	for i, o := range sortOrders {
		names[i] = o.name
	}
	return names
}()

// ParseSort reads a list's order ("" is the default) into f.
func ParseSort(f *store.ProspectFilter, sort string) error {
	if sort == "" {
		sort = sortOrders[0].name
	}
	for _, o := range sortOrders {
		if o.name == sort {
			f.Order = o.order
			return nil
		}
	}
	return apperr.Invalid("sort", "must be one of "+strings.Join(Sorts, ", "))
}

// SortOf is the sort parameter that names f's order.
func SortOf(f store.ProspectFilter) string {
	for _, o := range sortOrders {
		if o.order == f.Order {
			return o.name
		}
	}
	return sortOrders[0].name
}

// Statuses are the prospect statuses a list may be filtered by, in
// pipeline order.
func Statuses() []string { return slices.Clone(statuses) }
