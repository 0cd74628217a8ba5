package scoring

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/prospectorhq/prospector/internal/enrich"
	"github.com/prospectorhq/prospector/internal/enrich/verify"
	"github.com/prospectorhq/prospector/internal/store"
)

// InputFrom gathers what the stored rows say about a prospect. e is nil
// before enrichment (everything unknown).
func InputFrom(p store.Prospect, e *store.Enrichment, contacts []store.Contact, now time.Time) Input {
	in := Input{HasWebsite: p.Website != nil && *p.Website != "", Now: now}
	for _, c := range contacts {
		ci := ContactInput{IsDecisionMaker: c.IsDecisionMaker, IsPrimary: c.IsPrimary, HasPhone: c.Phone != nil && *c.Phone != ""}
		if c.Email != nil {
			ci.Email = *c.Email
			ci.IsRole = verify.IsRoleAccount(*c.Email)
		}
		if c.EmailVerificationStatus != nil {
			ci.Verification = *c.EmailVerificationStatus
		}
		in.Contacts = append(in.Contacts, ci)
	}
	if e == nil {
		return in
	}
	in.WebsiteScore, in.MobileScore, in.PageSpeed, in.SSLValid = e.WebsiteScore, e.MobileScore, e.PageSpeed, e.SSLValid
	in.GoogleRating, in.GoogleReviews, in.YelpRating, in.YelpReviews = e.GoogleRating, e.GoogleReviews, e.YelpRating, e.YelpReviews
	in.YearFounded = e.YearFounded

	w := enrich.ReadWebsiteReport(e.WebsiteAnalysis)
	in.WebsiteReachable = w.Status == enrich.WebsiteAnalysed || in.WebsiteScore != nil
	in.SSLExpiresInDays = w.SSLExpiresInDays
	for _, s := range w.Signals {
		in.Signals = append(in.Signals, s.Code)
		if s.Code == "old_copyright" {
			if y, err := strconv.Atoi(s.Value); err == nil {
				in.CopyrightYear = &y
			}
		}
	}
	return in
}

// CriteriaFrom reads the scoring settings from a campaign's stored
// target_criteria (validated when it was written; anything unreadable is
// left unset, so defaults apply).
func CriteriaFrom(raw json.RawMessage) Criteria {
	var c struct {
		MaxWebsiteScore *int            `json:"max_website_score"`
		MinReviews      *int            `json:"min_reviews"`
		MinRating       *float64        `json:"min_rating"`
		Weights         json.RawMessage `json:"score_weights"`
		Thresholds      *Thresholds     `json:"tier_thresholds"`
	}
	_ = json.Unmarshal(raw, &c)
	out := Criteria{MaxWebsiteScore: c.MaxWebsiteScore, MinReviews: c.MinReviews, MinRating: c.MinRating, Thresholds: c.Thresholds}
	if len(c.Weights) > 0 && string(c.Weights) != "null" {
		if w, err := ParseWeights(c.Weights); err == nil {
			out.Weights = &w
		}
	}
	return out
}
