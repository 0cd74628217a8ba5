package town

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/prospectorhq/prospector/internal/textfold"
)

// Generate builds the town for a business type and a location. It is pure:
// the same arguments always give the same businesses.
func Generate(businessType, location string) Town {
	canonical := Canonical(businessType)
	city := CityOf(location)
	seed := Hash(canonical + "|" + textfold.Phrase(location))
	town := Town{Type: canonical, City: city}
	if !city.Known {
		return town
	}
	g := &generator{seed: seed, canonical: canonical, city: city, kind: kindFor(canonical)}
	g.shuffle()
	n := min(BusinessesPerTown, len(g.names))
	town.Businesses = make([]Business, 0, n)
	for i := range n {
		town.Businesses = append(town.Businesses, g.business(i))
	}
	markClaimed(&town)
	return town
}

// generator draws the businesses of one town. Each business draws from its
// own stream, in the fixed order of the steps in business: a step that
// draws more, or earlier, changes every business after it.
type generator struct {
	seed      uint64
	canonical string
	city      City
	kind      kind
	names     []nameParts // shuffled: business i is names[i]
	lines     []Phone     // shuffled: business i has lines[i%len(lines)]
	tracking  int         // call-tracking numbers handed out so far
}

type nameParts struct{ prefix, qualifier, trade string }

// shuffle makes the unique names (every prefix × qualifier × trade
// combination) and the unique phones (three area codes × 100 fictional
// lines), both shuffled by the town's name stream.
func (g *generator) shuffle() {
	for _, p := range namePrefixes {
		for _, q := range nameQualifiers {
			for _, tr := range g.kind.trades {
				g.names = append(g.names, nameParts{p, q, tr})
			}
		}
	}
	r := rand.New(rand.NewPCG(g.seed, 0x6e616d6573))
	r.Shuffle(len(g.names), func(i, j int) { g.names[i], g.names[j] = g.names[j], g.names[i] })
	g.lines = make([]Phone, 0, 300)
	for _, ac := range g.city.areaCodes {
		for n := 100; n < 200; n++ {
			g.lines = append(g.lines, Phone{AreaCode: ac, Line: fmt.Sprintf("%04d", n)})
		}
	}
	r.Shuffle(len(g.lines), func(i, j int) { g.lines[i], g.lines[j] = g.lines[j], g.lines[i] })
}

// business draws business i.
func (g *generator) business(i int) Business {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)+1))
	c, city := g.names[i], g.city
	b := Business{
		Index:       i,
		Type:        g.canonical,
		BaseName:    joinNonEmpty(c.prefix, c.qualifier, c.trade),
		City:        city.Name,
		State:       city.State,
		StateName:   city.StateName,
		CountryCode: strings.ToUpper(city.CountryCode),
		Phone:       g.lines[i%len(g.lines)],
		GoogleType:  g.kind.google,
		Categories:  g.kind.yelp,
		OSMTags:     g.kind.osm,
	}
	idHash := Hash(fmt.Sprintf("%d|%s|%d", g.seed, b.BaseName, i))
	b.ID = fmt.Sprintf("sbx-%016x", idHash)
	b.GoogleID = "ChIJ" + idString(idHash, 0x676f6f67, 23)
	b.YelpID = idString(idHash, 0x79656c70, 22)
	b.OSMID = int64(100000000 + idHash%900000000)

	drawNames(r, &b, city)
	drawAddress(r, &b, city)
	drawPresence(r, &b, city)
	g.drawTrackingPhone(r, &b)
	drawReviews(r, &b)
	drawListingDetails(r, &b)
	if b.Domain != "" {
		// From b's own stream (see newSite): the draws above are unchanged.
		b.Site = newSite(&b, city)
		https := "https://" + b.Site.Host + "/"
		b.Website = b.Site.Scheme + "://" + b.Site.Host + "/"
		b.GoogleWebsite = b.Website + strings.TrimPrefix(b.GoogleWebsite, https)
	}
	return b
}

// drawNames picks how Google and OSM spell the name (Yelp uses the base
// name).
func drawNames(r *rand.Rand, b *Business, city City) {
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
	b.YelpAlias = Slug(b.YelpName) + "-" + Slug(city.Name)
}

// drawAddress places the business in the city.
func drawAddress(r *rand.Rand, b *Business, city City) {
	b.HouseNumber = fmt.Sprint(100 + r.IntN(9800))
	b.Street = Street{Dir: pick(r, []string{"", "", "East", "West", "North", "South"}), Name: pick(r, streetNames), Suffix: pick(r, streetSuffixes)}
	if r.Float64() < 0.1 {
		b.Unit = fmt.Sprintf("Suite %d", 100+r.IntN(400))
	}
	b.Postcode = fmt.Sprintf("%05d", city.zipBase+r.IntN(10))
	b.Lat = round6(city.Lat + (r.Float64()-0.5)*0.16)
	b.Lon = round6(city.Lon + (r.Float64()-0.5)*0.2)
}

// drawPresence picks the sources that list the business (at least one)
// and whether it has a website.
func drawPresence(r *rand.Rand, b *Business, city City) {
	b.OnGoogle = r.Float64() < pGoogle
	b.OnYelp = r.Float64() < pYelp
	b.OnOSM = r.Float64() < pOSM
	if !b.OnGoogle && !b.OnYelp && !b.OnOSM {
		b.OnGoogle = true
	}
	if r.Float64() < 0.75 {
		b.Domain = strings.ReplaceAll(Slug(b.BaseName), "-", "") + "-" + Slug(city.Name) + ".example"
		b.Website = "https://" + pick(r, []string{"", "www."}) + b.Domain + "/"
		b.GoogleWebsite = b.Website
		if r.Float64() < 0.15 {
			b.GoogleWebsite += "?utm_source=gmb&utm_medium=organic"
		}
	}
}

// drawTrackingPhone gives some businesses a call-tracking number on Google
// or Yelp, from the town's tracking area code.
func (g *generator) drawTrackingPhone(r *rand.Rand, b *Business) {
	if r.Float64() < 0.12 && g.tracking < 100 {
		p := Phone{AreaCode: g.city.trackingCode, Line: fmt.Sprintf("%04d", 100+g.tracking)}
		g.tracking++
		b.TrackingPhone = &p
		b.TrackingOn = SourceGoogle
		if r.Float64() < 0.4 {
			b.TrackingOn = SourceYelp
		}
	}
}

// drawReviews picks the ratings and review counts on Google and Yelp, and
// whether the business is open.
func drawReviews(r *rand.Rand, b *Business) {
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
}

// drawListingDetails picks how OSM mappers tagged the business and the
// details of its Yelp listing.
func drawListingDetails(r *rand.Rand, b *Business) {
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
