package enrich

import (
	"encoding/json"

	"github.com/prospectorhq/prospector/internal/enrich/site"
)

// Website statuses in website_analysis.website.status.
const (
	WebsiteNone        = "none"        // no website on record
	WebsiteSkipped     = "skipped"     // website analysis is not configured
	WebsiteUnreachable = "unreachable" // fetched but not analysable; Reason says why
	WebsiteAnalysed    = "analysed"
)

// WebsiteReport is what a stored website_analysis says about the site: the
// part of it later stages (scoring, drafting) read.
type WebsiteReport struct {
	Status           string
	Reason           string
	SSLExpiresInDays *int
	Signals          []site.Signal
}

// ReadWebsiteReport reads the website part of a website_analysis column
// as enrichment writes it (SiteFindings.apply); a missing or unreadable
// column gives the zero report.
func ReadWebsiteReport(raw json.RawMessage) WebsiteReport {
	var wa struct {
		Website struct {
			Status   string         `json:"status"`
			Reason   string         `json:"reason"`
			Analysis *site.Analysis `json:"analysis"`
		} `json:"website"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &wa) != nil {
		return WebsiteReport{}
	}
	r := WebsiteReport{Status: wa.Website.Status, Reason: wa.Website.Reason}
	if a := wa.Website.Analysis; a != nil {
		r.SSLExpiresInDays, r.Signals = a.SSLExpiresInDays, a.Signals
	}
	return r
}
