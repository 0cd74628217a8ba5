package scoring

import (
	"math"
	"slices"
)

// Part is one term of a factor's formula: what it saw and the points it
// gave. The parts of a factor, summed and clamped to 0–100, are its score,
// so a reviewer can recompute any stored score by hand.
type Part struct {
	Code   string `json:"code"`
	Points int    `json:"points"`
}

// Every constant below is explained, with the reasoning, in formulas.md;
// TestFormulasDoc keeps the two in step.

// Website opportunity.
const (
	noWebsitePoints     = 90 // a clear need, but the owner may not want a site
	brokenWebsitePoints = 95 // they already pay for a site that loses them customers
	unmeasuredBase      = 40 // nothing measured: evidence must come from signals
	measuredBonusCap    = 15 // scores already price the signals in; cap the double count
	unmeasuredBonusCap  = 50
	noSSLPoints         = 10
)

// qualityWeights weigh the measured scores into one quality figure. The
// overall website score carries most because it already includes mobile and
// speed penalties of its own.
var qualityWeights = []struct {
	code string
	w    float64
}{{"website_score", 0.5}, {"mobile_score", 0.3}, {"page_speed", 0.2}}

// datedSignalPoints is the evidence each dated-site signal adds. They are
// small because website_score has usually counted them already; they matter
// most when nothing was measured.
var datedSignalPoints = map[string]int{
	"flash":              10,
	"under_construction": 10,
	"no_viewport":        8,
	"table_layout":       6,
	"frames":             6,
	"old_jquery":         5,
	"old_copyright":      5,
	"slow_response":      5,
	"dated_tech":         5,
	"ssl_expiring":       3,
}

// brokenSignals mean the site does not work as a website, whatever the
// fetcher's reachability flag says.
var brokenSignals = []string{"http_error", "parked_domain", "empty_page", "not_html"}

// noSSLSignals are the ways a site can lack valid HTTPS; they count once,
// together with SSLValid=false, because they are the same complaint.
var noSSLSignals = []string{"no_https", "ssl_invalid"}

func hasSignal(in Input, codes ...string) bool {
	return slices.ContainsFunc(in.Signals, func(s string) bool { return slices.Contains(codes, s) })
}

func websiteBroken(in Input) bool {
	return in.HasWebsite && (!in.WebsiteReachable || hasSignal(in, brokenSignals...))
}

func noValidSSL(in Input) bool {
	return (in.SSLValid != nil && !*in.SSLValid) || hasSignal(in, noSSLSignals...)
}

// websiteOpportunity scores how much a web agency could improve: 100 minus
// the measured quality, plus capped evidence from dated signals.
func websiteOpportunity(in Input) (int, []Part) {
	if !in.HasWebsite {
		return noWebsitePoints, []Part{{"no_website", noWebsitePoints}}
	}
	if websiteBroken(in) {
		return brokenWebsitePoints, []Part{{"website_broken", brokenWebsitePoints}}
	}
	var parts []Part
	var sum, wsum float64
	for _, q := range qualityWeights {
		var v *float64
		switch q.code {
		case "website_score":
			v = intToFloat(in.WebsiteScore)
		case "mobile_score":
			v = intToFloat(in.MobileScore)
		case "page_speed":
			v = in.PageSpeed
		}
		if v == nil || math.IsNaN(*v) {
			continue
		}
		sum += q.w * clampF(*v, 0, 100)
		wsum += q.w
	}
	bonusCap := unmeasuredBonusCap
	if wsum > 0 {
		quality := sum / wsum
		parts = append(parts, Part{"measured_quality_gap", round(100 - quality)})
		bonusCap = measuredBonusCap
	} else {
		parts = append(parts, Part{"unmeasured_base", unmeasuredBase})
	}

	var evidence []Part
	if noValidSSL(in) {
		evidence = append(evidence, Part{"no_valid_ssl", noSSLPoints})
	}
	seen := map[string]bool{}
	for _, s := range in.Signals {
		if p, ok := datedSignalPoints[s]; ok && !seen[s] {
			seen[s] = true
			evidence = append(evidence, Part{"signal_" + s, p})
		}
	}
	slices.SortStableFunc(evidence, func(a, b Part) int { return b.Points - a.Points })
	left := bonusCap
	for _, e := range evidence {
		e.Points = min(e.Points, left)
		left -= e.Points
		parts = append(parts, e)
	}
	return sumParts(parts), parts
}

