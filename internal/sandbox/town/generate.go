package town

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Generate builds the town for a business type and a location. It is pure:
// the same arguments always give the same businesses.
func Generate(businessType, location string) Town {
	canonical := Canonical(businessType)
	city := CityOf(location)
	k := kindFor(canonical)
	seed := Hash(canonical + "|" + Normalise(location))
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
		idHash := Hash(fmt.Sprintf("%d|%s|%d", seed, b.BaseName, i))
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
		b.YelpAlias = Slug(b.YelpName) + "-" + Slug(city.Name)

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
			b.Domain = strings.ReplaceAll(Slug(b.BaseName), "-", "") + "-" + Slug(city.Name) + ".example"
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
