// Package scoring turns what enrichment learned about a prospect into a lead
// score: four factors of 0–100, a weighted overall score, a tier and a
// reason in plain words. Compute is pure and deterministic (the clock is an
// input), so a score can be recomputed and explained long after it was
// stored; formulas.md explains every number. Qualifier is the score stage
// around it (stored rows in, score and status out), and Adjuster the
// analyst model's bounded nudge.
package scoring

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
)

// Input is what scoring knows about one prospect. Pointers are "unknown
// when nil": unknown never counts as bad, it only earns nothing.
type Input struct {
	HasWebsite       bool     `json:"has_website"`
	WebsiteReachable bool     `json:"website_reachable"`
	WebsiteScore     *int     `json:"website_score"`
	MobileScore      *int     `json:"mobile_score"`
	PageSpeed        *float64 `json:"page_speed"` // 0–100, higher is faster
	SSLValid         *bool    `json:"ssl_valid"`
	SSLExpiresInDays *int     `json:"ssl_expires_in_days"` // negative: expired
	// Signals are the site analysis codes (old_copyright, no_https, …).
	Signals       []string       `json:"signals"`
	CopyrightYear *int           `json:"copyright_year"`
	YearFounded   *int           `json:"year_founded"`
	GoogleRating  *float64       `json:"google_rating"`
	GoogleReviews *int           `json:"google_reviews"`
	YelpRating    *float64       `json:"yelp_rating"`
	YelpReviews   *int           `json:"yelp_reviews"`
	Contacts      []ContactInput `json:"contacts"`
	// Now is the clock the year-based signals are measured against; the
	// caller passes it so the same input always gives the same score.
	Now time.Time `json:"now"`
}

// ContactInput is one contact, reduced to what makes it reachable.
type ContactInput struct {
	// Email is not serialized: scoring_factors must not become a second
	// copy of contact addresses. HasEmail in the JSON says whether one was
	// known, which is all the score used.
	Email string `json:"-"`
	// Verification is the email verification status: valid, invalid,
	// catch_all, unknown or "" (not verified, treated as unknown).
	Verification    string `json:"verification"`
	IsDecisionMaker bool   `json:"is_decision_maker"`
	IsRole          bool   `json:"is_role"`
	IsPrimary       bool   `json:"is_primary"`
	HasPhone        bool   `json:"has_phone"`
}

// MarshalJSON adds has_email in place of the address itself.
func (c ContactInput) MarshalJSON() ([]byte, error) {
	type plain ContactInput
	return json.Marshal(struct {
		HasEmail bool `json:"has_email"`
		plain
	}{c.Email != "", plain(c)})
}

// Score is one prospect's lead score, shaped like a lead_scores row.
type Score struct {
	Overall            int     `json:"overall_score"`
	WebsiteOpportunity int     `json:"website_opportunity"`
	ReviewStrength     int     `json:"review_strength"`
	ContactQuality     int     `json:"contact_quality"`
	TimingSignals      int     `json:"timing_signals"`
	Tier               string  `json:"tier"`
	TierReason         string  `json:"tier_reason"`
	Disqualified       bool    `json:"disqualified"`
	DisqualifyReason   string  `json:"disqualify_reason,omitempty"`
	Factors            Factors `json:"scoring_factors"`
}

// Factors is the scoring_factors column: every input and every term, so a
// stored score can be explained and recomputed without the rows it came
// from (which enrichment may since have overwritten).
type Factors struct {
	Input      Input               `json:"input"`
	Weights    settings.Weights    `json:"weights"` // normalized, as applied
	Thresholds settings.Thresholds `json:"thresholds"`
	// Warnings say where campaign settings were invalid and defaults used
	// instead; scoring never fails a prospect for a campaign's mistake.
	Warnings           []string `json:"warnings,omitempty"`
	WebsiteOpportunity []Part   `json:"website_opportunity"`
	ReviewStrength     []Part   `json:"review_strength"`
	ContactQuality     []Part   `json:"contact_quality"`
	TimingSignals      []Part   `json:"timing_signals"`
	// WeightedScore is the overall score before any adjustment.
	WeightedScore int `json:"weighted_score"`
	// ComputedTier is the tier the score earned; Score.Tier is C when the
	// prospect is disqualified.
	ComputedTier string `json:"computed_tier"`
	// Summary is the reason text without its tier prefix, kept so Adjust
	// can rebuild TierReason.
	Summary      string      `json:"summary"`
	Disqualified []string    `json:"disqualified,omitempty"`
	Adjustment   *Adjustment `json:"adjustment,omitempty"`
}