// Review strength.
const (
	noReviewsPoints = 10  // floor: "unknown or none" says new or tiny, not bad
	fullVolume      = 500 // reviews at which volume saturates
	minRating       = 2.0 // ratings at or below this count as no quality
	maxRating       = 5.0
	neutralQuality  = 0.5 // counts without any rating
)

// reviewSummary is the combined Google and Yelp figure reviews are judged on.
type reviewSummary struct {
	Count  int
	Rating *float64 // review-weighted mean of the known ratings
}

func combineReviews(in Input) reviewSummary {
	var s reviewSummary
	var wsum, rsum float64
	add := func(rating *float64, count *int) {
		n := 0
		if count != nil && *count > 0 {
			n = *count
		}
		if rating != nil && !math.IsNaN(*rating) && *rating > 0 {
			// A rating exists only if someone reviewed; a missing count
			// must not erase it.
			w := float64(max(n, 1))
			rsum += w * clampF(*rating, 0, maxRating)
			wsum += w
			n = max(n, 1)
		}
		s.Count += n
	}
	add(in.GoogleRating, in.GoogleReviews)
	add(in.YelpRating, in.YelpReviews)
	if wsum > 0 {
		r := rsum / wsum
		s.Rating = &r
	}
	return s
}

// reviewStrength is a floor plus log-scaled volume times rating quality:
// 10 + 90 × volume × quality.
func reviewStrength(in Input) (int, []Part) {
	s := combineReviews(in)
	if s.Count == 0 {
		return noReviewsPoints, []Part{{"no_reviews_floor", noReviewsPoints}}
	}
	volume := math.Min(1, math.Log10(1+float64(s.Count))/math.Log10(1+fullVolume))
	quality := neutralQuality
	if s.Rating != nil {
		quality = clampF((*s.Rating-minRating)/(maxRating-minRating), 0, 1)
	}
	earned := round(90 * volume * quality)
	return noReviewsPoints + earned, []Part{{"no_reviews_floor", noReviewsPoints}, {"volume_x_rating", earned}}
}

// Contact quality: the best contact decides, because one reachable person
// is enough to start a conversation.
const (
	phoneOnlyPoints     = 25
	dmPhoneOnlyPoints   = 30
	invalidEmailPoints  = 5
	noContactPoints     = 0
	verificationUnknown = "unknown"
)

// emailPoints by verification, then by who the address reaches: a
// decision maker, another person, or a role address (info@, office@) that
// someone may or may not forward.
var emailPoints = map[string]struct{ dm, person, role int }{
	"valid":             {100, 80, 60},
	"catch_all":         {70, 55, 45},
	verificationUnknown: {60, 50, 40},
}

func contactPoints(c ContactInput) (int, string) {
	phone, phoneCode := 0, ""
	if c.HasPhone {
		phone, phoneCode = phoneOnlyPoints, "phone_only"
		if c.IsDecisionMaker {
			phone, phoneCode = dmPhoneOnlyPoints, "decision_maker_phone_only"
		}
	}
	if c.Email == "" {
		if phone > 0 {
			return phone, phoneCode
		}
		return noContactPoints, "no_contact"
	}
	v := c.Verification
	if v == "invalid" {
		if phone > invalidEmailPoints {
			return phone, phoneCode
		}
		return invalidEmailPoints, "invalid_email"
	}
	row, ok := emailPoints[v]
	if !ok {
		v, row = verificationUnknown, emailPoints[verificationUnknown]
	}
	// A role address stays a role address even when the owner reads it:
	// it is shared, so the message competes with every other sender.
	switch {
	case c.IsRole:
		return max(row.role, phone), v + "_role_email"
	case c.IsDecisionMaker:
		return max(row.dm, phone), v + "_decision_maker_email"
	default:
		return max(row.person, phone), v + "_personal_email"
	}
}

