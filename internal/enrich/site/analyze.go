package site

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Analysis is what one page says about a business's website: the spec's
// enrichments columns it can fill, the dated signals behind them, and the
// penalties each score was computed from, so that every number can be
// explained to the user who sees it.
type Analysis struct {
	URL      string `json:"url"`
	FinalURL string `json:"final_url"`
	Status   int    `json:"status"`

	// SSLValid is whether the final page was served over https with a
	// certificate that verified and named the host; false when the site
	// ends on plain http; nil when the fetcher could not tell.
	SSLValid *bool `json:"ssl_valid"`
	// SSLExpiresInDays counts whole days from FetchedAt to the
	// certificate's expiry, negative once expired; nil when unknown.
	SSLExpiresInDays *int `json:"ssl_expires_in_days"`
	HTTPSRedirect    bool `json:"https_redirect"`
	// MobileViewport: a <meta name="viewport"> with width=device-width.
	MobileViewport  bool  `json:"mobile_viewport"`
	PageWeightBytes int64 `json:"page_weight_bytes"`
	TTFBMillis      int64 `json:"ttfb_ms"`
	LoadMillis      int64 `json:"load_ms"`

	Title           string `json:"title"`
	MetaDescription string `json:"meta_description"`

	// Signals are the dated or broken things found, worst first.
	Signals []Signal `json:"signals"`

	// The scores are 0–100, higher is better, each 100 minus its
	// penalties, clamped; see rubric.md for every penalty and why.
	WebsiteScore     int       `json:"website_score"`
	MobileScore      int       `json:"mobile_score"`
	PageSpeed        int       `json:"page_speed"`
	WebsitePenalties []Penalty `json:"website_penalties"`
	MobilePenalties  []Penalty `json:"mobile_penalties"`
	SpeedPenalties   []Penalty `json:"speed_penalties"`

	// YearFounded and EmployeeCountEstimate are set only when the site
	// states them (see facts.go for the phrases); never estimated.
	YearFounded           *int    `json:"year_founded"`
	EmployeeCountEstimate *string `json:"employee_count_estimate"`

	Tech []Tech `json:"tech_stack"`
}

// Signal is one finding, with a stable code for programs and a sentence
// for people (and for the email writer).
type Signal struct {
	Code  string `json:"code"`
	Text  string `json:"text"`
	Value string `json:"value,omitempty"` // the year, version, count… it is about
}

// Penalty is points taken off a score, and why.
type Penalty struct {
	Code   string `json:"code"`
	Points int    `json:"points"`
	Reason string `json:"reason"`
}

// Signal codes. They are stable: stored, filtered on and shown.
const (
	SignalHTTPError         = "http_error"
	SignalEmptyPage         = "empty_page"
	SignalNotHTML           = "not_html"
	SignalParkedDomain      = "parked_domain"
	SignalNoHTTPS           = "no_https"
	SignalSSLInvalid        = "ssl_invalid"
	SignalSSLExpiring       = "ssl_expiring"
	SignalNoViewport        = "no_viewport"
	SignalFlash             = "flash"
	SignalUnderConstruction = "under_construction"
	SignalTableLayout       = "table_layout"
	SignalFrames            = "frames"
	SignalSlowResponse      = "slow_response"
	SignalDatedTech         = "dated_tech"
	SignalOldCopyright      = "old_copyright"
	SignalMissingTitle      = "missing_title"
	SignalOldJQuery         = "old_jquery"
	SignalFontTags          = "font_tags"
	SignalMarqueeOrBlink    = "marquee_or_blink"
	SignalSpacerGIF         = "spacer_gif"
	SignalHeavyPage         = "heavy_page"
	SignalMixedContent      = "mixed_content"
	SignalOldDoctype        = "old_doctype"
	SignalBestViewedIn      = "best_viewed_in"
	SignalMissingMetaDesc   = "missing_meta_description"
	SignalOldPHP            = "old_php"
)

// Thresholds the signals use; rubric.md explains each.
const (
	slowTTFB         = 1500 * time.Millisecond
	slowTotal        = 5 * time.Second
	heavyPageBytes   = 1 << 20
	oldCopyrightAge  = 3
	sslExpiringDays  = 14
	layoutTableCount = 4 // tables without headers from which a page is laid out with them
)

// Analyze parses the page and analyses it; see Doc.Analyze.
func Analyze(p Page) Analysis { return Parse(p).Analyze() }

