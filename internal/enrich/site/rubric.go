package site

import (
	"fmt"
	"time"
)

// The three scores start at 100 and lose the points of each penalty that
// applies, clamped to 0–100. Every penalty is listed in the Analysis it
// was computed for, and rubric.md explains each number; TestRubricDoc keeps
// the two in step.
//
// WebsiteScore — one penalty per signal:
//
//	http_error 80, not_html 80     the home page does not work
//	empty_page 60, parked_domain 60  there is no website to speak of
//	ssl_invalid 25                 browsers show a warning page
//	no_https 20                    browsers say "Not secure"
//	no_viewport 15, flash 15, under_construction 15
//	table_layout 12, frames 12
//	slow_response 10, dated_tech 10
//	old_copyright 8, missing_title 8
//	old_jquery 6, font_tags 6, marquee_or_blink 6
//	spacer_gif 5, heavy_page 5, mixed_content 5, ssl_expiring 5
//	old_doctype 4, best_viewed_in 4, missing_meta_description 4, old_php 4
//
// MobileScore — how the page fares on a phone:
//
//	failed 100            the page did not load (error, empty, not HTML)
//	no_viewport 40        no <meta viewport>: a shrunken desktop page
//	fixed_viewport 25     a viewport, but not width=device-width
//	zoom_disabled 5       user-scalable=no or maximum-scale=1
//	no_responsive_css 15  no width media query, srcset, or responsive
//	                      framework or builder
//	fixed_width 15        a table, cell, div or inline style 700px or wider
//	flash 15              Flash never ran on phones
//	table_layout 10, frames 10
//	small_fonts 8         3+ <font size=1|2|-n> or inline font-size < 12px
//	tap_targets 7         3+ image-map areas or 10+ links in small text
//	page_weight 5 / 10    HTML over 512 KiB / over 1 MiB (or cut)
//	no_tel_link 5         no tap-to-call link, for a local business
//
// PageSpeed — a heuristic from what one fetch measures, replaced by
// Lighthouse's performance score when PageSpeed Insights is configured:
//
//	failed 100
//	ttfb       ≤200 ms 0, ≤500 5, ≤800 10, ≤1800 20, slower 30
//	load_time  ≤1 s 0, ≤2.5 s 10, ≤4 s 20, slower 30
//	page_weight  HTML ≤100 KiB 0, ≤250 KiB 5, ≤500 KiB 10, ≤1 MiB 15, more 20
//	render_blocking  sync scripts and stylesheets in <head>: >4 5, >8 10
//	requests   subresources referenced: >40 5, >80 10
//
// An unmeasured time (zero) costs nothing: the fetcher always measures, and
// a test page without timings should not look slow.

// websitePoints is what each signal costs WebsiteScore.
var websitePoints = map[string]int{
	SignalHTTPError:         80,
	SignalNotHTML:           80,
	SignalEmptyPage:         60,
	SignalParkedDomain:      60,
	SignalSSLInvalid:        25,
	SignalNoHTTPS:           20,
	SignalNoViewport:        15,
	SignalFlash:             15,
	SignalUnderConstruction: 15,
	SignalTableLayout:       12,
	SignalFrames:            12,
	SignalSlowResponse:      10,
	SignalDatedTech:         10,
	SignalOldCopyright:      8,
	SignalMissingTitle:      8,
	SignalOldJQuery:         6,
	SignalFontTags:          6,
	SignalMarqueeOrBlink:    6,
	SignalSpacerGIF:         5,
	SignalHeavyPage:         5,
	SignalMixedContent:      5,
	SignalSSLExpiring:       5,
	SignalOldDoctype:        4,
	SignalBestViewedIn:      4,
	SignalMissingMetaDesc:   4,
	SignalOldPHP:            4,
}

// Mobile penalties.
const (
	mobileFailed          = 100
	mobileNoViewport      = 40
	mobileFixedViewport   = 25
	mobileZoomDisabled    = 5
	mobileNoResponsiveCSS = 15
	mobileFixedWidth      = 15
	mobileFlash           = 15
	mobileTableLayout     = 10
	mobileFrames          = 10
	mobileSmallFonts      = 8
	mobileTapTargets      = 7
	mobileHeavy           = 5
	mobileVeryHeavy       = 10
	mobileNoTelLink       = 5

	speedFailed = 100

	smallFontMin  = 3  // small-text elements from which text is too small to read
	imageMapMin   = 3  // image-map areas from which targets are too fiddly
	smallLinksMin = 10 // links in small text from which targets are too small
	mobileHeavyAt = 512 << 10
)

func score(ps []Penalty) int {
	s := 100
	for _, p := range ps {
		s -= p.Points
	}
	return min(100, max(0, s))
}

func websitePenalties(signals []Signal) []Penalty {
	out := []Penalty{}
	for _, s := range signals {
		if pts := websitePoints[s.Code]; pts > 0 {
			out = append(out, Penalty{Code: s.Code, Points: pts, Reason: s.Text})
		}
	}
	return out
}

