package site

import "testing"

func TestFoundingYear(t *testing.T) {
	t.Parallel()
	// fetchedAt is in 2025.
	for _, tc := range []struct {
		text string
		want int // 0: none
	}{
		// Stated founding years.
		{"Since 1998", 1998},
		{"Quality roofing since 1998.", 1998},
		{"Established in 1987", 1987},
		{"ESTABLISHED 1987", 1987},
		{"Est. 2001", 2001},
		{"est 2001 · Springfield", 2001},
		{"Estd. 2001", 2001},
		{"Founded in 1975", 1975},
		{"Founded: 1975", 1975},
		{"Founded by Joe and Maria Smith in 1964, we are now run by their grandchildren.", 1964},
		{"Incorporated in 1990", 1990},
		{"Serving Austin since 1992", 1992},
		{"In business since 1983!", 1983},
		{"We opened our doors in 1995.", 1995},
		{"Dad started the business in 1988.", 1988},
		{"Family owned for 25 years", 2000},
		{"Family-owned and operated for 40 years.", 1985},
		{"Proudly serving the Springfield area for 30 years.", 1995},
		{"We have been in business for 12 years.", 2013},
		{"35 years in business", 1990},
		{"Celebrating 50 years of fresh bread", 1975},
		{"Est. 1887", 1887},
		// A stronger phrase beats a weaker one; among equals the oldest wins.
		{"Founded in 1975. BBB accredited since 2005. Serving you since 1980.", 1975},
		{"Serving Dallas since 1998 and Fort Worth since 1990.", 1990},
		{"Since 2010, and family owned for 25 years.", 2010},

		// Not founding years.
		{"Over 30 years of experience", 0},
		{"30 years of experience", 0},
		{"Our techs have over 30 years of combined experience.", 0},
		{"Family owned for over 25 years", 0},
		{"In business for more than 20 years", 0},
		{"With over 25 years in business", 0},
		{"25+ years in business", 0},
		{"Celebrating over 40 years", 0},
		{"© 1998–2024 Joe's Plumbing", 0},
		{"Copyright 1998 Joe's Plumbing", 0},
		{"Call 1-800-555-1998 today", 0},
		{"Filters from $1999", 0},
		{"Serving you since 2099", 0}, // in the future
		{"Established in 1700", 0},    // implausible
		{"Established in 17", 0},
		{"Proud BBB member since 2005", 0},
		{"Angi Super Service Award winner since 2012", 0},
		{"Google partner since 2019", 0},
		{"Founded on honesty and hard work", 0},
		{"Est. 25 minutes from downtown", 0},
		{"We've been serving since we opened", 0},
		{"Room 1975, 19th floor", 0},
		{"", 0},
	} {
		got, ok := foundingYear(asciiLower(tc.text), fetchedAt)
		if !ok {
			got = 0
		}
		if got != tc.want {
			t.Errorf("foundingYear(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

func TestTeamSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want string // "": none
	}{
		{"Our team of 12 is ready to help.", "11-50"},
		{"our team of 12", "11-50"},
		{"12 employees", "11-50"},
		{"We have 12 full-time employees.", "11-50"},
		{"a team of 40 technicians", "11-50"},
		{"40 certified technicians on call", "11-50"},
		{"A staff of 8", "1-10"},
		{"a crew of 6 carpenters", "1-10"},
		{"25 team members", "11-50"},
		{"a team of twelve", "11-50"},
		{"a team of two brothers", "1-10"},
		{"over 50 employees", "51-200"},
		{"more than 10 employees", "11-50"},
		{"nearly 200 employees", "51-200"},
		{"a workforce of 1,200", "500+"},
		{"over 500 employees", "500+"},
		{"300 employees", "201-500"},
		{"team of one hundred", "51-200"},
		{"We have 12 employees and a team of 40 technicians.", "11-50"},
		{"7 employees. Our crew of 60 installers.", "51-200"},

		// Not headcounts.
		{"Our team of experts", ""},
		{"500 happy customers", ""},
		{"Over 1,000 satisfied clients", ""},
		{"24/7 staff", ""},
		{"Available 24/7. Staff on call.", ""},
		{"10 trucks on the road", ""},
		{"3 locations", ""},
		{"20 years of experience", ""},
		{"Our team of 5-star rated plumbers", ""},
		{"Our team has 100% satisfaction", ""},
		{"team of 0", ""},
		{"", ""},
	} {
		got := ""
		if n, ok := teamSize(asciiLower(tc.text)); ok {
			got = employeeBucket(n)
		}
		if got != tc.want {
			t.Errorf("teamSize(%q) bucket = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestEmployeeBucket(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n    int
		want string
	}{{1, "1-10"}, {10, "1-10"}, {11, "11-50"}, {50, "11-50"}, {51, "51-200"}, {200, "51-200"}, {201, "201-500"}, {500, "201-500"}, {501, "500+"}} {
		if got := employeeBucket(tc.n); got != tc.want {
			t.Errorf("employeeBucket(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// TestFactsNeverInvented: a page that states nothing gives nil, not a
// guess from its copyright year, its tech or its age.
func TestFactsNeverInvented(t *testing.T) {
	t.Parallel()
	a := Analyze(htmlPage(`<html><head><title>Joe's Plumbing</title></head><body>
	<p>Drains, leaks and water heaters. Over 30 years of experience. Our team of experts is available 24/7.</p>
	<p>© 2001-2025 Joe's Plumbing</p></body></html>`))
	if a.YearFounded != nil || a.EmployeeCountEstimate != nil {
		t.Errorf("YearFounded = %v, EmployeeCountEstimate = %v; want nil, nil", fmtPtr(a.YearFounded), fmtPtr(a.EmployeeCountEstimate))
	}
}

func TestFactsFromTitleAndDescription(t *testing.T) {
	t.Parallel()
	a := Analyze(htmlPage(`<html><head><title>Smith Roofing — Since 1979</title>
	<meta name="description" content="A team of 15 roofers serving Tulsa."></head><body><p>Roofs.</p></body></html>`))
	if got := deref(a.YearFounded); got != 1979 {
		t.Errorf("YearFounded = %d, want 1979", got)
	}
	if got := deref(a.EmployeeCountEstimate); got != "11-50" {
		t.Errorf("EmployeeCountEstimate = %q, want 11-50", got)
	}
}
