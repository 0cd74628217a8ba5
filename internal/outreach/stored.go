package outreach

import (
	"encoding/json"

	"github.com/prospectorhq/prospector/internal/store"
)

// FactsFrom gathers what a draft may say about a prospect from its stored
// rows: the listing, the enrichment (nil before enrichment) and research,
// and the contact written to.
func FactsFrom(p store.Prospect, c store.Campaign, e *store.Enrichment, to store.Contact) Facts {
	f := Facts{CompanyName: p.CompanyName, BusinessType: c.BusinessType, City: deref(p.City), State: deref(p.State),
		Website: deref(p.Website), HasWebsite: p.Website != nil && *p.Website != "",
		ContactFirstName: deref(to.FirstName), ContactName: deref(to.Name), ContactTitle: deref(to.Title)}
	if e == nil {
		return f
	}
	f.WebsiteScore, f.MobileScore, f.PageSpeed, f.SSLValid = e.WebsiteScore, e.MobileScore, e.PageSpeed, e.SSLValid
	f.GoogleRating, f.GoogleReviews, f.YelpRating, f.YelpReviews = e.GoogleRating, e.GoogleReviews, e.YelpRating, e.YelpReviews
	f.YearFounded, f.TechStack = e.YearFounded, e.TechStack
	f.CompanySummary, f.PainPoints, f.Hooks = deref(e.CompanySummary), e.PainPoints, e.PersonalizationHooks

	// website_analysis as enrichment writes it (see enrich.SiteFindings).
	var wa struct {
		Website struct {
			Status   string `json:"status"`
			Reason   string `json:"reason"`
			Analysis *struct {
				Signals []struct {
					Code string `json:"code"`
				} `json:"signals"`
			} `json:"analysis"`
		} `json:"website"`
	}
	_ = json.Unmarshal(e.WebsiteAnalysis, &wa)
	if wa.Website.Status == "unreachable" {
		f.WebsiteReason = wa.Website.Reason
	}
	if a := wa.Website.Analysis; a != nil {
		for _, s := range a.Signals {
			f.Signals = append(f.Signals, s.Code)
		}
	}
	return f
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
