package discovery

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/golden"
)

// fixtureListing is a listing in testdata/dedup, with the business it
// belongs to (expect) as a person would judge it.
type fixtureListing struct {
	Expect      string   `json:"expect"`
	Name        string   `json:"name"`
	Website     string   `json:"website"`
	Phone       string   `json:"phone"`
	Address     string   `json:"address"`
	City        string   `json:"city"`
	State       string   `json:"state"`
	Zip         string   `json:"zip"`
	Rating      *float64 `json:"rating"`
	ReviewCount *int     `json:"review_count"`
	Categories  []string `json:"categories"`
	Source      string   `json:"source"`
	SourceID    string   `json:"source_id"`
}

func loadListings(t *testing.T, name string) ([]Business, []string) {
	t.Helper()
	var fixtures []fixtureListing
	if err := json.Unmarshal(golden.Read(t, name), &fixtures); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var listings []Business
	var expect []string
	for _, f := range fixtures {
		b := Business{
			Name: f.Name, Website: f.Website, Phone: f.Phone, Address: f.Address,
			City: f.City, State: f.State, Zip: f.Zip, Rating: f.Rating,
			ReviewCount: f.ReviewCount, Categories: f.Categories,
			Source: f.Source, SourceID: f.SourceID,
		}
		b.Normalize("US")
		listings = append(listings, b)
		expect = append(expect, f.Expect)
	}
	return listings, expect
}

// TestDeduperGroupsListings feeds one search's listings from three sources
// and checks that the campaign ends up with one prospect per business.
func TestDeduperGroupsListings(t *testing.T) {
	listings, expect := loadListings(t, "dedup/austin_listings.json")
	d := NewDeduper()
	groupOf := map[int]string{}
	for i, b := range listings {
		idx, _ := d.Add(b)
		if g, ok := groupOf[idx]; ok && g != expect[i] {
			t.Errorf("%q (%s) was merged into %q", b.Name, b.Source, g)
		}
		groupOf[idx] = expect[i]
	}
	indexOf := map[string]int{}
	for idx, g := range groupOf {
		if other, ok := indexOf[g]; ok {
			t.Errorf("%q was kept as two businesses: %q and %q", g, d.Business(other).Name, d.Business(idx).Name)
		}
		indexOf[g] = idx
	}
	if want := len(indexOf); d.Len() != want {
		t.Errorf("Len() = %d, want %d businesses", d.Len(), want)
	}

	joes := d.Business(indexOf["joes plumbing"])
	assertBusiness(t, joes, map[string]string{
		"Name":        "Joe's Plumbing LLC",
		"Website":     "https://joesplumbing.com",
		"Domain":      "joesplumbing.com",
		"Phone":       "+15125550142",
		"Address":     "1200 East Sixth Street, Suite 4",
		"Zip":         "78702",
		"Rating":      "4.6",
		"ReviewCount": "120",
		"Categories":  "Plumber|Water Heater Installation/Repair",
		"Source":      "google_maps/gm-joes",
		"Sources":     "google_maps|yelp|osm",
	})
}

// A second run of discovery, seeded with the prospects the first run saved,
// must not add any of the same listings again.
func TestDeduperSeededRerunAddsNothing(t *testing.T) {
	listings, _ := loadListings(t, "dedup/austin_listings.json")
	first := NewDeduper()
	for _, b := range listings {
		first.Add(b)
	}
	saved := first.Businesses()

	second := NewDeduper()
	for _, b := range saved {
		second.Seed(b)
	}
	for _, b := range listings {
		if i, merged := second.Add(b); !merged || i >= len(saved) {
			t.Errorf("re-run listing %q (%s) was not matched to its saved prospect", b.Name, b.Source)
		}
	}
	if second.Len() != len(saved) {
		t.Errorf("re-run holds %d businesses, want the %d saved", second.Len(), len(saved))
	}
}

// Seeded prospects are distinct rows already: seeding never merges them,
// even when they look alike.
func TestDeduperSeedNeverMerges(t *testing.T) {
	d := NewDeduper()
	a := d.Seed(Business{Name: "Joe's Plumbing", Phone: "+15125550142"})
	b := d.Seed(Business{Name: "Joes Plumbing", Phone: "+15125550142"})
	if a == b || d.Len() != 2 {
		t.Fatalf("seeding merged two prospects: indexes %d, %d, Len %d", a, b, d.Len())
	}
	if i, merged := d.Add(Business{Name: "Joe's Plumbing LLC", Phone: "+15125550142"}); !merged || i != a {
		t.Errorf("Add = %d, %v; want the first matching prospect %d", i, merged, a)
	}
}