// Adjustment records an LLM nudge to the overall score.
type Adjustment struct {
	Requested int    `json:"requested"`
	Applied   int    `json:"applied"`
	Reason    string `json:"reason"`
	// Model and PromptVersion say who suggested it (set by Adjuster).
	Model         string `json:"model,omitempty"`
	PromptVersion string `json:"prompt_version,omitempty"`
}

// MaxAdjustment bounds Adjust: a model may reorder close leads, not
// overrule the documented formulas.
const MaxAdjustment = 10

// Compute scores one prospect against a campaign's targeting: its
// weights, thresholds and disqualifying limits (nil: not set, defaults apply).
func Compute(in Input, c settings.Targeting) Score {
	f := Factors{Input: in, Weights: settings.DefaultWeights(), Thresholds: settings.DefaultThresholds()}
	if c.ScoreWeights != nil {
		if w, err := c.ScoreWeights.Normalize(); err != nil {
			f.Warnings = append(f.Warnings, err.Error()+"; default weights used")
		} else {
			f.Weights = w
		}
	}
	if c.TierThresholds != nil {
		if err := c.TierThresholds.Validate(); err != nil {
			f.Warnings = append(f.Warnings, err.Error()+"; default thresholds used")
		} else {
			f.Thresholds = *c.TierThresholds
		}
	}

	var s Score
	s.WebsiteOpportunity, f.WebsiteOpportunity = websiteOpportunity(in)
	s.ReviewStrength, f.ReviewStrength = reviewStrength(in)
	s.ContactQuality, f.ContactQuality = contactQuality(in)
	s.TimingSignals, f.TimingSignals = timingSignals(in)

	w := f.Weights
	weighted := w.WebsiteOpportunity*float64(s.WebsiteOpportunity) +
		w.ReviewStrength*float64(s.ReviewStrength) +
		w.ContactQuality*float64(s.ContactQuality) +
		w.TimingSignals*float64(s.TimingSignals)
	// Weights sum to 1 only up to rounding; clamp so 100.0000001 stays 100.
	s.Overall = clamp(int(math.Round(weighted)), 0, 100)
	f.WeightedScore = s.Overall
	f.Summary = summary(in)
	f.Disqualified = disqualify(in, c)
	s.Factors = f
	return finish(s)
}

// finish derives tier, reason and disqualification from Overall and the
// factors; Compute and Adjust share it so both say the same thing.
func finish(s Score) Score {
	f := &s.Factors
	if f.Thresholds.Validate() != nil {
		// A Score not built by Compute has zero thresholds, which would
		// put everything in tier A.
		f.Thresholds = settings.DefaultThresholds()
	}
	f.ComputedTier = f.Thresholds.Tier(s.Overall)
	s.Tier = f.ComputedTier
	s.TierReason = "Tier " + s.Tier + ": " + f.Summary
	if a := f.Adjustment; a != nil && a.Applied != 0 {
		s.TierReason += fmt.Sprintf("; adjusted %+d: %s", a.Applied, a.Reason)
	}
	s.Disqualified = len(f.Disqualified) > 0
	s.DisqualifyReason = ""
	if s.Disqualified {
		// Tier C keeps a disqualified prospect out of the default
		// tiers_for_outreach even if a caller forgets to check the flag.
		s.Tier = settings.TierC
		s.DisqualifyReason = strings.Join(f.Disqualified, "; ")
		s.TierReason = "Disqualified: " + s.DisqualifyReason
	}
	return s
}

// Adjust moves the overall score by delta, clamped to ±MaxAdjustment, and
// recomputes the tier. It applies to the weighted score, not on top of an
// earlier adjustment, so re-running the model cannot walk a score further
// than MaxAdjustment from its formula.
func Adjust(s Score, delta int, reason string) Score {
	applied := clamp(delta, -MaxAdjustment, MaxAdjustment)
	s.Factors.Adjustment = &Adjustment{Requested: delta, Applied: applied, Reason: strings.TrimSpace(reason)}
	s.Overall = clamp(s.Factors.WeightedScore+applied, 0, 100)
	// Disqualified stays in the copy of Factors; tier and reason are
	// rebuilt from it.
	return finish(s)
}

