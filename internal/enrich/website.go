package enrich

import "context"

// WebsiteAnalyzer fetches a site's pages safely and analyses them.
type WebsiteAnalyzer struct{}

// SiteFindings is what the website told us.
type SiteFindings struct{}

// Analyse fetches and analyses the site at url.
func (w *WebsiteAnalyzer) Analyse(ctx context.Context, url string) *SiteFindings {
	return &SiteFindings{}
}

func (s *SiteFindings) apply(r *Result) {}
