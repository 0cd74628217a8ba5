package discovery

import "testing"

func TestStreetKey(t *testing.T) {
	for _, tc := range []struct {
		address, number, street string
	}{
		{"435 S. La Cienega Blv.", "435", "s la cienega blvd"},
		{"435 South La Cienega Boulevard", "435", "s la cienega blvd"},
		{"1200 E 6th St", "1200", "e 6th st"},
		{"1200 East Sixth Street", "1200", "e 6th st"},
		{"854 7th ave.  between 54th and 55th sts.", "854", "7th ave"},
		{"854 Seventh Avenue", "854", "7th ave"},
		{"95 Ave. A at 6th St.", "95", "ave a"},
		{"2355 Peachtree Rd.  Peachtree Battle Shopping Center", "2355", "peachtree rd"},
		{"3434 Peachtree Rd. NE", "3434", "peachtree rd ne"},
		{"3434 Peachtree Road Northeast", "3434", "peachtree rd ne"},
		{"3200 Las Vegas Blvd. S", "3200", "las vegas blvd s"},
		{"8358 Sunset Blvd. West", "8358", "sunset blvd w"},
		{"160 Central Park S", "160", "central park s"},
		{"7 Claude La.", "7", "claude ln"},
		{"7 Claude Lane", "7", "claude ln"},
		{"123 De La Vina St", "123", "de la vina st"},
		{"100 W St Louis Ave", "100", "w st louis ave"},
		{"100 West Saint Louis Avenue", "100", "w st louis ave"},
		{"500 Main St Ste 200", "500", "main st"},
		{"500 Main Street, Suite 200, Austin, TX 78701", "500", "main st"},
		{"Suite 200, 500 Main St", "500", "main st"},
		{"2nd Floor, 500 Main St", "500", "main st"},
		{"500 Main St #4B", "500", "main st"},
		{"500 Main St. Apt. 3", "500", "main st"},
		{"293-B Peachtree Rd.", "293", "peachtree rd"},
		{"123-45 Queens Blvd", "123-45", "queens blvd"},
		{"12A Elm Ct", "12", "elm ct"},
		{"123 1/2 Elm St", "123", "elm st"},
		{"1 Margaret Mitchell Sq.", "1", "margaret mitchell sq"},
		{"1000 N Loop 1 Pkwy", "1000", "n loop 1 pkwy"},
		{"200 Ponce-de-Leon Ave", "200", "ponce de leon ave"},
		{"in central park at 67th st.", "", "in central park"},
		{"", "", ""},
	} {
		number, street := StreetKey(tc.address)
		if number != tc.number || street != tc.street {
			t.Errorf("StreetKey(%q) = %q, %q; want %q, %q", tc.address, number, street, tc.number, tc.street)
		}
	}
}

func TestSameStreet(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"435 s. la cienega blv.", "435 South La Cienega Boulevard", true},
		{"3000 w. paradise rd.", "3000 paradise rd.", true},
		{"3434 peachtree rd.", "3434 peachtree rd. ne", true},
		{"2450 broadway  between 90th and 91st sts.", "2450 broadway", true},
		{"804 northpoint", "804 north point st.", true},
		{"102 5th ave.  between 15th and 16th sts.", "102 fifth ave.", true},
		{"200 Ponce de Leon Ave", "200 Ponce-de-Leon Avenue", true},

		{"1 water st.", "1 market st.", false},
		{"210 e. 58th st.", "210 e. 46th st.", false},
		{"100 Main St", "100 Main Ave", false},
		{"100 N Main St", "100 S Main St", false},
		{"100 Main St", "101 Main St", false},
		{"Main St", "Main St", false},
		{"", "", false},
	} {
		if got := sameStreet(parseStreet(tc.a), parseStreet(tc.b)); got != tc.want {
			t.Errorf("sameStreet(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := sameStreet(parseStreet(tc.b), parseStreet(tc.a)); got != tc.want {
			t.Errorf("sameStreet(%q, %q) = %v, want %v: the order matters", tc.b, tc.a, got, tc.want)
		}
	}
}
