package scoring

import (
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
