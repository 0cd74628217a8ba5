package discovery

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		raw, region string
		want        string
		ok          bool
	}{
		{"(512) 555-0142", "US", "+15125550142", true},
		{"+1 512.555.0142", "US", "+15125550142", true},
		{"512-555-0142 ext 3", "US", "+15125550142", true},
		{"512-555-0142 x3", "US", "+15125550142", true},
		{"1-512-555-0142", "US", "+15125550142", true},
		{"310/246-1501", "US", "+13102461501", true},
		{"212/ 319-1660", "US", "+12123191660", true},
		{"213/651-2030.", "US", "+12136512030", true},
		{"1-800-FLOWERS", "US", "+18003569377", true},
		{"(416) 555-0199", "CA", "+14165550199", true},
		{"(416) 555-0199", "", "+14165550199", true},
		{"0044 20 7946 0958", "US", "+442079460958", true},
		{"011 44 20 7946 0958", "US", "+442079460958", true},
		{"+44 20 7946 0958", "US", "+442079460958", true},
		{"020 7946 0958", "GB", "+442079460958", true},
		{"0044 20 7946 0958", "GB", "+442079460958", true},
		{"+44 (0)20 7946 0958", "GB", "+442079460958", true},
		{"030 1234567", "DE", "+49301234567", true},
		{"06 1234 5678", "IT", "+390612345678", true},
		{"(02) 9374 4000", "AU", "+61293744000", true},
		{"555-0142", "US", "", false},
		{"310/788-", "US", "", false},
		{"call us!", "US", "", false},
		{"", "US", "", false},
		{"12", "US", "", false},
	} {
		got, ok := NormalizePhone(tc.raw, tc.region)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q, %v", tc.raw, tc.region, got, ok, tc.want, tc.ok)
		}
	}
}

// The North American shortcut and the separator stripping must never give
// another answer than the general parser does on the text as written.
func TestNormalizePhoneAgreesWithParser(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	formats := []string{"%s%s%s", "00%s %s %s", "(%s) %s-%s", "%s-%s-%s", "%s.%s.%s", "+1 %s %s %s", "1 (%s) %s-%s", "%s/%s-%s", "+%s %s %s"}
	for _, region := range []string{"US", "CA", "GB", "DE", "FR", "AU"} {
		for range 3000 {
			a := fmt.Sprintf("%03d", rng.IntN(1000))
			b := fmt.Sprintf("%03d", rng.IntN(1000))
			c := fmt.Sprintf("%04d", rng.IntN(10000))
			raw := fmt.Sprintf(formats[rng.IntN(len(formats))], a, b, c)
			got, ok := NormalizePhone(raw, region)
			want, wantOK := referencePhone(t, raw, region)
			if ok != wantOK || got != want {
				t.Fatalf("NormalizePhone(%q, %q) = %q, %v; the parser says %q, %v", raw, region, got, ok, want, wantOK)
			}
		}
	}
}

// referencePhone is NormalizePhone's contract computed with the general
// parser alone (parsePhone), on the text as written.
func referencePhone(t *testing.T, raw, region string) (string, bool) {
	t.Helper()
	if e, ok := parsePhone(raw, region); ok {
		return e, true
	}
	if len(raw) > 2 && raw[:2] == "00" {
		return parsePhone("+"+raw[2:], region)
	}
	return "", false
}
