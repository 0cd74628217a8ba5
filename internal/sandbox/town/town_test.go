package town

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	a := Generate("Plumbers", "Austin, TX")
	b := Generate("plumber", "austin,  tx")
	if !reflect.DeepEqual(a.Businesses, b.Businesses) || a.City.OSMID != b.City.OSMID {
		t.Fatal("the same type and location gave different towns")
	}
	c := Generate("plumber", "Dallas, TX")
	d := Generate("dentist", "Austin, TX")
	if a.Businesses[0].BaseName == c.Businesses[0].BaseName && a.Businesses[1].BaseName == c.Businesses[1].BaseName {
		t.Error("another location gave the same businesses")
	}
	if a.Businesses[0].ID == d.Businesses[0].ID {
		t.Error("another type gave the same business ids")
	}
}

var (
	fictionalLine = regexp.MustCompile(`^01\d\d$`)
	exampleDomain = regexp.MustCompile(`^[a-z0-9-]+\.example$`)
)

func TestTownIsPlainlyFictional(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"plumber", "dentists", "kite repair"} {
		town := Generate(typ, "Springfield, IL")
		if len(town.Businesses) != BusinessesPerTown {
			t.Errorf("%s: %d businesses, want %d", typ, len(town.Businesses), BusinessesPerTown)
		}
		phones, names, domains := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, b := range town.Businesses {
			for _, p := range []*Phone{&b.Phone, b.TrackingPhone} {
				if p != nil && !fictionalLine.MatchString(p.Line) {
					t.Errorf("%s: phone %s is outside 555-0100…0199", typ, p.International())
				}
			}
			if phones[b.Phone.E164()] {
				t.Errorf("%s: phone %s used twice", typ, b.Phone.E164())
			}
			phones[b.Phone.E164()] = true
			if b.TrackingPhone != nil && phones[b.TrackingPhone.E164()] {
				t.Errorf("%s: tracking number %s collides", typ, b.TrackingPhone.E164())
			}
			if names[b.BaseName] {
				t.Errorf("%s: name %q used twice", typ, b.BaseName)
			}
			names[b.BaseName] = true
			if b.Domain != "" {
				if !exampleDomain.MatchString(b.Domain) || domains[b.Domain] {
					t.Errorf("%s: domain %q is not a unique .example domain", typ, b.Domain)
				}
				domains[b.Domain] = true
				if !strings.Contains(b.Website, b.Domain) {
					t.Errorf("%s: website %q is not on %q", typ, b.Website, b.Domain)
				}
			}
			if !b.OnGoogle && !b.OnYelp && !b.OnOSM {
				t.Errorf("%s: %q is on no source", typ, b.BaseName)
			}
		}
	}
}

// The same business must look a little different on each source, as real
// listings do, or deduplication is not exercised.
func TestTownHasRealisticVariation(t *testing.T) {
	t.Parallel()
	town := Generate("plumber", "Austin, TX")
	var all3, onlyOne, renamed, tracking, noWebsite, unit int
	for _, b := range town.Businesses {
		n := 0
		for _, on := range []bool{b.OnGoogle, b.OnYelp, b.OnOSM} {
			if on {
				n++
			}
		}
		switch n {
		case 3:
			all3++
		case 1:
			onlyOne++
		}
		if b.GoogleName != b.YelpName || b.OSMName != b.YelpName {
			renamed++
		}
		if b.TrackingPhone != nil {
			tracking++
		}
		if b.Website == "" {
			noWebsite++
		}
		if b.Unit != "" {
			unit++
		}
	}
	for name, n := range map[string]int{"on all three sources": all3, "on one source only": onlyOne,
		"named differently": renamed, "with a tracking number": tracking, "without website": noWebsite, "with a suite": unit} {
		if n < 5 {
			t.Errorf("only %d businesses %s", n, name)
		}
	}
	b := town.Businesses[0]
	if b.Street.Long() == b.Street.Short() && b.Street.Suffix != "" {
		t.Errorf("street spellings do not differ: %q", b.Street.Long())
	}
	if got := (Phone{AreaCode: "512", Line: "0142"}); got.E164() != "+15125550142" || got.National() != "(512) 555-0142" ||
		got.International() != "+1 512-555-0142" || got.Dotted() != "512.555.0142" {
		t.Errorf("phone formats: %s %s %s %s", got.E164(), got.National(), got.International(), got.Dotted())
	}
}

func TestSourceListsAreEnoughForACampaign(t *testing.T) {
	t.Parallel()
	town := Generate("electrician", "Columbus, OH")
	g, y, o := len(town.OnGoogleList()), len(town.OnYelpList()), len(town.OnOSMList())
	if g < 200 || y < 150 || o < 60 {
		t.Errorf("google %d, yelp %d, osm %d businesses: too few for a campaign of a few hundred", g, y, o)
	}
	if y >= 240 {
		t.Errorf("yelp lists %d businesses; clients stop at 240, so the fixture would hide that cap", y)
	}
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Plumbers", "plumber"},
		{"plumbing", "plumber"},
		{"Coffee Shops", "cafe"},
		{"Real Estate Agents", "real estate agent"},
		{"hair salons", "hair salon"},
		{"Kite Repairs", "kite repair"},
		{"  Heating & Cooling ", "hvac"},
	}
	for _, tt := range tests {
		if got := Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCityOf(t *testing.T) {
	t.Parallel()
	c := CityOf("austin, texas")
	if c.Name != "Austin" || c.State != "TX" || c.StateName != "Texas" || c.OSMType != "relation" || !c.Known {
		t.Errorf("city = %+v", c)
	}
	if c.BBox[0] >= c.Lat || c.BBox[1] <= c.Lat || c.BBox[2] >= c.Lon || c.BBox[3] <= c.Lon {
		t.Errorf("bounding box %v does not hold the center %v,%v", c.BBox, c.Lat, c.Lon)
	}
	if v := CityOf("Pine Village, VT"); v.OSMType != "node" {
		t.Errorf("village OSM type = %q", v.OSMType)
	}
	if CityOf(UnknownLocation).Known || CityOf("").Known {
		t.Error("an unknown location is known")
	}
	if len(Generate("plumber", UnknownLocation).Businesses) != 0 {
		t.Error("an unknown location has businesses")
	}
}
