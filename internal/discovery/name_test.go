package discovery

import "testing"

func TestNameKey(t *testing.T) {
	for _, tc := range []struct {
		name, want string
	}{
		{"Joe's Plumbing, LLC", "joes plumbing"},
		{"JOES PLUMBING L.L.C.", "joes plumbing"},
		{"Joe’s Plumbing L. L. C.", "joes plumbing"},
		{"Acme Plumbing Co., Inc.", "acme plumbing"},
		{"Acme Plumbing Company Incorporated", "acme plumbing"},
		{"Smith & Sons Corp", "smith and sons"},
		{"Smith & Co.", "smith"},
		{"Brown Legal PLLC", "brown legal"},
		{"Baker Tilly LLP", "baker tilly"},
		{"Dental Arts P.C.", "dental arts"},
		{"Widgets Ltd", "widgets"},
		{"The Palm", "palm"},
		{"Palm, The", "palm"},
		{"apple pan  the", "apple pan"},
		{"Tavern on the Green", "tavern on the green"},
		{"Café Müller", "cafe muller"},
		{"Crème Brûlée Bakery", "creme brulee bakery"},
		{"Spago (Beverly Hills)", "spago"},
		{"Bel-Air Hotel", "bel air hotel"},
		{"Smith Holdings LLC dba Joe's Plumbing", "joes plumbing"},
		{"Smith Holdings LLC d/b/a Joe's Plumbing", "joes plumbing"},
		{"The Company", "company"},
		{"Inc.", "inc"},
		{"(Closed)", "closed"},
		{"Joe's Plumbing® • Austin", "joes plumbing austin"},
		{"寿司 Ginza", "寿司 ginza"},
		{"", ""},
	} {
		if got := NameKey(tc.name); got != tc.want {
			t.Errorf("NameKey(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// similarNames is the name half of Same's address and phone rules.
func similarNames(a, b string) bool {
	return nameSimilarity(newNameWords(a), newNameWords(b)) >= sameNameScore
}

func TestSimilarNames(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Joe's Plumbing LLC", "Joes Plumbing", true},
		{"Hotel Bel-Air", "Bel-Air Hotel", true},
		{"Katsu", "Restaurant Katsu", true},
		{"Art's Delicatessen", "Art's Deli", true},
		{"Second Street Grille", "Second Street Grill", true},
		{"Philippe's The Original", "Philippe the Original", true},
		{"Pano's and Paul's", "Pano's & Paul's", true},
		{"McDonald's", "Mc Donalds", true},
		{"Four Seasons Grill Room", "Four Seasons", true},
		{"Austin Plumbing Pros", "Plumbing Pros of Austin", true},

		{"Ritz-Carlton Cafe", "Dining Room at the Ritz-Carlton", false},
		{"Empress Court", "Palace Court", false},
		{"Joe's Plumbing", "Joe's Pizza", false},
		{"Bar Luce", "Bay Luce", false},
		{"Acme Roofing", "Summit Electric", false},
		{"Joe's Plumbing", "", false},
	} {
		if got := similarNames(tc.a, tc.b); got != tc.want {
			t.Errorf("similar(%q, %q) = %v, want %v (score %.2f)", tc.a, tc.b, got, tc.want,
				nameSimilarity(newNameWords(tc.a), newNameWords(tc.b)))
		}
		if got := similarNames(tc.b, tc.a); got != tc.want {
			t.Errorf("similar(%q, %q) = %v, want %v: the order of the names matters", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestJaroWinkler(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.9611},
		{"dwayne", "duane", 0.84},
		{"dixon", "dicksonx", 0.8133},
		{"same", "same", 1},
		{"abc", "", 0},
		{"abc", "xyz", 0},
	} {
		if got := jaroWinkler(tc.a, tc.b); got < tc.want-0.001 || got > tc.want+0.001 {
			t.Errorf("jaroWinkler(%q, %q) = %.4f, want %.4f", tc.a, tc.b, got, tc.want)
		}
	}
}
