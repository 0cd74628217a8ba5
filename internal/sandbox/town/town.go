package town

import (
	"fmt"
	"math"
	"slices"
)

// BusinessesPerTown is how many businesses exist for one type and location:
// enough for a campaign to find a few hundred across sources, while Google
// alone, capped at 60 per query like the real API, finds far fewer.
const BusinessesPerTown = 300

// Source-presence rates: Google lists most businesses, Yelp fewer, OSM a
// minority, as in real cities.
const (
	pGoogle = 0.85
	pYelp   = 0.65
	pOSM    = 0.35
)

// City is the fictional geography behind a location string.
type City struct {
	Query       string // the location as given
	Name        string // "Austin"
	State       string // "TX"
	StateName   string // "Texas"
	County      string
	Country     string // "United States"
	CountryCode string // "us"
	Lat, Lon    float64
	// BBox is Nominatim's order: min lat, max lat, min lon, max lon.
	BBox [4]float64
	// OSMType is "relation" for a town with a boundary, "node" for a
	// location whose name contains "village" (so that clients exercise
	// their bounding-box fallback).
	OSMType string
	OSMID   int64
	PlaceID int64
	// Known is false for locations containing "nowhere": geocoders answer [].
	Known bool

	areaCodes    [3]string
	trackingCode string
	zipBase      int
}

// AreaID is the Overpass area id of the city's boundary relation.
func (c City) AreaID() int64 { return 3600000000 + c.OSMID }

// Phone is a fictional North American number: 555-01xx in some area code.
type Phone struct {
	AreaCode string // "512"
	Line     string // "0142"
}

// E164 is "+15125550142" (Yelp's phone).
func (p Phone) E164() string { return "+1" + p.AreaCode + "555" + p.Line }

// National is "(512) 555-0142" (Google's nationalPhoneNumber, Yelp's display_phone).
func (p Phone) National() string { return "(" + p.AreaCode + ") 555-" + p.Line }

// International is "+1 512-555-0142" (Google's internationalPhoneNumber).
func (p Phone) International() string { return "+1 " + p.AreaCode + "-555-" + p.Line }

// Dotted is "512.555.0142", a common way OSM mappers type numbers.
func (p Phone) Dotted() string { return p.AreaCode + ".555." + p.Line }

// Street is an address line in long and short spellings.
type Street struct {
	Dir    string // "East", or ""
	Name   string // "6th"
	Suffix string // "Street"
}

var (
	dirAbbr    = map[string]string{"East": "E", "West": "W", "North": "N", "South": "S"}
	suffixAbbr = map[string]string{"Street": "St", "Avenue": "Ave", "Boulevard": "Blvd", "Road": "Rd", "Drive": "Dr", "Lane": "Ln", "Parkway": "Pkwy"}
)

// Long is "East 6th Street" (Google, OSM).
func (s Street) Long() string { return joinNonEmpty(s.Dir, s.Name, s.Suffix) }

// Short is "E 6th St" (Yelp, Google's shortText).
func (s Street) Short() string { return joinNonEmpty(dirAbbr[s.Dir], s.Name, suffixAbbr[s.Suffix]) }

// Source is a listing source.
type Source string

// Listing sources.
const (
	SourceGoogle Source = "google"
	SourceYelp   Source = "yelp"
	SourceOSM    Source = "osm"
)