func disqualify(in Input, c settings.Targeting) []string {
	var out []string
	if c.MaxWebsiteScore != nil && in.WebsiteScore != nil && *in.WebsiteScore > *c.MaxWebsiteScore {
		out = append(out, fmt.Sprintf("website score %d is above the campaign's limit of %d", *in.WebsiteScore, *c.MaxWebsiteScore))
	}
	reviews := reviewCounts(in)
	if c.MinReviews != nil && reviews != nil && *reviews < *c.MinReviews {
		out = append(out, fmt.Sprintf("%s is below the campaign's minimum of %d", plural(*reviews, "review"), *c.MinReviews))
	}
	if c.MinRating != nil {
		if r := combineReviews(in).Rating; r != nil && *r < *c.MinRating {
			out = append(out, fmt.Sprintf("rating %s is below the campaign's minimum of %s", fmtRating(*r), fmtRating(*c.MinRating)))
		}
	}
	return out
}

// reviewCounts is the known review total, or nil when no source gave a
// count: unknown must not disqualify.
func reviewCounts(in Input) *int {
	if in.GoogleReviews == nil && in.YelpReviews == nil {
		return nil
	}
	n := 0
	for _, p := range []*int{in.GoogleReviews, in.YelpReviews} {
		if p != nil && *p > 0 {
			n += *p
		}
	}
	return &n
}

// summary is the plain-words reason: website, reviews, contact and any
// timing, in the order a salesperson would read them.
func summary(in Input) string {
	parts := []string{websitePhrase(in), reviewPhrase(in), contactPhrase(in)}
	if t := timingPhrase(in); t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, ", ")
}

func websitePhrase(in Input) string {
	if !in.HasWebsite {
		return "no website"
	}
	if websiteBroken(in) {
		return "website down or broken"
	}
	opp, _ := websiteOpportunity(in)
	label := "modern website"
	switch {
	case opp >= 60:
		label = "weak website"
	case opp >= 35:
		label = "dated website"
	}
	var detail []string
	if in.WebsiteScore != nil {
		detail = append(detail, "score "+strconv.Itoa(*in.WebsiteScore))
	}
	if noValidSSL(in) {
		detail = append(detail, "no SSL")
	}
	if len(detail) > 0 {
		label += " (" + strings.Join(detail, ", ") + ")"
	}
	return label
}

func reviewPhrase(in Input) string {
	s := combineReviews(in)
	switch {
	case s.Count == 0:
		return "no reviews"
	case s.Rating == nil:
		return plural(s.Count, "review")
	default:
		return fmt.Sprintf("%s★ from %s", fmtRating(*s.Rating), plural(s.Count, "review"))
	}
}

var contactPhrases = map[string]string{
	"no_contact":                     "no contact found",
	"invalid_email":                  "only an invalid email",
	"phone_only":                     "phone only",
	"decision_maker_phone_only":      "decision-maker phone only",
	"valid_decision_maker_email":     "verified decision-maker email",
	"valid_personal_email":           "verified personal email",
	"valid_role_email":               "verified role address only",
	"catch_all_decision_maker_email": "decision-maker email (catch-all domain)",
	"catch_all_personal_email":       "personal email (catch-all domain)",
	"catch_all_role_email":           "role address only (catch-all domain)",
	"unknown_decision_maker_email":   "unverified decision-maker email",
	"unknown_personal_email":         "unverified personal email",
	"unknown_role_email":             "unverified role address only",
}

func contactPhrase(in Input) string {
	_, _, code := bestContact(in.Contacts)
	return contactPhrases[code]
}

var timingPhrases = map[string]func(Input) string{
	"site_down":   func(Input) string { return "" }, // already said by the website phrase
	"ssl_expired": func(Input) string { return "SSL certificate expired" },
	"ssl_expiring_soon": func(in Input) string {
		return "SSL certificate expires in " + plural(*in.SSLExpiresInDays, "day")
	},
	"ssl_expiring": func(in Input) string {
		return "SSL certificate expires in " + plural(*in.SSLExpiresInDays, "day")
	},
	"ssl_expiring_signal":  func(Input) string { return "SSL certificate expiring" },
	"copyright_old":        func(in Input) string { return "copyright " + strconv.Itoa(*in.CopyrightYear) },
	"copyright_dated":      func(in Input) string { return "copyright " + strconv.Itoa(*in.CopyrightYear) },
	"copyright_old_signal": func(Input) string { return "old copyright notice" },
	"new_business":         func(in Input) string { return "new business (founded " + strconv.Itoa(*in.YearFounded) + ")" },
	"young_business":       func(in Input) string { return "young business (founded " + strconv.Itoa(*in.YearFounded) + ")" },
}

func timingPhrase(in Input) string {
	_, parts := timingSignals(in)
	var out []string
	for _, p := range parts {
		if s := timingPhrases[p.Code](in); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// fmtRating shows one decimal, as review sites do.
func fmtRating(r float64) string { return strconv.FormatFloat(r, 'f', 1, 64) }
