package town

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/prospectorhq/prospector/internal/textfold"
)

// UnknownLocation is a location every fake geocoder and search knows nothing
// about (any location containing "nowhere" behaves the same).
const UnknownLocation = "Nowhere, ZZ"

// CityOf parses "Austin, TX" (or "Austin, Texas", "Austin") into a fictional
// but stable geography.
func CityOf(location string) City {
	norm := textfold.Phrase(location)
	h := Hash("city|" + norm)
	r := rand.New(rand.NewPCG(h, 0x63697479))
	c := City{Query: location, Country: "United States", CountryCode: "us", Known: true}
	if norm == "" || strings.Contains(norm, "nowhere") {
		c.Known = false
		return c
	}
	parts := strings.Split(location, ",")
	c.Name = TitleCase(textfold.Phrase(parts[0]))
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