// Business is one fictional business and how each source shows it.
type Business struct {
	ID       string // stable across runs, e.g. "sbx-3f2a…"
	Index    int
	Type     string // canonical type
	BaseName string // "Riverbend Plumbing"

	GoogleName string // "Riverbend Plumbing Co."
	YelpName   string // "Riverbend Plumbing"
	OSMName    string // "Riverbend Plumbing LLC"

	HouseNumber string
	Street      Street
	Unit        string // "Suite 210", or ""
	City        string
	State       string
	StateName   string
	Postcode    string
	CountryCode string // "US"
	Lat, Lon    float64

	Phone Phone
	// TrackingPhone, when set, is what TrackingOn shows instead of Phone:
	// call-tracking numbers are common on ad-driven listings.
	TrackingPhone *Phone
	TrackingOn    Source

	Domain string // "riverbendplumbing-austin.example", or "" without a website
	// Website is "https://www.riverbendplumbing-austin.example/" (http for
	// a site served over http only), or "". Generate leaves out the port;
	// Sandbox.WebsiteURL gives the address the sandbox's web host serves
	// it at.
	Website string
	// GoogleWebsite is the website as Google shows it, sometimes with UTM
	// parameters added by the owner's listing manager.
	GoogleWebsite string
	// Site is the website, mailbox and people behind Domain (site.go); nil
	// without a website.
	Site *Site

	Rating         float64 // Google, 0 when the business has no reviews
	ReviewCount    int
	YelpRating     float64
	YelpReviews    int
	BusinessStatus string // OPERATIONAL, CLOSED_TEMPORARILY, CLOSED_PERMANENTLY

	OnGoogle, OnYelp, OnOSM bool

	GoogleID  string
	YelpID    string
	YelpAlias string
	OSMType   string // "node" or "way"
	OSMID     int64

	// OSM presentation details.
	OSMPhoneStyle  int  // 0 contact:phone dotted, 1 phone international, 2 phone national, 3 none
	OSMHasAddress  bool // addr:* tags present
	OSMHasWebsite  bool
	OSMContactKeys bool // contact:website instead of website
	OSMEmail       string
	OpeningHours   string
	YelpPrice      string
	YelpHidePhone  bool
	YelpAddress2   *string // nil renders as JSON null
	Categories     [2]string
	GoogleType     string
	OSMTags        map[string]string // the kind's tags
	SecondaryTypes []string
}

// Town is every fictional business of one type in one location.
type Town struct {
	Type       string // canonical type
	City       City
	Businesses []Business
}

// PhoneOn is the number a source shows for b.
func (b *Business) PhoneOn(s Source) Phone {
	if b.TrackingPhone != nil && b.TrackingOn == s {
		return *b.TrackingPhone
	}
	return b.Phone
}

// GoogleAddress is Google's formattedAddress.
func (b *Business) GoogleAddress() string {
	line := b.HouseNumber + " " + b.Street.Long()
	if b.Unit != "" {
		line += " " + b.Unit
	}
	return fmt.Sprintf("%s, %s, %s %s, USA", line, b.City, b.State, b.Postcode)
}

// YelpAddress1 is Yelp's location.address1.
func (b *Business) YelpAddress1() string { return b.HouseNumber + " " + b.Street.Short() }

// OnGoogleList returns the businesses Google lists, most prominent first.
func (t Town) OnGoogleList() []*Business {
	return t.ordered(func(b *Business) bool { return b.OnGoogle }, func(b *Business) float64 {
		return b.Rating * math.Log1p(float64(b.ReviewCount))
	})
}

// OnYelpList returns the businesses Yelp lists, in best-match order.
func (t Town) OnYelpList() []*Business {
	return t.ordered(func(b *Business) bool { return b.OnYelp }, func(b *Business) float64 {
		return b.YelpRating*math.Log1p(float64(b.YelpReviews)) + float64(Hash(b.YelpID)%100)/50
	})
}

// OnOSMList returns the businesses mapped in OpenStreetMap.
func (t Town) OnOSMList() []*Business {
	return t.ordered(func(b *Business) bool { return b.OnOSM }, nil)
}

func (t Town) ordered(keep func(*Business) bool, score func(*Business) float64) []*Business {
	var out []*Business
	for i := range t.Businesses {
		if keep(&t.Businesses[i]) {
			out = append(out, &t.Businesses[i])
		}
	}
	if score != nil {
		slices.SortStableFunc(out, func(a, b *Business) int {
			sa, sb := score(a), score(b)
			switch {
			case sa > sb:
				return -1
			case sa < sb:
				return 1
			}
			return a.Index - b.Index
		})
	}
	return out
}