// Analyze computes the enrichment columns, signals and scores of a parsed
// page. It is deterministic: the same Page gives the same Analysis.
func (d *Doc) Analyze() Analysis {
	p := &d.page
	a := Analysis{
		URL:             p.URL,
		FinalURL:        p.FinalURL,
		Status:          p.Status,
		HTTPSRedirect:   p.HTTPSRedirect,
		MobileViewport:  d.deviceWidth(),
		PageWeightBytes: p.Bytes,
		TTFBMillis:      p.TTFB.Milliseconds(),
		LoadMillis:      p.Total.Milliseconds(),
		Title:           d.title,
		MetaDescription: d.metaDescription,
	}
	if a.PageWeightBytes <= 0 {
		a.PageWeightBytes = int64(len(p.Body))
	}
	switch {
	case d.final != nil && !d.https:
		a.SSLValid = ptr(false)
	case d.https && p.TLSValid != nil:
		a.SSLValid = ptr(*p.TLSValid)
	}
	if !p.TLSNotAfter.IsZero() {
		days := int(math.Floor(p.TLSNotAfter.Sub(p.FetchedAt).Hours() / 24))
		a.SSLExpiresInDays = &days
	}
	det := d.detect()
	a.Tech = make([]Tech, len(det))
	for i, t := range det {
		a.Tech[i] = t.Tech
	}

	lower := asciiLower(d.factsText())
	if y, ok := foundingYear(lower, p.FetchedAt); ok {
		a.YearFounded = &y
	}
	if n, ok := teamSize(lower); ok {
		a.EmployeeCountEstimate = ptr(employeeBucket(n))
	}

	a.Signals = d.signals(&a, det, lower)
	a.WebsitePenalties = websitePenalties(a.Signals)
	a.MobilePenalties = d.mobilePenalties(&a, det)
	a.SpeedPenalties = d.speedPenalties()
	a.WebsiteScore = score(a.WebsitePenalties)
	a.MobileScore = score(a.MobilePenalties)
	a.PageSpeed = score(a.SpeedPenalties)
	return a
}

func ptr[T any](v T) *T { return &v }

// factsText is where founding years and team sizes are read: what the site
// shows people, its title and description included.
func (d *Doc) factsText() string {
	return d.title + ".\n" + d.metaDescription + ".\n" + d.text
}

// failed says the page cannot be judged on its content: an error status,
// no body, or not a web page.
func (d *Doc) failed() bool {
	s := d.page.Status
	return s < 200 || s >= 300 || d.kind != kindHTML
}

// deviceWidth reads the viewport: width=device-width is what makes a page
// lay out at a phone's width instead of a zoomed-out desktop canvas.
func (d *Doc) deviceWidth() bool {
	for _, kv := range viewportPairs(d.viewport) {
		if kv[0] == "width" && kv[1] == "device-width" {
			return true
		}
	}
	return false
}

func (d *Doc) zoomDisabled() bool {
	for _, kv := range viewportPairs(d.viewport) {
		switch kv[0] {
		case "user-scalable":
			if kv[1] == "no" || kv[1] == "0" {
				return true
			}
		case "maximum-scale":
			if f, err := strconv.ParseFloat(kv[1], 64); err == nil && f <= 1 {
				return true
			}
		}
	}
	return false
}

func viewportPairs(v string) [][2]string {
	var out [][2]string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
		k, val, _ := strings.Cut(part, "=")
		out = append(out, [2]string{strings.TrimSpace(k), strings.TrimSpace(val)})
	}
	return out
}

