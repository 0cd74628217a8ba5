package outreach

import (
	"github.com/prospectorhq/prospector/internal/enrich"
	"github.com/prospectorhq/prospector/internal/store"
)

// FactsFrom gathers what a draft may say about a prospect from its stored
// rows: the listing, the enrichment (nil before enrichment) and research,
// and the contact written to.
func FactsFrom(p store.Prospect, c store.Campaign, e *store.Enrichment, to store.Contact) Facts {
	f := Facts{CompanyName: p.CompanyName, BusinessType: c.BusinessType, City: store.OrEmpty(p.City), State: store.OrEmpty(p.State),
		Website: store.OrEmpty(p.Website), HasWebsite: p.Website != nil && *p.Website != "",
		ContactFirstName: store.OrEmpty(to.FirstName), ContactName: store.OrEmpty(to.Name), ContactTitle: store.OrEmpty(to.Title)}
	if e == nil {
		return f
	}
	f.WebsiteScore, f.MobileScore, f.PageSpeed, f.SSLValid = e.WebsiteScore, e.MobileScore, e.PageSpeed, e.SSLValid
	f.GoogleRating, f.GoogleReviews, f.YelpRating, f.YelpReviews = e.GoogleRating, e.GoogleReviews, e.YelpRating, e.YelpReviews
	f.YearFounded, f.TechStack = e.YearFounded, e.TechStack
	f.CompanySummary, f.PainPoints, f.Hooks = store.OrEmpty(e.CompanySummary), e.PainPoints, e.PersonalizationHooks

	w := enrich.ReadWebsiteReport(e.WebsiteAnalysis)
	if w.Status == enrich.WebsiteUnreachable {
		f.WebsiteReason = w.Reason
	}
	for _, s := range w.Signals {
		f.Signals = append(f.Signals, s.Code)
	}
	return f
}
