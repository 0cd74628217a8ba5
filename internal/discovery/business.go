package discovery

import (
	"cmp"
	"encoding/json"
	"strings"
)

// Business is one business as a discovery source or an import describes it,
// in normalized form: what becomes a prospect.
type Business struct {
	Name    string
	Website string // normalized by NormalizeWebsite, "" when unknown or invalid
	Domain  string // DomainKey(Website): "" for pages on social networks and directories
	Phone   string // E.164 when it could be read, else the text the source gave
	Address string // street line
	City    string
	State   string
	Zip     string

	Rating      *float64 // nil when the source has none
	ReviewCount *int     // nil when the source has none
	Categories  []string

	Source     string          // google_maps, yelp, osm, manual…
	SourceID   string          // the source's id for the listing
	SourceData json.RawMessage // the listing as the source sent it
	Sources    []string        // every source that listed the business
}

// Normalize puts b in the form dedup relies on: text fields trimmed, the
// website normalized and its Domain derived, the phone in E.164 when it can
// be read in region, and the own source in Sources. A website that does not
// normalize is dropped rather than the listing: the business still exists.
func (b *Business) Normalize(region string) {
	b.Name = strings.TrimSpace(b.Name)
	b.Address = strings.TrimSpace(b.Address)
	b.City = strings.TrimSpace(b.City)
	b.State = strings.TrimSpace(b.State)
	b.Zip = strings.TrimSpace(b.Zip)
	b.Source = strings.TrimSpace(b.Source)
	b.SourceID = strings.TrimSpace(b.SourceID)
	b.Domain = ""
	if w, err := NormalizeWebsite(b.Website); err == nil {
		b.Website = w
		b.Domain = DomainKey(w)
	} else {
		b.Website = ""
	}
	b.Phone = strings.TrimSpace(b.Phone)
	if e, ok := NormalizePhone(b.Phone, region); ok {
		b.Phone = e
	}
	b.Sources = appendSources(nil, b.Sources...)
	b.Sources = appendSources(b.Sources, b.Source)
}

// Merge folds what other knows about a business into into, keeping the
// richest value of each field: a value over none, a website with its own
// domain over a social page, an E.164 phone over unreadable text, the longer
// street line, the rating that comes with more reviews, every category and
// every source. into keeps its name and its source identity, since it is
// the listing a prospect already stands for.
func Merge(into *Business, other Business) {
	if into.Name == "" {
		into.Name = other.Name
	}
	if into.Website == "" || into.Domain == "" && other.Domain != "" {
		if other.Website != "" {
			into.Website, into.Domain = other.Website, other.Domain
		}
	}
	if into.Phone == "" || !isE164(into.Phone) && isE164(other.Phone) {
		if other.Phone != "" {
			into.Phone = other.Phone
		}
	}
	if len(other.Address) > len(into.Address) {
		into.Address = other.Address
	}
	into.City = cmp.Or(into.City, other.City)
	into.State = cmp.Or(into.State, other.State)
	into.Zip = cmp.Or(into.Zip, other.Zip)

	// A rating means little without its review count, so they travel
	// together from the listing with more reviews.
	if other.ReviewCount != nil && (into.ReviewCount == nil || *other.ReviewCount > *into.ReviewCount) {
		into.ReviewCount = other.ReviewCount
		if other.Rating != nil {
			into.Rating = other.Rating
		}
	}
	if into.Rating == nil {
		into.Rating = other.Rating
	}
	into.Categories = appendCategories(into.Categories, other.Categories)

	if into.Source == "" {
		into.Source, into.SourceID, into.SourceData = other.Source, other.SourceID, other.SourceData
	}
	into.Sources = appendSources(into.Sources, into.Source)
	into.Sources = appendSources(into.Sources, other.Sources...)
	into.Sources = appendSources(into.Sources, other.Source)
}

func isE164(phone string) bool {
	return strings.HasPrefix(phone, "+")
}

// appendCategories adds the categories not already present, ignoring case
// ("Plumber" from one source, "plumber" from another).
func appendCategories(list, more []string) []string {
	for _, c := range more {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		found := false
		for _, have := range list {
			if strings.EqualFold(have, c) {
				found = true
				break
			}
		}
		if !found {
			list = append(list, c)
		}
	}
	return list
}

func appendSources(list []string, more ...string) []string {
	for _, s := range more {
		if s == "" {
			continue
		}
		found := false
		for _, have := range list {
			if have == s {
				found = true
				break
			}
		}
		if !found {
			list = append(list, s)
		}
	}
	return list
}