func (d *Doc) mobilePenalties(a *Analysis, det []detected) []Penalty {
	out := []Penalty{}
	add := func(code string, pts int, reason string, args ...any) {
		out = append(out, Penalty{Code: code, Points: pts, Reason: fmt.Sprintf(reason, args...)})
	}
	if d.failed() {
		add("failed", mobileFailed, "The page did not load, so there is nothing to show on a phone.")
		return out
	}
	switch {
	case !d.hasViewport:
		add("no_viewport", mobileNoViewport, "No mobile viewport: phones render a desktop-width page shrunk to fit.")
	case !a.MobileViewport:
		add("fixed_viewport", mobileFixedViewport, "The viewport is %q, not width=device-width: the page keeps a fixed width on phones.", d.viewport)
	}
	if d.hasViewport && d.zoomDisabled() {
		add("zoom_disabled", mobileZoomDisabled, "The viewport stops visitors from zooming in.")
	}
	if !d.responsiveEvidence(det) {
		add("no_responsive_css", mobileNoResponsiveCSS, "Nothing on the page adapts the layout to narrow screens (no width media queries, responsive images or responsive framework).")
	}
	if d.n.fixedWidth > 0 {
		add("fixed_width", mobileFixedWidth, "%d elements are fixed at %d pixels or wider, more than a phone's screen.", d.n.fixedWidth, fixedWidthPx)
	}
	if d.n.flash > 0 {
		add("flash", mobileFlash, "Flash content never ran on phones.")
	}
	if has(a.Signals, SignalTableLayout) {
		add("table_layout", mobileTableLayout, "A table layout cannot reflow to a narrow screen.")
	}
	if d.n.frames > 0 {
		add("frames", mobileFrames, "Frames do not fit a phone's screen.")
	}
	if small := d.n.smallFontTags + d.n.smallFontStyles; small >= smallFontMin {
		add("small_fonts", mobileSmallFonts, "%d pieces of text are set below 12 pixels, too small to read on a phone.", small)
	}
	if d.n.areas >= imageMapMin || d.n.smallFontLinks >= smallLinksMin {
		add("tap_targets", mobileTapTargets, "Links are image-map hotspots (%d) or set in small text (%d): hard to tap.", d.n.areas, d.n.smallFontLinks)
	}
	switch w := a.PageWeightBytes; {
	case d.page.Truncated || w > heavyPageBytes:
		add("page_weight", mobileVeryHeavy, "The HTML alone is %s, slow on a mobile connection.", humanBytes(w, d.page.Truncated))
	case w > mobileHeavyAt:
		add("page_weight", mobileHeavy, "The HTML alone is %s, heavy on a mobile connection.", humanBytes(w, false))
	}
	if d.n.telLinks == 0 {
		add("no_tel_link", mobileNoTelLink, "No tap-to-call (tel:) link for phone visitors.")
	}
	return out
}

func (d *Doc) speedPenalties() []Penalty {
	out := []Penalty{}
	add := func(code string, pts int, reason string, args ...any) {
		if pts > 0 {
			out = append(out, Penalty{Code: code, Points: pts, Reason: fmt.Sprintf(reason, args...)})
		}
	}
	p := &d.page
	if d.failed() {
		add("failed", speedFailed, "The page did not load.")
		return out
	}
	add("ttfb", step(p.TTFB, ttfbLimits, ttfbPoints),
		"The first byte took %d ms (good is 200 ms or less; Google calls over 1800 ms poor).", p.TTFB.Milliseconds())
	add("load_time", step(p.Total, loadLimits, loadPoints),
		"The page took %d ms to load (Google's largest-paint thresholds are 2.5 s and 4 s).", p.Total.Milliseconds())
	weight := p.Bytes
	if weight <= 0 {
		weight = int64(len(p.Body))
	}
	wp := step(time.Duration(weight), weightLimits, weightPoints)
	if p.Truncated {
		wp = weightPoints[len(weightPoints)-1]
	}
	add("page_weight", wp, "The HTML weighs %s.", humanBytes(weight, p.Truncated))
	add("render_blocking", stepInt(d.n.headBlocking, blockingLimits, blockingPoints),
		"%d scripts and stylesheets block the first paint.", d.n.headBlocking)
	add("requests", stepInt(d.n.requests, requestLimits, requestPoints),
		"The page references %d scripts, stylesheets, images and frames.", d.n.requests)
	return out
}

// PageSpeed steps: a value up to limits[i] costs points[i], beyond the
// last limit the last points. Weights are byte counts held in a Duration
// so that one step function serves both.
var (
	ttfbLimits     = []time.Duration{200 * time.Millisecond, 500 * time.Millisecond, 800 * time.Millisecond, 1800 * time.Millisecond}
	ttfbPoints     = []int{0, 5, 10, 20, 30}
	loadLimits     = []time.Duration{time.Second, 2500 * time.Millisecond, 4 * time.Second}
	loadPoints     = []int{0, 10, 20, 30}
	weightLimits   = []time.Duration{100 << 10, 250 << 10, 500 << 10, 1 << 20}
	weightPoints   = []int{0, 5, 10, 15, 20}
	blockingLimits = []int{4, 8}
	blockingPoints = []int{0, 5, 10}
	requestLimits  = []int{40, 80}
	requestPoints  = []int{0, 5, 10}
)

// step returns pts[i] for the first limit v is within, the last otherwise;
// zero (unmeasured) costs nothing.
func step(v time.Duration, limits []time.Duration, pts []int) int {
	if v <= 0 {
		return 0
	}
	for i, l := range limits {
		if v <= l {
			return pts[i]
		}
	}
	return pts[len(pts)-1]
}

func stepInt(v int, limits []int, pts []int) int {
	for i, l := range limits {
		if v <= l {
			return pts[i]
		}
	}
	return pts[len(pts)-1]
}

func has(signals []Signal, code string) bool {
	for _, s := range signals {
		if s.Code == code {
			return true
		}
	}
	return false
}
