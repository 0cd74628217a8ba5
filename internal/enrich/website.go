package enrich

import (
	"context"
	"log/slog"
	"time"

	"github.com/prospectorhq/prospector/internal/enrich/contacts"
	"github.com/prospectorhq/prospector/internal/enrich/site"
	"github.com/prospectorhq/prospector/internal/fetch"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/pagespeed"
)

// maxContactPages bounds the pages fetched per site beyond the home page
// (contact, about, team…): five pages in all.
const maxContactPages = 4

// WebsiteAnalyzer fetches a site's pages through the hardened fetcher and
// analyses them; with PageSpeed configured, Lighthouse's performance scores
// replace the heuristic speed and mobile scores.
type WebsiteAnalyzer struct {
	Fetcher   *fetch.Fetcher
	PageSpeed *pagespeed.Client // nil: off (no PAGESPEED_API_KEY)
	Logger    *slog.Logger
	Now       func() time.Time
}

// SiteFindings is what the website told us.
type SiteFindings struct {
	URL string
	// Reason says why the site could not be analysed; "" when it was.
	Reason   string
	Analysis *site.Analysis
	// Pages are the fetched pages (home first) for contact extraction.
	Pages []Page
	// Lighthouse holds PageSpeed Insights' performance scores when it ran.
	Lighthouse map[pagespeed.Strategy]*pagespeed.Result
	// LighthouseError says why PageSpeed gave nothing, when it was asked.
	LighthouseError string
}

// Page is one fetched HTML page.
type Page struct {
	URL  string
	HTML []byte
}

// Analyse fetches and analyses the site at url. It never fails: what could
// not be learned is recorded as the reason.
func (w *WebsiteAnalyzer) Analyse(ctx context.Context, url string) *SiteFindings {
	f := &SiteFindings{URL: url}
	res, err := w.Fetcher.Get(ctx, url)
	if err != nil {
		f.Reason = fetch.Reason(err)
		return f
	}
	page := w.toPage(res)
	a := site.Analyze(page)
	f.Analysis = &a
	f.Pages = append(f.Pages, Page{URL: res.FinalURL, HTML: res.Body})

	for _, link := range contacts.CandidatePages(res.FinalURL, res.Body) {
		if len(f.Pages) > maxContactPages {
			break
		}
		sub, err := w.Fetcher.Get(ctx, link)
		if err != nil || sub.Status >= 400 {
			continue // a missing contact page is not worth a finding
		}
		f.Pages = append(f.Pages, Page{URL: sub.FinalURL, HTML: sub.Body})
		// "Family owned since 1987" and "our team of 12" live on about pages
		// as often as on the home page.
		if a.YearFounded == nil || a.EmployeeCountEstimate == nil {
			facts := site.Analyze(w.toPage(sub))
			if a.YearFounded == nil {
				a.YearFounded = facts.YearFounded
			}
			if a.EmployeeCountEstimate == nil {
				a.EmployeeCountEstimate = facts.EmployeeCountEstimate
			}
		}
	}

	if w.PageSpeed != nil {
		f.Lighthouse = map[pagespeed.Strategy]*pagespeed.Result{}
		for _, s := range []pagespeed.Strategy{pagespeed.Mobile, pagespeed.Desktop} {
			r, err := w.PageSpeed.Run(ctx, res.FinalURL, s)
			if err != nil {
				f.LighthouseError = providers.Describe(err)
				continue
			}
			f.Lighthouse[s] = &r
		}
	}
	return f
}

func (w *WebsiteAnalyzer) toPage(r *fetch.Result) site.Page {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	p := site.Page{URL: r.URL, FinalURL: r.FinalURL, Status: r.Status, Header: r.Header, Body: r.Body, Truncated: r.Truncated,
		HTTPSRedirect: r.HTTPSRedirect, TTFB: r.TTFB, Total: r.Total, Bytes: r.Bytes, FetchedAt: now()}
	if r.TLS != nil {
		valid := r.TLS.Valid
		p.TLSValid, p.TLSError, p.TLSNotAfter = &valid, r.TLS.Error, r.TLS.NotAfter
	}
	return p
}

// apply copies the findings into the enrichment row and its analysis.
// Scores stay null when the site could not be analysed.
func (s *SiteFindings) apply(r *Result) {
	detail := map[string]any{"url": s.URL}
	r.Analysis["website"] = detail
	if s.Analysis == nil {
		detail["status"], detail["reason"] = WebsiteUnreachable, s.Reason
		return
	}
	a := s.Analysis
	detail["status"] = WebsiteAnalysed
	detail["analysis"] = a
	e := &r.Enrichment
	ws, ms, ps := a.WebsiteScore, a.MobileScore, float64(a.PageSpeed)
	e.WebsiteScore, e.MobileScore, e.PageSpeed = &ws, &ms, &ps
	e.SSLValid, e.YearFounded, e.EmployeeCountEstimate = a.SSLValid, a.YearFounded, a.EmployeeCountEstimate
	e.TechStack = make([]string, 0, len(a.Tech))
	for _, t := range a.Tech {
		e.TechStack = append(e.TechStack, t.Name)
	}
	if len(s.Lighthouse) > 0 {
		lh := map[string]any{}
		if m := s.Lighthouse[pagespeed.Mobile]; m != nil && m.Score != nil {
			score := *m.Score
			e.MobileScore = &score
			lh["mobile"] = m
		}
		if d := s.Lighthouse[pagespeed.Desktop]; d != nil && d.Score != nil {
			speed := float64(*d.Score)
			e.PageSpeed = &speed
			lh["desktop"] = d
		}
		detail["lighthouse"] = lh
	}
	if s.LighthouseError != "" {
		detail["lighthouse_error"] = s.LighthouseError
	}
}