func (d *Doc) signals(a *Analysis, det []detected, lower string) []Signal {
	var out []Signal
	add := func(code, value, format string, args ...any) {
		out = append(out, Signal{Code: code, Value: value, Text: fmt.Sprintf(format, args...)})
	}
	p := &d.page

	// Transport: these hold whatever the body is.
	switch {
	case d.final != nil && !d.https:
		add(SignalNoHTTPS, "", "The site is served over plain http, without https: browsers mark it \"Not secure\".")
	case d.https && p.TLSValid != nil && !*p.TLSValid:
		why := "it did not verify"
		if p.TLSError != "" {
			why = p.TLSError
		}
		add(SignalSSLInvalid, "", "The site's https certificate is invalid (%s): browsers show a warning page.", why)
	case d.https && a.SSLExpiresInDays != nil && *a.SSLExpiresInDays >= 0 && *a.SSLExpiresInDays < sslExpiringDays:
		add(SignalSSLExpiring, strconv.Itoa(*a.SSLExpiresInDays), "The https certificate expires in %d days.", *a.SSLExpiresInDays)
	}
	if p.TTFB >= slowTTFB || p.Total >= slowTotal {
		add(SignalSlowResponse, fmt.Sprintf("%d ms", max(a.TTFBMillis, a.LoadMillis)),
			"The page is slow: first byte after %d ms, fully loaded after %d ms.", a.TTFBMillis, a.LoadMillis)
	}

	switch {
	case p.Status == 0:
		add(SignalHTTPError, "0", "The site did not answer.")
	case p.Status < 200 || p.Status >= 300:
		add(SignalHTTPError, strconv.Itoa(p.Status), "The home page answers HTTP %d %s.", p.Status, http.StatusText(p.Status))
	}
	switch d.kind {
	case kindEmpty:
		if p.Status != 0 {
			add(SignalEmptyPage, "", "The home page is empty.")
		}
	case kindBinary, kindOther:
		add(SignalNotHTML, d.mediaType, "The home page is not a web page (%s).", d.mediaType)
	}
	if d.failed() {
		// An error page's content is the server's, not the business's.
		return sortSignals(out)
	}

	if parked(lower) {
		add(SignalParkedDomain, "", "The domain shows a parking or for-sale page, not a business website.")
	}
	if d.n.constructionImgs > 0 || strings.Contains(lower, "under construction") ||
		(len(d.text) < 600 && strings.Contains(lower, "coming soon")) {
		add(SignalUnderConstruction, "", "The site says it is under construction.")
	}
	if len(strings.TrimSpace(d.text)) == 0 && len(d.scripts) == 0 && d.n.inlineScripts == 0 && d.n.frames == 0 {
		add(SignalEmptyPage, "", "The home page shows no text.")
	}
	if !a.MobileViewport {
		if d.hasViewport {
			add(SignalNoViewport, d.viewport, "The page sets a fixed viewport (%s): phones show a shrunken desktop page.", d.viewport)
		} else {
			add(SignalNoViewport, "", "The page has no mobile viewport: phones show a shrunken desktop page.")
		}
	}
	if d.n.flash > 0 {
		add(SignalFlash, "", "The page embeds Flash, which no browser has run since 2021.")
	}
	if d.n.nestedTables > 0 || d.n.layoutAttrTables > 0 || d.n.tablesNoTH >= layoutTableCount {
		add(SignalTableLayout, strconv.Itoa(d.n.tables), "The page is laid out with HTML tables (%d), a 1990s technique that cannot adapt to phones.", d.n.tables)
	}
	if d.n.frames > 0 {
		add(SignalFrames, "", "The site uses frames, which break links, bookmarks and search results.")
	}
	if y, ok := newestCopyright(lower, p.FetchedAt); ok && y <= p.FetchedAt.Year()-oldCopyrightAge {
		add(SignalOldCopyright, strconv.Itoa(y), "The newest copyright year on the page is %d.", y)
	}
	if !d.hasTitle {
		add(SignalMissingTitle, "", "The page has no title, which search results and browser tabs show.")
	}
	if d.metaDescription == "" {
		add(SignalMissingMetaDesc, "", "The page has no meta description for search results.")
	}
	if d.n.fontTags >= 2 {
		add(SignalFontTags, strconv.Itoa(d.n.fontTags), "The page styles text with <font> tags (%d), deprecated since 1999.", d.n.fontTags)
	}
	if d.n.marquee+d.n.blink > 0 {
		add(SignalMarqueeOrBlink, "", "The page uses scrolling or blinking text (<marquee>/<blink>).")
	}
	if d.n.spacerGIFs > 0 {
		add(SignalSpacerGIF, strconv.Itoa(d.n.spacerGIFs), "The layout is propped up with spacer GIFs (%d).", d.n.spacerGIFs)
	}
	if p.Truncated || a.PageWeightBytes >= heavyPageBytes {
		add(SignalHeavyPage, strconv.FormatInt(a.PageWeightBytes, 10), "The page's HTML alone weighs %s.", humanBytes(a.PageWeightBytes, p.Truncated))
	}
	if d.n.mixedContent > 0 {
		add(SignalMixedContent, strconv.Itoa(d.n.mixedContent), "The https page loads %d resources over plain http, which browsers block or flag.", d.n.mixedContent)
	}
	if dt, old := d.oldDoctype(); old {
		add(SignalOldDoctype, dt, "The page declares an old document type (%s).", dt)
	}
	if strings.Contains(lower, "best viewed in") || strings.Contains(lower, "best viewed with") || strings.Contains(lower, "best viewed at") {
		add(SignalBestViewedIn, "", "The page says it is \"best viewed\" in a particular browser or resolution.")
	}
	var datedWhy, datedNames []string
	for _, t := range det {
		switch {
		case t.Name == "jQuery" && t.Version != "" && major(t.Version) < 3:
			add(SignalOldJQuery, t.Version, "The page runs jQuery %s, a version from before 2016 with known security issues.", t.Version)
		case t.Name == "PHP" && t.Version != "" && major(t.Version) < 8:
			add(SignalOldPHP, t.Version, "The server runs PHP %s, which no longer receives security fixes.", t.Version)
		}
		if t.dated != "" {
			datedWhy = append(datedWhy, t.dated)
			datedNames = append(datedNames, t.Name)
		}
	}
	if len(datedWhy) > 0 {
		add(SignalDatedTech, strings.Join(datedNames, ", "), "The site is built with %s.", joinAnd(datedWhy))
	}
	return sortSignals(out)
}