// bestContact returns the index of the contact worth the most, preferring
// the primary contact on ties so the reason names the person outreach
// will use; -1 when there are none.
func bestContact(cs []ContactInput) (int, int, string) {
	best, bestPts, bestCode := -1, noContactPoints, "no_contact"
	for i, c := range cs {
		p, code := contactPoints(c)
		if best == -1 || p > bestPts || (p == bestPts && c.IsPrimary && !cs[best].IsPrimary) {
			best, bestPts, bestCode = i, p, code
		}
	}
	return best, bestPts, bestCode
}

func contactQuality(in Input) (int, []Part) {
	_, pts, code := bestContact(in.Contacts)
	return pts, []Part{{code, pts}}
}

// Timing signals: each is a reason to write now rather than next quarter.
const (
	siteDownPoints        = 35
	sslExpiredPoints      = 35
	sslExpiringSoonPoints = 30 // within sslSoonDays
	sslExpiringPoints     = 15 // within sslLaterDays
	sslSignalPoints       = 25 // ssl_expiring seen but no day count
	sslSoonDays           = 30
	sslLaterDays          = 60
	copyrightOldYears     = 5
	copyrightOldPoints    = 25
	copyrightDatedYears   = 3
	copyrightDatedPoints  = 15
	copyrightSignalPoints = 15 // old_copyright seen but no year
	newBusinessYears      = 1
	newBusinessPoints     = 30
	youngBusinessYears    = 3
	youngBusinessPoints   = 15
)

func timingSignals(in Input) (int, []Part) {
	var parts []Part
	if websiteBroken(in) {
		parts = append(parts, Part{"site_down", siteDownPoints})
	}
	if d := in.SSLExpiresInDays; d != nil && in.HasWebsite {
		switch {
		case *d < 0:
			parts = append(parts, Part{"ssl_expired", sslExpiredPoints})
		case *d <= sslSoonDays:
			parts = append(parts, Part{"ssl_expiring_soon", sslExpiringSoonPoints})
		case *d <= sslLaterDays:
			parts = append(parts, Part{"ssl_expiring", sslExpiringPoints})
		}
	} else if hasSignal(in, "ssl_expiring") {
		parts = append(parts, Part{"ssl_expiring_signal", sslSignalPoints})
	}
	// Years need a clock; without one (zero Now) they are skipped rather
	// than measured against year 1.
	year := 0
	if !in.Now.IsZero() {
		year = in.Now.Year()
	}
	if in.CopyrightYear != nil && year > 0 && *in.CopyrightYear <= year {
		switch age := year - *in.CopyrightYear; {
		case age >= copyrightOldYears:
			parts = append(parts, Part{"copyright_old", copyrightOldPoints})
		case age >= copyrightDatedYears:
			parts = append(parts, Part{"copyright_dated", copyrightDatedPoints})
		}
	} else if in.CopyrightYear == nil && hasSignal(in, "old_copyright") {
		parts = append(parts, Part{"copyright_old_signal", copyrightSignalPoints})
	}
	if in.YearFounded != nil && year > 0 && *in.YearFounded <= year {
		switch age := year - *in.YearFounded; {
		case age <= newBusinessYears:
			parts = append(parts, Part{"new_business", newBusinessPoints})
		case age <= youngBusinessYears:
			parts = append(parts, Part{"young_business", youngBusinessPoints})
		}
	}
	return sumParts(parts), parts
}

func sumParts(parts []Part) int {
	t := 0
	for _, p := range parts {
		t += p.Points
	}
	return clamp(t, 0, 100)
}

func intToFloat(p *int) *float64 {
	if p == nil {
		return nil
	}
	f := float64(*p)
	return &f
}

func round(f float64) int { return int(math.Round(f)) }

func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }

func clampF(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
