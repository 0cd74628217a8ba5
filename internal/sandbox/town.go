package sandbox

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
)

// This file is the fictional-town generator. For any business type and any
// location it produces the same few hundred businesses every time, with the
// same business showing up on Google, Yelp and OpenStreetMap under slightly
// different names, address spellings and phone formats, as real listings do.
//
// Everything is plainly fictional: websites live under the reserved
// ".example" top-level domain, phone numbers are in the 555-0100…555-0199
// range that North American numbering keeps for fiction, and the sandbox
// servers label every answer with "X-Sandbox: fictional".
//
// Determinism: each town is seeded from FNV-64a(type|location) and each
// business draws from its own PCG stream (town seed, index). To give
// businesses new attributes (websites' pages, e-mail staff…), draw from a new
// stream seeded from Business.ID; drawing more numbers from the existing
// streams would change every business already generated.

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

// Generate builds the town for a business type and a location. It is pure:
// the same arguments always give the same businesses.
func Generate(businessType, location string) Town {
	canonical := Canonical(businessType)
	city := CityOf(location)
	k := kindFor(canonical)
	seed := hash64(canonical + "|" + normalise(location))
	town := Town{Type: canonical, City: city}
	if !city.Known {
		return town
	}

	// Unique names: shuffle every prefix × qualifier × trade combination and
	// take the first ones.
	type nameParts struct{ prefix, qualifier, trade string }
	var combos []nameParts
	for _, p := range namePrefixes {
		for _, q := range nameQualifiers {
			for _, tr := range k.trades {
				combos = append(combos, nameParts{p, q, tr})
			}
		}
	}
	names := rand.New(rand.NewPCG(seed, 0x6e616d6573))
	names.Shuffle(len(combos), func(i, j int) { combos[i], combos[j] = combos[j], combos[i] })

	// Unique phones: three area codes × 100 fictional lines, shuffled.
	lines := make([]Phone, 0, 300)
	for _, ac := range city.areaCodes {
		for n := 100; n < 200; n++ {
			lines = append(lines, Phone{AreaCode: ac, Line: fmt.Sprintf("%04d", n)})
		}
	}
	names.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	tracking := 0

	n := min(BusinessesPerTown, len(combos))
	town.Businesses = make([]Business, 0, n)
	for i := range n {
		r := rand.New(rand.NewPCG(seed, uint64(i)+1))
		c := combos[i]
		b := Business{
			Index:       i,
			Type:        canonical,
			BaseName:    joinNonEmpty(c.prefix, c.qualifier, c.trade),
			City:        city.Name,
			State:       city.State,
			StateName:   city.StateName,
			CountryCode: strings.ToUpper(city.CountryCode),
			Phone:       lines[i%len(lines)],
			GoogleType:  k.google,
			Categories:  k.yelp,
			OSMTags:     k.osm,
		}
		idHash := hash64(fmt.Sprintf("%d|%s|%d", seed, b.BaseName, i))
		b.ID = fmt.Sprintf("sbx-%016x", idHash)
		b.GoogleID = "ChIJ" + idString(idHash, 0x676f6f67, 23)
		b.YelpID = idString(idHash, 0x79656c70, 22)
		b.OSMID = int64(100000000 + idHash%900000000)

		b.GoogleName = b.BaseName + pick(r, []string{"", "", " Co.", " LLC", " Inc.", " & Sons", " Company"})
		b.YelpName = b.BaseName
		switch r.IntN(10) {
		case 0, 1, 2:
			b.OSMName = b.BaseName + " LLC"
		case 3, 4, 5, 6:
			b.OSMName = b.GoogleName
		default:
			b.OSMName = b.BaseName
		}
		b.YelpAlias = slug(b.YelpName) + "-" + slug(city.Name)

		b.HouseNumber = fmt.Sprint(100 + r.IntN(9800))
		b.Street = Street{Dir: pick(r, []string{"", "", "East", "West", "North", "South"}), Name: pick(r, streetNames), Suffix: pick(r, streetSuffixes)}
		if r.Float64() < 0.1 {
			b.Unit = fmt.Sprintf("Suite %d", 100+r.IntN(400))
		}
		b.Postcode = fmt.Sprintf("%05d", city.zipBase+r.IntN(10))
		b.Lat = round6(city.Lat + (r.Float64()-0.5)*0.16)
		b.Lon = round6(city.Lon + (r.Float64()-0.5)*0.2)

		b.OnGoogle = r.Float64() < pGoogle
		b.OnYelp = r.Float64() < pYelp
		b.OnOSM = r.Float64() < pOSM
		if !b.OnGoogle && !b.OnYelp && !b.OnOSM {
			b.OnGoogle = true
		}

		if r.Float64() < 0.75 {
			b.Domain = strings.ReplaceAll(slug(b.BaseName), "-", "") + "-" + slug(city.Name) + ".example"
			b.Website = "https://" + pick(r, []string{"", "www."}) + b.Domain + "/"
			b.GoogleWebsite = b.Website
			if r.Float64() < 0.15 {
				b.GoogleWebsite += "?utm_source=gmb&utm_medium=organic"
			}
		}

		if r.Float64() < 0.12 && tracking < 100 {
			p := Phone{AreaCode: city.trackingCode, Line: fmt.Sprintf("%04d", 100+tracking)}
			tracking++
			b.TrackingPhone = &p
			b.TrackingOn = SourceGoogle
			if r.Float64() < 0.4 {
				b.TrackingOn = SourceYelp
			}
		}

		if r.Float64() < 0.06 {
			b.Rating, b.ReviewCount = 0, 0
		} else {
			b.ReviewCount = int(math.Exp(r.Float64() * 7)) // long tail: most have few reviews
			b.Rating = math.Round((2.6+r.Float64()*2.4)*10) / 10
		}
		b.YelpReviews = max(0, b.ReviewCount/3+r.IntN(12)-4)
		b.YelpRating = math.Max(1, math.Min(5, math.Round((b.Rating-0.3+r.Float64()*0.6)*2)/2))
		if b.YelpReviews == 0 {
			b.YelpRating = 0
		}
		switch x := r.Float64(); {
		case x < 0.03:
			b.BusinessStatus = "CLOSED_PERMANENTLY"
		case x < 0.08:
			b.BusinessStatus = "CLOSED_TEMPORARILY"
		default:
			b.BusinessStatus = "OPERATIONAL"
		}

		b.OSMType = "node"
		if r.Float64() < 0.3 {
			b.OSMType = "way"
		}
		b.OSMPhoneStyle = r.IntN(4)
		b.OSMHasAddress = r.Float64() < 0.7
		b.OSMHasWebsite = b.Website != "" && r.Float64() < 0.6
		b.OSMContactKeys = r.Float64() < 0.5
		if b.OSMHasWebsite && r.Float64() < 0.3 {
			b.OSMEmail = "info@" + b.Domain
		}
		if r.Float64() < 0.4 {
			b.OpeningHours = pick(r, []string{"Mo-Fr 08:00-17:00", "Mo-Sa 09:00-18:00", "Mo-Fr 07:30-16:30; Sa 08:00-12:00", "Tu-Su 11:00-22:00"})
		}
		if r.Float64() < 0.5 {
			b.YelpPrice = pick(r, []string{"$", "$$", "$$", "$$$"})
		}
		b.YelpHidePhone = r.Float64() < 0.05
		switch {
		case b.Unit != "":
			u := b.Unit
			b.YelpAddress2 = &u
		case r.Float64() < 0.5:
			empty := ""
			b.YelpAddress2 = &empty
		}
		if b.Domain != "" {
			// From b's own stream (see newSite): the draws above are unchanged.
			b.Site = newSite(&b, city)
			https := "https://" + b.Site.Host + "/"
			b.Website = b.Site.Scheme + "://" + b.Site.Host + "/"
			b.GoogleWebsite = b.Website + strings.TrimPrefix(b.GoogleWebsite, https)
		}
		town.Businesses = append(town.Businesses, b)
	}
	markClaimed(&town)
	return town
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
		return b.YelpRating*math.Log1p(float64(b.YelpReviews)) + float64(hash64(b.YelpID)%100)/50
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

// CityOf parses "Austin, TX" (or "Austin, Texas", "Austin") into a fictional
// but stable geography.
func CityOf(location string) City {
	norm := normalise(location)
	h := hash64("city|" + norm)
	r := rand.New(rand.NewPCG(h, 0x63697479))
	c := City{Query: location, Country: "United States", CountryCode: "us", Known: true}
	if norm == "" || strings.Contains(norm, "nowhere") {
		c.Known = false
		return c
	}
	parts := strings.Split(location, ",")
	c.Name = titleCase(normalise(parts[0]))
	if len(parts) > 1 {
		st := strings.TrimSpace(parts[1])
		for _, s := range usStates {
			if strings.EqualFold(st, s[0]) || strings.EqualFold(st, s[1]) {
				c.State, c.StateName = s[0], s[1]
			}
		}
	}
	if c.State == "" {
		s := usStates[r.IntN(len(usStates))]
		c.State, c.StateName = s[0], s[1]
	}
	c.County = c.Name + " County"
	c.Lat = round6(27 + r.Float64()*20)
	c.Lon = round6(-121 + r.Float64()*48)
	c.BBox = [4]float64{round6(c.Lat - 0.15), round6(c.Lat + 0.15), round6(c.Lon - 0.18), round6(c.Lon + 0.18)}
	c.OSMType = "relation"
	c.OSMID = int64(100000 + h%9000000)
	if strings.Contains(" "+norm+" ", " village ") {
		c.OSMType = "node"
		c.OSMID = int64(1000000000 + h%900000000)
	}
	c.PlaceID = int64(200000000 + h%100000000)
	seen := map[string]bool{}
	for i := 0; i < 4; {
		ac := fmt.Sprintf("%d%d%d", 2+r.IntN(8), r.IntN(9), r.IntN(10))
		if seen[ac] || ac[1:] == "11" || ac == "555" {
			continue
		}
		seen[ac] = true
		if i < 3 {
			c.areaCodes[i] = ac
		} else {
			c.trackingCode = ac
		}
		i++
	}
	c.zipBase = 10000 + r.IntN(89000)
	return c
}

var namePrefixes = []string{
	"Riverbend", "Oak Hollow", "Blue Heron", "Cedar Ridge", "Lakeside", "Summit", "Pioneer", "Copper Creek",
	"Maple Leaf", "Granite", "Willow Bend", "Prairie", "Silver Pine", "Golden Gate", "Evergreen", "Red Rock",
	"Stonebridge", "Northside", "Southgate", "Eastwood", "Westfield", "Hillcrest", "Lakeview", "Brookside",
	"Sunrise", "Timberline", "Ironwood", "Foxglove", "Magnolia", "Juniper", "Sycamore", "Aspen", "Highland",
	"Meadowlark", "Falcon", "Bayou", "Canyon", "Mesa", "Pinecrest", "Harbor",
}

var nameQualifiers = []string{"", "Family", "City", "Premier", "Quality", "Classic", "Hometown", "Pro", "Trusted", "Neighborhood"}

var streetNames = []string{
	"Main", "Oak", "Maple", "Cedar", "Elm", "Pine", "Lakeview", "Hillcrest", "Park", "Mill", "River", "Church",
	"Market", "Spring", "Willow", "Sunset", "Highland", "Meadow", "Ridge", "Commerce", "1st", "2nd", "3rd",
	"4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th", "12th",
}

var streetSuffixes = []string{"Street", "Street", "Avenue", "Boulevard", "Road", "Drive", "Lane", "Parkway"}

var usStates = [][2]string{
	{"AL", "Alabama"}, {"AK", "Alaska"}, {"AZ", "Arizona"}, {"AR", "Arkansas"}, {"CA", "California"},
	{"CO", "Colorado"}, {"CT", "Connecticut"}, {"DE", "Delaware"}, {"DC", "District of Columbia"},
	{"FL", "Florida"}, {"GA", "Georgia"}, {"HI", "Hawaii"}, {"ID", "Idaho"}, {"IL", "Illinois"},
	{"IN", "Indiana"}, {"IA", "Iowa"}, {"KS", "Kansas"}, {"KY", "Kentucky"}, {"LA", "Louisiana"},
	{"ME", "Maine"}, {"MD", "Maryland"}, {"MA", "Massachusetts"}, {"MI", "Michigan"}, {"MN", "Minnesota"},
	{"MS", "Mississippi"}, {"MO", "Missouri"}, {"MT", "Montana"}, {"NE", "Nebraska"}, {"NV", "Nevada"},
	{"NH", "New Hampshire"}, {"NJ", "New Jersey"}, {"NM", "New Mexico"}, {"NY", "New York"},
	{"NC", "North Carolina"}, {"ND", "North Dakota"}, {"OH", "Ohio"}, {"OK", "Oklahoma"}, {"OR", "Oregon"},
	{"PA", "Pennsylvania"}, {"RI", "Rhode Island"}, {"SC", "South Carolina"}, {"SD", "South Dakota"},
	{"TN", "Tennessee"}, {"TX", "Texas"}, {"UT", "Utah"}, {"VT", "Vermont"}, {"VA", "Virginia"},
	{"WA", "Washington"}, {"WV", "West Virginia"}, {"WI", "Wisconsin"}, {"WY", "Wyoming"},
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// idString makes an opaque id of n base64url characters, like the real
// services' ids, from a hash.
func idString(h, salt uint64, n int) string {
	r := rand.New(rand.NewPCG(h, salt))
	buf := make([]byte, (n*3+3)/4)
	for i := 0; i < len(buf); i += 8 {
		var word [8]byte
		binary.LittleEndian.PutUint64(word[:], r.Uint64())
		copy(buf[i:], word[:])
	}
	return base64.RawURLEncoding.EncodeToString(buf)[:n]
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '&':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