func joinAnd(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// sortSignals puts the costliest first, then by code, so that lists and
// emails lead with what matters and stay stable across runs.
func sortSignals(s []Signal) []Signal {
	if s == nil {
		return []Signal{}
	}
	slices.SortStableFunc(s, func(a, b Signal) int {
		if pa, pb := websitePoints[a.Code], websitePoints[b.Code]; pa != pb {
			return pb - pa
		}
		return strings.Compare(a.Code, b.Code)
	})
	// One signal per code: an empty page is found both before and after
	// the content checks.
	return slices.CompactFunc(s, func(a, b Signal) bool { return a.Code == b.Code })
}

func (d *Doc) oldDoctype() (string, bool) {
	if !d.hasDoctype {
		return "none (quirks mode)", true
	}
	dt := d.doctype
	if dt == "html" {
		return "", false
	}
	switch {
	case strings.Contains(dt, "html 3"), strings.Contains(dt, "html 2"):
		return "HTML 3.2", true
	case strings.Contains(dt, "html 4"):
		return "HTML 4", true
	case strings.Contains(dt, "xhtml"):
		return "XHTML", true
	}
	return "", false
}

// parkedPhrases are what registrars' parking and for-sale pages say.
var parkedPhrases = []string{
	"this domain is for sale", "this domain may be for sale", "buy this domain",
	"domain is parked", "parked free, courtesy of", "this domain has been registered",
	"the domain has expired", "this domain name has expired",
}

func parked(lower string) bool {
	for _, p := range parkedPhrases {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}

// major reads the leading number of a version ("1.8.3" → 1).
func major(v string) int {
	end := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(v)
	}
	n, err := strconv.Atoi(v[:end])
	if err != nil {
		return math.MaxInt
	}
	return n
}

func humanBytes(n int64, truncated bool) string {
	s := fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	if n < 1<<20 {
		s = fmt.Sprintf("%d KiB", n>>10)
	}
	if truncated {
		s = "more than " + s
	}
	return s
}

// responsiveEvidence says whether anything shows the page adapts to a
// phone's width: media queries on width, responsive images, or a framework
// or builder whose pages reflow.
func (d *Doc) responsiveEvidence(det []detected) bool {
	if d.n.mediaQueries > 0 || d.n.srcsets > 0 || mediaQueries(d.css) > 0 {
		return true
	}
	for _, t := range det {
		if t.responsive {
			return true
		}
	}
	return false
}

// mediaQueries counts @media rules that test a width.
func mediaQueries(css []byte) int {
	n := 0
	for i := 0; ; {
		j := indexFold(css[i:], "@media")
		if j < 0 {
			return n
		}
		i += j + len("@media")
		rule := css[i:min(len(css), i+200)]
		if k := bytes.IndexByte(rule, '{'); k >= 0 {
			rule = rule[:k]
		}
		if indexFold(rule, "width") >= 0 {
			n++
		}
	}
}

// indexFold is bytes.Index for a lowercase ASCII needle, ignoring case.
func indexFold(s []byte, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		j := 0
		for ; j < len(needle); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != needle[j] {
				break
			}
		}
		if j == len(needle) {
			return i
		}
	}
	return -1
}
