package discovery

import "testing"

func TestRegionFromLocation(t *testing.T) {
	for _, tc := range []struct {
		location, want string
	}{
		{"Austin, TX", "US"},
		{"Austin, TX 78701", "US"},
		{"Austin TX", "US"},
		{"austin, texas", "US"},
		{"Brooklyn, New York", "US"},
		{"Washington, D.C.", "US"},
		{"Portland, OR, U.S.A.", "US"},
		{"Toronto, ON, Canada", "CA"},
		{"Toronto, ON M5V 2T6", "CA"},
		{"Vancouver, British Columbia", "CA"},
		{"Toronto", "CA"},
		{"London, UK", "GB"},
		{"Manchester, United Kingdom", "GB"},
		{"Edinburgh, Scotland", "GB"},
		{"London SW1A 1AA", "GB"},
		{"Berlin, Germany", "DE"},
		{"München, DE", "DE"},
		{"Köln, Deutschland", "DE"},
		{"Sydney NSW 2000", "AU"},
		{"Perth, WA", "AU"},
		{"Melbourne, Victoria, Australia", "AU"},
		{"Auckland, New Zealand", "NZ"},
		{"Dublin, Ireland", "IE"},
		{"Cork", "IE"},
		{"Lyon, France", "FR"},
		{"Paris", "FR"},
		{"Barcelona, España", "ES"},
		{"Milano, Italia", "IT"},
		{"Amsterdam, NL", "NL"},
		{"Utrecht, Netherlands", "NL"},
		{"Guadalajara, Jalisco, México", "MX"},
		{"Mexico City", "MX"},
		{"Santa Fe, New Mexico", "US"},
		{"Pune, IN", "IN"},
		{"Bengaluru, Karnataka, India", "IN"},

		// Codes that are both a state and a country read as the state.
		{"Sacramento, CA", "US"},
		{"Wilmington, DE", "US"},
		{"Indianapolis, IN", "US"},
		{"Seattle, WA", "US"},
		{"Paris, TX", "US"},
		{"Dublin, OH", "US"},
		{"London, ON", "CA"},

		{"Springfield", "US"},
		{"", "US"},
		{"somewhere nice", "US"},
	} {
		if got := RegionFromLocation(tc.location); got != tc.want {
			t.Errorf("RegionFromLocation(%q) = %q, want %q", tc.location, got, tc.want)
		}
	}
}
