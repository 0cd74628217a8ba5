package osm_test

import (
	"reflect"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers/osm"
)

func TestCategoriesCoverCommonTypes(t *testing.T) {
	t.Parallel()
	if n := len(osm.Categories()); n < 40 {
		t.Errorf("table has %d types, want at least 40", n)
	}
	common := []string{
		"plumber", "electrician", "dentist", "roofer", "restaurant", "salon", "lawyer", "accountant", "hvac",
		"landscaper", "bakery", "cafe", "gym", "veterinarian", "chiropractor", "florist", "photographer",
		"real estate agent", "auto repair", "car wash", "locksmith", "painter", "carpenter", "cleaning service",
		"pest control", "insurance agency", "physiotherapist", "optician", "pharmacy", "barber", "spa", "tattoo",
		"hotel", "bar", "pizza", "yoga studio", "daycare", "tutoring", "printing", "moving company",
	}
	for _, typ := range common {
		if _, ok := osm.Lookup(typ); !ok {
			t.Errorf("Lookup(%q) found nothing", typ)
		}
	}
}

func TestLookupFoldsSpellings(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Plumbers", "plumber"},
		{"  plumbing  contractor ", "plumber"},
		{"Dentists", "dentist"},
		{"bakeries", "bakery"},
		{"Real Estate Agents", "real estate agent"},
		{"coffee shops", "cafe"},
		{"Heating & Cooling", "hvac"},
		{"barbershops", "barber"},
		{"attorneys", "lawyer"},
		{"vets", "veterinarian"},
		{"Pizzerias", "pizza"},
		{"movers", "moving company"},
	}
	for _, tt := range tests {
		c, ok := osm.Lookup(tt.in)
		if !ok || c.Type != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.in, c.Type, ok, tt.want)
		}
	}
	if c, ok := osm.Lookup("kite repair"); ok {
		t.Errorf("Lookup of an unknown type found %q", c.Type)
	}
}

func TestSelectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"plumbers", []string{`["craft"="plumber"]`}},
		{"dentist", []string{`["amenity"="dentist"]`, `["healthcare"="dentist"]`}},
		{"barber", []string{`["hairdresser"="barber"]["shop"="hairdresser"]`, `["shop"="barber"]`}},
		{"chiropractors", []string{`["healthcare"="alternative"]["healthcare:speciality"="chiropractic"]`, `["healthcare"="chiropractor"]`}},
		{"cleaning service", []string{`["craft"="cleaning"]`, `["office"="cleaning"]`, `["name"~"cleaning|maids",i]`}},
		{"Kite Repairs", []string{`["name"~"kite repair",i]`}},
		{`o"brien (x)`, []string{`["name"~"o brien x",i]`}},
		{"  ", nil},
	}
	for _, tt := range tests {
		if got := osm.Selectors(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Selectors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
