package discovery

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/providers/googleplaces"
	"github.com/prospectorhq/prospector/internal/providers/osm"
	"github.com/prospectorhq/prospector/internal/providers/yelp"
)

// SourceManual is the source of prospects a user imported; the discovery
// sources' names are settings.SourceGoogleMaps, settings.SourceYelp and settings.SourceOSM.
const SourceManual = "manual"

// Query is what a campaign asks every source for.
type Query struct {
	BusinessType string
	Location     string
	Max          int
}

// Source finds businesses. Search delivers them a page at a time so the
// caller can save progress and notice a pause between pages; returning
// providers.ErrStop from page ends the search without an error.
type Source interface {
	Name() string
	Search(ctx context.Context, q Query, page func([]Business) error) error
}

// GoogleSource searches Google Places (New) Text Search.
type GoogleSource struct{ Client *googleplaces.Client }

func (GoogleSource) Name() string { return settings.SourceGoogleMaps }

func (s GoogleSource) Search(ctx context.Context, q Query, page func([]Business) error) error {
	gq := googleplaces.Query{Text: q.BusinessType + " in " + q.Location, Max: q.Max, IncludePureServiceAreaBusinesses: true}
	return s.Client.Search(ctx, gq, pageOf(page, googleBusiness))
}

// googleBusiness is a place as a Business; a closed or nameless one is not.
func googleBusiness(p googleplaces.Place) (Business, bool) {
	if p.BusinessStatus == "CLOSED_PERMANENTLY" || p.Name() == "" {
		return Business{}, false
	}
	b := Business{
		Name: p.Name(), Website: p.WebsiteURI, Phone: cmp.Or(p.InternationalPhoneNumber, p.NationalPhoneNumber),
		Categories: p.Types, Source: settings.SourceGoogleMaps, SourceID: p.ID, SourceData: rawJSON(p),
	}
	number, _, _ := p.Component("street_number")
	_, route, _ := p.Component("route")
	b.Address = strings.TrimSpace(number + " " + route)
	if b.Address == "" {
		b.Address, _, _ = strings.Cut(p.FormattedAddress, ",")
	}
	b.City, _, _ = p.Component("locality")
	_, b.State, _ = p.Component("administrative_area_level_1")
	b.Zip, _, _ = p.Component("postal_code")
	if p.UserRatingCount > 0 {
		rating, count := p.Rating, p.UserRatingCount
		b.Rating, b.ReviewCount = &rating, &count
	}
	return b, true
}

// YelpSource searches Yelp Fusion. Yelp gives no website, only its own page.
type YelpSource struct{ Client *yelp.Client }

func (YelpSource) Name() string { return settings.SourceYelp }

func (s YelpSource) Search(ctx context.Context, q Query, page func([]Business) error) error {
	return s.Client.Search(ctx, yelp.Query{Term: q.BusinessType, Location: q.Location, Max: q.Max}, pageOf(page, yelpBusiness))
}

// yelpBusiness is a Yelp business as a Business; a closed or nameless one
// is not.
func yelpBusiness(y yelp.Business) (Business, bool) {
	if y.IsClosed || y.Name == "" {
		return Business{}, false
	}
	rating, count := y.Rating, y.ReviewCount
	b := Business{
		Name: y.Name, Phone: cmp.Or(y.Phone, y.DisplayPhone), Address: y.Location.Address1,
		City: y.Location.City, State: y.Location.State, Zip: y.Location.ZipCode,
		Rating: &rating, ReviewCount: &count, Source: settings.SourceYelp, SourceID: y.ID, SourceData: rawJSON(y),
	}
	for _, c := range y.Categories {
		b.Categories = append(b.Categories, c.Title)
	}
	return b, true
}

// OSMSource searches OpenStreetMap through Nominatim and Overpass. OSM has
// no ratings or review counts.
type OSMSource struct{ Client *osm.Client }

func (OSMSource) Name() string { return settings.SourceOSM }

func (s OSMSource) Search(ctx context.Context, q Query, page func([]Business) error) error {
	return s.Client.Search(ctx, osm.Query{BusinessType: q.BusinessType, Location: q.Location, Max: q.Max}, pageOf(page, osmBusiness))
}

// osmBusiness is an OSM element as a Business.
func osmBusiness(e osm.Element) (Business, bool) {
	b := Business{
		Name: e.Name(), Website: e.Website(), Phone: e.Phone(),
		Address: strings.TrimSpace(e.Tag("addr:housenumber") + " " + e.Tag("addr:street")),
		City:    e.Tag("addr:city"), State: e.Tag("addr:state"), Zip: e.Tag("addr:postcode"),
		Source: settings.SourceOSM, SourceID: fmt.Sprintf("%s/%d", e.Type, e.ID), SourceData: rawJSON(e),
	}
	for _, k := range []string{"craft", "shop", "amenity", "office", "healthcare", "leisure", "tourism"} {
		if v := e.Tag(k); v != "" {
			b.Categories = append(b.Categories, v)
		}
	}
	return b, true
}

// pageOf is the page callback a source hands its client: each of the
// client's results that toBusiness accepts goes on to page as a Business.
func pageOf[T any](page func([]Business) error, toBusiness func(T) (Business, bool)) func([]T) error {
	return func(list []T) error {
		out := make([]Business, 0, len(list))
		for _, v := range list {
			if b, ok := toBusiness(v); ok {
				out = append(out, b)
			}
		}
		return page(out)
	}
}

func rawJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