func TestSame(t *testing.T) {
	joes := Business{Name: "Joe's Plumbing", Website: "https://joesplumbing.com", Phone: "+15125550142", Address: "1200 E 6th St", Zip: "78702"}
	onFacebook := Business{Name: "Joe's Plumbing", Website: "https://facebook.com/joesplumbing"}
	for _, tc := range []struct {
		name string
		a, b Business
		want bool
	}{
		{"same listing", joes, joes, true},
		{"only the website in common", joes, Business{Name: "JP Services", Website: "http://www.joesplumbing.com/about"}, true},
		{"website subdomain", joes, Business{Name: "Joe", Website: "https://shop.joesplumbing.com"}, true},
		{"phone and name", joes, Business{Name: "Joes Plumbing LLC", Phone: "+15125550142"}, true},
		{"street and name", joes, Business{Name: "Joe's Plumbing Co.", Address: "1200 East Sixth Street Suite 4"}, true},
		{"phone, name of another business", joes, Business{Name: "Capital Dental", Phone: "+15125550142"}, false},
		{"street, name of another business", joes, Business{Name: "Capital Dental", Address: "1200 E 6th St"}, false},
		{"name only", joes, Business{Name: "Joe's Plumbing"}, false},
		{"name and city only", joes, Business{Name: "Joe's Plumbing", City: "Austin"}, false},
		{"street and name, other zip", joes, Business{Name: "Joe's Plumbing", Address: "1200 E 6th St", Zip: "78610"}, false},
		{"street and name, ZIP+4", joes, Business{Name: "Joe's Plumbing", Address: "1200 E 6th St", Zip: "78702-1234"}, true},
		{"both on facebook, same name", onFacebook, Business{Name: "Joe's Plumbing", Website: "https://facebook.com/joes"}, false},
		{"facebook domain filled in by hand", onFacebook, Business{Name: "Lone Star Roofing", Domain: "facebook.com"}, false},
		{"phone as unreadable text", Business{Name: "Joe's Plumbing", Phone: "call us"}, Business{Name: "Joe's Plumbing", Phone: "call us"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Same(tc.a, tc.b); got != tc.want {
				t.Errorf("Same(%+v, %+v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
			if got := Same(tc.b, tc.a); got != tc.want {
				t.Errorf("Same is not symmetric for %+v", tc.b)
			}
		})
	}
}

func TestSameSourceIDs(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b Business
		want bool
	}{
		{
			name: "one listing seen twice, renamed since",
			a:    Business{Name: "Joe's Plumbing", Source: "yelp", SourceID: "y1"},
			b:    Business{Name: "Joe's Plumbing & Heating", Source: "yelp", SourceID: "y1"},
			want: true,
		},
		{
			name: "two listings of one source at one phone",
			a:    Business{Name: "Ritz-Carlton Cafe", Phone: "+14042372700", Source: "yelp", SourceID: "y1"},
			b:    Business{Name: "Ritz-Carlton Grill", Phone: "+14042372700", Source: "yelp", SourceID: "y2"},
			want: false,
		},
		{
			name: "same id in two sources means nothing",
			a:    Business{Name: "Joe's Plumbing", Source: "yelp", SourceID: "1"},
			b:    Business{Name: "Acme Roofing", Source: "osm", SourceID: "1"},
			want: false,
		},
		{
			name: "rows of one import have no ids and can match",
			a:    Business{Name: "Joe's Plumbing", Phone: "+15125550142", Source: "manual"},
			b:    Business{Name: "Joes Plumbing", Phone: "+15125550142", Source: "manual"},
			want: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Same(tc.a, tc.b); got != tc.want {
				t.Errorf("Same = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	rating := func(f float64) *float64 { return &f }
	count := func(n int) *int { return &n }
	into := Business{
		Name: "Joe's Plumbing", Website: "https://facebook.com/joes", Phone: "call us",
		Address: "1200 E 6th St", City: "Austin", Rating: rating(4.9), ReviewCount: count(7),
		Categories: []string{"Plumber"}, Source: "google_maps", SourceID: "g1", Sources: []string{"google_maps"},
	}
	Merge(&into, Business{
		Name: "Joes Plumbing LLC", Website: "https://joesplumbing.com", Domain: "joesplumbing.com",
		Phone: "+15125550142", Address: "1200 E 6th St, Suite 4", City: "Round Rock", State: "TX", Zip: "78702",
		Rating: rating(4.4), ReviewCount: count(210), Categories: []string{"plumber", "Drain Cleaning"},
		Source: "yelp", SourceID: "y1", Sources: []string{"yelp"},
	})
	assertBusiness(t, into, map[string]string{
		"Name":        "Joe's Plumbing",
		"Website":     "https://joesplumbing.com",
		"Domain":      "joesplumbing.com",
		"Phone":       "+15125550142",
		"Address":     "1200 E 6th St, Suite 4",
		"City":        "Austin",
		"State":       "TX",
		"Zip":         "78702",
		"Rating":      "4.4",
		"ReviewCount": "210",
		"Categories":  "Plumber|Drain Cleaning",
		"Source":      "google_maps/g1",
		"Sources":     "google_maps|yelp",
	})

	// Nothing is lost when the other listing knows less.
	before := into
	Merge(&into, Business{Name: "Joe", Phone: "512", Source: "osm", SourceID: "n1", ReviewCount: count(3)})
	want := map[string]string{
		"Name": "Joe's Plumbing", "Website": before.Website, "Phone": before.Phone, "Address": before.Address,
		"Rating": "4.4", "ReviewCount": "210", "Sources": "google_maps|yelp|osm",
	}
	assertBusiness(t, into, want)
}

// assertBusiness checks the named fields of b, written as text: pointers
// dereferenced, lists joined with "|", Source as "source/id".
func assertBusiness(t *testing.T, b Business, want map[string]string) {
	t.Helper()
	got := map[string]string{
		"Name": b.Name, "Website": b.Website, "Domain": b.Domain, "Phone": b.Phone,
		"Address": b.Address, "City": b.City, "State": b.State, "Zip": b.Zip,
		"Categories": strings.Join(b.Categories, "|"), "Sources": strings.Join(b.Sources, "|"),
		"Source": b.Source + "/" + b.SourceID,
	}
	if b.Rating != nil {
		got["Rating"] = fmt.Sprint(*b.Rating)
	}
	if b.ReviewCount != nil {
		got["ReviewCount"] = fmt.Sprint(*b.ReviewCount)
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if got[k] != want[k] {
			t.Errorf("%s = %q, want %q", k, got[k], want[k])
		}
	}
}

func TestBusinessNormalize(t *testing.T) {
	b := Business{
		Name: "  Joe's Plumbing ", Website: "WWW.JoesPlumbing.com/", Phone: "(512) 555-0142",
		Address: " 1200 E 6th St ", Source: "yelp", SourceID: " y1 ",
	}
	b.Normalize("US")
	assertBusiness(t, b, map[string]string{
		"Name": "Joe's Plumbing", "Website": "https://joesplumbing.com", "Domain": "joesplumbing.com",
		"Phone": "+15125550142", "Address": "1200 E 6th St", "Source": "yelp/y1", "Sources": "yelp",
	})

	bad := Business{Name: "Joe", Website: "ht!tp//", Phone: "call us"}
	bad.Normalize("US")
	assertBusiness(t, bad, map[string]string{"Website": "", "Domain": "", "Phone": "call us"})
}

// BenchmarkDeduperAdd adds listings of a metro area's businesses, a fifth of
// them listed twice by a second source; the time per listing should not grow
// with their number, as only listings sharing a key are compared.
func BenchmarkDeduperAdd(b *testing.B) {
	streets := []string{"Main St", "Congress Ave", "E 6th St", "Lamar Blvd", "Oak Hill Dr", "Burnet Rd", "S 1st St"}
	for _, n := range []int{1_000, 10_000, 50_000} {
		listings := make([]Business, 0, n)
		for i := 0; len(listings) < n; i++ {
			l := Business{
				Name:    fmt.Sprintf("Acme Plumbing %d", i),
				Website: fmt.Sprintf("https://acme%d.com", i),
				Phone:   fmt.Sprintf("+1512%07d", i),
				Address: fmt.Sprintf("%d %s", 100+i%9000, streets[i%len(streets)]),
				Source:  "google_maps",
			}
			listings = append(listings, l)
			if i%5 == 0 && len(listings) < n {
				l.Name, l.Website, l.Source = fmt.Sprintf("Acme Plumbing %d LLC", i), "", "yelp"
				listings = append(listings, l)
			}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				d := NewDeduper()
				for _, l := range listings {
					d.Add(l)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/listing")
		})
	}
}
