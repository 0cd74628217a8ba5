package site

import (
	"slices"
	"strings"
	"testing"
	"time"
)

type span struct{ lo, hi int }

func (s span) has(v int) bool { return s.lo <= v && v <= s.hi }

func signalCodes(a Analysis) []string {
	var out []string
	for _, s := range a.Signals {
		out = append(out, s.Code)
	}
	return out
}

func signalValue(a Analysis, code string) (string, bool) {
	for _, s := range a.Signals {
		if s.Code == code {
			return s.Value, true
		}
	}
	return "", false
}

// checkSignals fails t unless a raised every signal of want (with its value,
// where one is given) and none of absent.
func checkSignals(t *testing.T, a Analysis, want map[string]string, absent []string) {
	t.Helper()
	for code, value := range want {
		got, ok := signalValue(a, code)
		if !ok {
			t.Errorf("signal %s missing; got %v", code, signalCodes(a))
		} else if value != "" && got != value {
			t.Errorf("signal %s value = %q, want %q", code, got, value)
		}
	}
	for _, code := range absent {
		if _, ok := signalValue(a, code); ok {
			t.Errorf("signal %s present, want absent; got %v", code, signalCodes(a))
		}
	}
}

func TestAnalyzeFixtures(t *testing.T) {
	t.Parallel()
	pages := fixturePages(t)
	for _, tc := range []struct {
		page                   string
		website, mobile, speed span
		signals                map[string]string // code → value ("" when the value is not checked)
		absent                 []string
		tech                   []Tech // present, with exactly this version
		noTech                 []string
		year                   int // 0: nil
		employees              string
		sslValid               *bool
	}{
		{
			page:    "modern",
			website: span{95, 100}, mobile: span{95, 100}, speed: span{85, 100},
			absent: []string{SignalNoHTTPS, SignalNoViewport, SignalOldCopyright, SignalTableLayout, SignalOldJQuery,
				SignalMissingTitle, SignalMissingMetaDesc, SignalFontTags, SignalOldDoctype, SignalMixedContent, SignalSlowResponse},
			tech: []Tech{
				{"WordPress", "cms", "6.4.2"}, {"Elementor", "builder", "3.18.3"}, {"Google Analytics", "analytics", "GA4"},
				{"jQuery", "js-library", "3.7.1"}, {"jQuery Migrate", "js-library", "3.4.1"}, {"Yoast SEO", "seo", "21.7"},
				{"Contact Form 7", "forms", "5.8.4"}, {"PHP", "language", "8.2.12"}, {"Nginx", "server", "1.24.0"},
				{"Google Fonts", "fonts", ""}, {"Font Awesome", "fonts", ""},
			},
			noTech:    []string{"Wix", "Shopify", "Apache", "Divi", "React"},
			year:      1992, // "Serving Austin since 1992"
			employees: "11-50",
			sslValid:  ptr(true),
		},
		{
			page:    "dated",
			website: span{0, 15}, mobile: span{0, 10}, speed: span{30, 50},
			signals: map[string]string{
				SignalNoHTTPS: "", SignalNoViewport: "", SignalTableLayout: "", SignalFlash: "", SignalFontTags: "",
				SignalOldCopyright: "2011", SignalOldJQuery: "1.8.3", SignalOldPHP: "5.3.10", SignalMarqueeOrBlink: "",
				SignalSpacerGIF: "2", SignalOldDoctype: "HTML 4", SignalDatedTech: "", SignalSlowResponse: "",
				SignalBestViewedIn: "", SignalMissingMetaDesc: "",
			},
			absent: []string{SignalMissingTitle, SignalHTTPError, SignalEmptyPage, SignalFrames},
			tech: []Tech{
				{"jQuery", "js-library", "1.8.3"}, {"Apache", "server", "2.2.22"}, {"PHP", "language", "5.3.10"},
				{"Microsoft FrontPage", "builder", "5.0"}, {"Adobe Dreamweaver", "builder", ""},
			},
			year:     1987, // "established in 1987"; "over 30 years of experience" is not a founding year
			sslValid: ptr(false),
		},
		{
			page:    "wix",
			website: span{90, 100}, mobile: span{90, 100}, speed: span{90, 100},
			tech:   []Tech{{"Wix", "builder", ""}},
			noTech: []string{"WordPress", "Squarespace"},
			year:   2000, // "Family owned for 25 years", fetched in 2025
		},
		{
			page:    "squarespace",
			website: span{90, 100}, mobile: span{90, 100}, speed: span{90, 100},
			tech:      []Tech{{"Squarespace", "builder", ""}, {"Typekit", "fonts", ""}},
			year:      2001, // "Est. 2001"
			employees: "1-10",
		},
		{
			page:    "shopify",
			website: span{90, 100}, mobile: span{90, 100}, speed: span{85, 100},
			tech:      []Tech{{"Shopify", "ecommerce", ""}, {"PayPal", "payments", ""}, {"Cloudflare", "cdn", ""}},
			noTech:    []string{"WordPress", "WooCommerce"},
			year:      2009,
			employees: "11-50", // "a staff of 25"
		},
		{
			page:    "godaddy",
			website: span{90, 99}, mobile: span{90, 100}, speed: span{90, 100},
			signals: map[string]string{SignalMissingMetaDesc: ""},
			tech:    []Tech{{"GoDaddy Website Builder", "builder", "8.0.0000"}},
			year:    1975, // "Founded in 1975 by Walt Kowalski"
		},
		{
			page:    "webflow",
			website: span{90, 100}, mobile: span{90, 100}, speed: span{90, 100},
			tech: []Tech{
				{"Webflow", "builder", ""}, {"jQuery", "js-library", "3.5.1"}, {"Google Tag Manager", "analytics", ""},
				{"Calendly", "booking", ""}, {"Vercel", "hosting", ""},
			},
			employees: "11-50", // "A team of 40 technicians"; "24/7 staff" is not a headcount
		},
		{
			page:    "broken",
			website: span{0, 15}, mobile: span{0, 0}, speed: span{0, 0},
			signals: map[string]string{SignalHTTPError: "500", SignalEmptyPage: "", SignalSlowResponse: ""},
			absent:  []string{SignalMissingTitle, SignalNoViewport, SignalMissingMetaDesc, SignalOldDoctype},
		},
		{
			page:    "binary",
			website: span{0, 20}, mobile: span{0, 0}, speed: span{0, 0},
			signals: map[string]string{SignalNotHTML: "image/png"},
			absent:  []string{SignalMissingTitle, SignalNoViewport, SignalHTTPError},
		},
		{
			page:    "huge",
			website: span{0, 15}, mobile: span{0, 10}, speed: span{20, 50},
			signals: map[string]string{SignalHeavyPage: "", SignalTableLayout: "", SignalNoHTTPS: "", SignalOldJQuery: "1.8.3", SignalSlowResponse: ""},
			tech:    []Tech{{"jQuery", "js-library", "1.8.3"}},
			year:    1987,
		},
	} {
		t.Run(tc.page, func(t *testing.T) {
			t.Parallel()
			a := Analyze(pages[tc.page])
			if !tc.website.has(a.WebsiteScore) {
				t.Errorf("WebsiteScore = %d, want %v; penalties %+v", a.WebsiteScore, tc.website, a.WebsitePenalties)
			}
			if !tc.mobile.has(a.MobileScore) {
				t.Errorf("MobileScore = %d, want %v; penalties %+v", a.MobileScore, tc.mobile, a.MobilePenalties)
			}
			if !tc.speed.has(a.PageSpeed) {
				t.Errorf("PageSpeed = %d, want %v; penalties %+v", a.PageSpeed, tc.speed, a.SpeedPenalties)
			}
			checkSignals(t, a, tc.signals, tc.absent)
			for _, want := range tc.tech {
				i := slices.IndexFunc(a.Tech, func(t Tech) bool { return t.Name == want.Name })
				if i < 0 {
					t.Errorf("tech %s not detected; got %v", want.Name, a.Tech)
				} else if a.Tech[i] != want {
					t.Errorf("tech = %+v, want %+v", a.Tech[i], want)
				}
			}
			for _, name := range tc.noTech {
				if slices.ContainsFunc(a.Tech, func(t Tech) bool { return t.Name == name }) {
					t.Errorf("tech %s detected, want not", name)
				}
			}
			if got := deref(a.YearFounded); got != tc.year {
				t.Errorf("YearFounded = %d, want %d", got, tc.year)
			}
			if got := deref(a.EmployeeCountEstimate); got != tc.employees {
				t.Errorf("EmployeeCountEstimate = %q, want %q", got, tc.employees)
			}
			if tc.sslValid != nil && (a.SSLValid == nil || *a.SSLValid != *tc.sslValid) {
				t.Errorf("SSLValid = %v, want %v", fmtPtr(a.SSLValid), *tc.sslValid)
			}
			checkScoresExplained(t, a)
			checkTechSorted(t, a.Tech)
		})
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func fmtPtr[T any](p *T) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// checkScoresExplained holds every score to its rubric: 100 minus the
// penalties listed, clamped, so a user can always see why.
func checkScoresExplained(t *testing.T, a Analysis) {
	t.Helper()
	for _, s := range []struct {
		name  string
		score int
		ps    []Penalty
	}{{"website", a.WebsiteScore, a.WebsitePenalties}, {"mobile", a.MobileScore, a.MobilePenalties}, {"speed", a.PageSpeed, a.SpeedPenalties}} {
		sum := 0
		for _, p := range s.ps {
			if p.Points <= 0 || p.Code == "" || p.Reason == "" {
				t.Errorf("%s penalty %+v is not explained", s.name, p)
			}
			sum += p.Points
		}
		if want := min(100, max(0, 100-sum)); s.score != want {
			t.Errorf("%s score %d, but its penalties add up to %d", s.name, s.score, sum)
		}
	}
	for _, sig := range a.Signals {
		if sig.Text == "" {
			t.Errorf("signal %s has no text", sig.Code)
		}
	}
}

func checkTechSorted(t *testing.T, ts []Tech) {
	t.Helper()
	for i := 1; i < len(ts); i++ {
		if compareNames(ts[i-1].Name, ts[i].Name) >= 0 {
			t.Errorf("tech not sorted or not unique at %q, %q", ts[i-1].Name, ts[i].Name)
		}
	}
}

// TestScoresOrder checks the property the scores exist for: a dated site
// scores clearly below a modern one and a website builder's, and a broken
// one lowest of all.
func TestScoresOrder(t *testing.T) {
	t.Parallel()
	pages := fixturePages(t)
	score := map[string]Analysis{}
	for name, p := range pages {
		score[name] = Analyze(p)
	}
	for _, good := range []string{"modern", "wix", "squarespace", "shopify", "godaddy", "webflow"} {
		if g, d := score[good].WebsiteScore, score["dated"].WebsiteScore; g < d+50 {
			t.Errorf("website: %s %d, dated %d; want a gap of 50 or more", good, g, d)
		}
		if g, d := score[good].MobileScore, score["dated"].MobileScore; g < d+50 {
			t.Errorf("mobile: %s %d, dated %d; want a gap of 50 or more", good, g, d)
		}
		if g, d := score[good].PageSpeed, score["dated"].PageSpeed; g <= d {
			t.Errorf("speed: %s %d, dated %d; want the modern site faster", good, g, d)
		}
	}
	if b, d := score["broken"].WebsiteScore, score["dated"].WebsiteScore; b > d+5 {
		t.Errorf("website: broken %d scores well above dated %d", b, d)
	}
}

func TestAnalyzeTransport(t *testing.T) {
	t.Parallel()
	body := `<!DOCTYPE html><html><head><title>Joe's</title><meta name="description" content="Plumbing.">` +
		`<meta name="viewport" content="width=device-width"></head><body><p>Hello</p><a href="tel:1">Call</a></body></html>`
	for _, tc := range []struct {
		name     string
		edit     func(*Page)
		sslValid any // true, false or "nil"
		expires  any // days or "nil"
		signal   string
	}{
		{"valid https", func(p *Page) { p.TLSNotAfter = fetchedAt.Add(90 * 24 * time.Hour) }, true, 90, ""},
		{"invalid certificate", func(p *Page) {
			p.TLSValid = ptr(false)
			p.TLSError = "x509: certificate is valid for *.hostgator.com, not joes.example"
		}, false, "nil", SignalSSLInvalid},
		{"expiring certificate", func(p *Page) { p.TLSNotAfter = fetchedAt.Add(5*24*time.Hour + time.Hour) }, true, 5, SignalSSLExpiring},
		{"expired certificate", func(p *Page) {
			p.TLSValid, p.TLSNotAfter = ptr(false), fetchedAt.Add(-3*24*time.Hour)
		}, false, -3, SignalSSLInvalid},
		{"http only", func(p *Page) { p.URL, p.TLSValid = "http://joes.example/", nil }, false, "nil", SignalNoHTTPS},
		{"https fell back to http", func(p *Page) {
			p.URL, p.FinalURL, p.TLSValid, p.TLSError = "https://joes.example/", "http://joes.example/", nil, "connection refused"
		}, false, "nil", SignalNoHTTPS},
		{"tls not checked", func(p *Page) { p.TLSValid = nil }, "nil", "nil", ""},
		{"slow first byte", func(p *Page) { p.TTFB, p.Total = 1600*time.Millisecond, 1700*time.Millisecond }, true, "nil", SignalSlowResponse},
		{"slow load", func(p *Page) { p.TTFB, p.Total = 300*time.Millisecond, 5200*time.Millisecond }, true, "nil", SignalSlowResponse},
		{"not found", func(p *Page) { p.Status = 404 }, true, "nil", SignalHTTPError},
		{"no answer", func(p *Page) { p.Status, p.Body = 0, nil }, true, "nil", SignalHTTPError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := htmlPage(body)
			tc.edit(&p)
			a := Analyze(p)
			if got := fmtPtr(a.SSLValid); got != tc.sslValid {
				t.Errorf("SSLValid = %v, want %v", got, tc.sslValid)
			}
			if got := fmtPtr(a.SSLExpiresInDays); got != tc.expires {
				t.Errorf("SSLExpiresInDays = %v, want %v", got, tc.expires)
			}
			codes := signalCodes(a)
			if tc.signal == "" {
				if len(codes) != 0 {
					t.Errorf("signals %v, want none", codes)
				}
			} else if !slices.Contains(codes, tc.signal) {
				t.Errorf("signals %v, want %s", codes, tc.signal)
			}
			checkScoresExplained(t, a)
		})
	}
}

func TestSignals(t *testing.T) {
	t.Parallel()
	const head = `<!DOCTYPE html><html><head><title>T</title><meta name="description" content="D">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>`
	for _, tc := range []struct {
		name   string
		body   string
		want   map[string]string // signal → value ("" not checked)
		absent []string
	}{
		{"frames", `<html><head><title>T</title></head><frameset cols="20%,80%"><frame src="nav.htm"><frame src="main.htm"></frameset></html>`,
			map[string]string{SignalFrames: "", SignalOldDoctype: "none (quirks mode)", SignalNoViewport: ""}, []string{SignalEmptyPage}},
		{"blink", head + `<blink>Sale!</blink><p>Hi</p>`, map[string]string{SignalMarqueeOrBlink: ""}, nil},
		{"under construction text", head + `<h1>Site under construction</h1><p>Check back soon.</p>`, map[string]string{SignalUnderConstruction: ""}, nil},
		{"under construction gif", head + `<img src="/img/under_construction.gif"><p>Welcome</p>`, map[string]string{SignalUnderConstruction: ""}, nil},
		{"coming soon placeholder", head + `<h1>Coming soon!</h1>`, map[string]string{SignalUnderConstruction: ""}, nil},
		{"coming soon on a real page", head + `<p>New menu coming soon.</p>` + strings.Repeat("<p>Our story, our food, our people, our town. </p>", 20), nil, []string{SignalUnderConstruction}},
		{"parked", head + `<h1>joesplumbing.example</h1><p>This domain is for sale! Inquire now.</p>`, map[string]string{SignalParkedDomain: ""}, nil},
		{"mixed content", head + `<script src="http://cdn.example/x.js"></script><img src="http://cdn.example/a.png"><p>Hi</p>`, map[string]string{SignalMixedContent: "2"}, nil},
		{"fixed viewport", `<!DOCTYPE html><html><head><title>T</title><meta name="description" content="D"><meta name="viewport" content="width=1024"></head><body><p>Hi</p></body></html>`,
			map[string]string{SignalNoViewport: "width=1024"}, nil},
		{"no title", `<!DOCTYPE html><html><head><meta name="description" content="D"><meta name="viewport" content="width=device-width"></head><body><svg><title>icon</title></svg><p>Hi</p></body></html>`,
			map[string]string{SignalMissingTitle: ""}, nil},
		{"xhtml doctype", `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html><head><title>T</title></head><body><p>Hi</p></body></html>`,
			map[string]string{SignalOldDoctype: "XHTML"}, nil},
		{"copyright range, old", head + `<p>Copyright &copy; 2009-2013 Joe's</p>`, map[string]string{SignalOldCopyright: "2013"}, nil},
		{"copyright range, short end", head + `<p>(c) 2009-13 Joe's</p>`, map[string]string{SignalOldCopyright: "2013"}, nil},
		{"copyright range, current", head + `<p>© 2009–2024 Joe's</p>`, nil, []string{SignalOldCopyright}},
		{"copyright two years ago", head + `<p>© 2023 Joe's</p>`, nil, []string{SignalOldCopyright}},
		{"copyright three years ago", head + `<p>© 2022 Joe's</p>`, map[string]string{SignalOldCopyright: "2022"}, nil},
		{"copyright in a script is not seen", head + `<p>© <script>document.write(2011)</script> Joe's</p>`, nil, []string{SignalOldCopyright}},
		{"four data-less tables", head + strings.Repeat(`<table><tr><td>a</td></tr></table>`, 4), map[string]string{SignalTableLayout: "4"}, nil},
		{"a data table", head + `<table width="100%"><tr><th>Service</th><th>Price</th></tr><tr><td>Drain</td><td>$99</td></tr></table>`, nil, []string{SignalTableLayout}},
		{"layout table attributes", head + `<table bgcolor="#fff"><tr><td>a</td></tr></table>`, map[string]string{SignalTableLayout: ""}, nil},
		{"one font tag", head + `<font color="red">Sale</font>`, nil, []string{SignalFontTags}},
		{"flash embed", head + `<embed src="intro.SWF?x=1"><p>Hi</p>`, map[string]string{SignalFlash: ""}, nil},
		{"flash object type", head + `<object type="application/x-shockwave-flash" data="/m.swf"></object><p>Hi</p>`, map[string]string{SignalFlash: ""}, nil},
		{"spacer variants", head + `<img src="/i/spacer_10x1.gif"><img src="clear.GIF?v=2"><img src="pixel.gif"><p>Hi</p>`, map[string]string{SignalSpacerGIF: "2"}, nil},
		{"best viewed", head + `<p>Best viewed with Netscape Navigator 4</p>`, map[string]string{SignalBestViewedIn: ""}, nil},
		{"script-rendered app", head + `<div id="root"></div><script src="/static/js/main.4f2a.js"></script>`, nil, []string{SignalEmptyPage}},
		{"blank page", head + `<div></div>`, map[string]string{SignalEmptyPage: ""}, nil},
		{"old jquery from a banner", head + `<script>/*! jQuery v1.12.4 | (c) jQuery Foundation | jquery.org/license */</script><p>Hi</p>`,
			map[string]string{SignalOldJQuery: "1.12.4"}, nil},
		{"jquery without version", head + `<script src="/js/jquery.min.js"></script><p>Hi</p>`, nil, []string{SignalOldJQuery}},
		{"latin-1 copyright", "<html><head><title>T</title></head><body><p>\xa9 2010 Caf\xe9 Ol\xe9</p></body></html>", map[string]string{SignalOldCopyright: "2010"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := Analyze(htmlPage(tc.body))
			checkSignals(t, a, tc.want, tc.absent)
			checkScoresExplained(t, a)
		})
	}
}

func TestMobilePenalties(t *testing.T) {
	t.Parallel()
	const head = `<!DOCTYPE html><html><head><title>T</title><meta name="description" content="D">`
	const vp = `<meta name="viewport" content="width=device-width, initial-scale=1">`
	const mq = `<style>@media (max-width: 600px) { nav { display: none } }</style>`
	const tel = `<a href="tel:+15555550100">Call</a>`
	for _, tc := range []struct {
		name   string
		body   string
		want   []string
		absent []string
	}{
		{"responsive", head + vp + mq + `</head><body>` + tel + `</body></html>`, nil,
			[]string{"no_viewport", "no_responsive_css", "no_tel_link", "fixed_width", "small_fonts", "tap_targets", "zoom_disabled"}},
		{"responsive via link media", head + vp + `<link rel="stylesheet" href="m.css" media="screen and (max-width: 640px)"></head><body>` + tel + `</body></html>`, nil, []string{"no_responsive_css"}},
		{"responsive via srcset", head + vp + `</head><body><img src="a.jpg" srcset="a-2x.jpg 2x">` + tel + `</body></html>`, nil, []string{"no_responsive_css"}},
		{"responsive via framework", head + vp + `<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css"></head><body>` + tel + `</body></html>`, nil, []string{"no_responsive_css"}},
		{"zoom disabled", head + `<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no">` + mq + `</head><body>` + tel + `</body></html>`, []string{"zoom_disabled"}, nil},
		{"fixed viewport", head + `<meta name="viewport" content="width=980">` + mq + `</head><body>` + tel + `</body></html>`, []string{"fixed_viewport"}, []string{"no_viewport"}},
		{"fixed width inline", head + vp + mq + `</head><body><div style="width: 960px; margin: 0 auto">x</div>` + tel + `</body></html>`, []string{"fixed_width"}, nil},
		{"percent width", head + vp + mq + `</head><body><table width="100%"><tr><th>a</th></tr></table><div style="max-width:1200px">x</div>` + tel + `</body></html>`, nil, []string{"fixed_width"}},
		{"small fonts", head + vp + mq + `</head><body><font size="1">a</font><font size="-1">b</font><span style="font-size:10px">c</span>` + tel + `</body></html>`, []string{"small_fonts"}, nil},
		{"image map", head + vp + mq + `</head><body><img src="nav.gif" usemap="#m"><map name="m"><area href="/a"><area href="/b"><area href="/c"></map>` + tel + `</body></html>`, []string{"tap_targets"}, nil},
		{"links in small text", head + vp + mq + `</head><body><font size="1">` + strings.Repeat(`<a href="/x">x</a> | `, 10) + `</font>` + tel + `</body></html>`, []string{"tap_targets"}, nil},
		{"no call link", head + vp + mq + `</head><body><p>Call 555-0100</p></body></html>`, []string{"no_tel_link"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := Analyze(htmlPage(tc.body))
			var codes []string
			for _, p := range a.MobilePenalties {
				codes = append(codes, p.Code)
			}
			for _, c := range tc.want {
				if !slices.Contains(codes, c) {
					t.Errorf("mobile penalties %v, want %s", codes, c)
				}
			}
			for _, c := range tc.absent {
				if slices.Contains(codes, c) {
					t.Errorf("mobile penalties %v, want no %s", codes, c)
				}
			}
		})
	}
}

func TestSpeedSteps(t *testing.T) {
	t.Parallel()
	body := `<!DOCTYPE html><html><head><title>T</title></head><body><p>x</p></body></html>`
	for _, tc := range []struct {
		ttfb, total time.Duration
		bytes       int64
		want        int
	}{
		{0, 0, 0, 100}, // unmeasured costs nothing
		{150 * time.Millisecond, 900 * time.Millisecond, 40 << 10, 100},
		{450 * time.Millisecond, 2 * time.Second, 200 << 10, 100 - 5 - 10 - 5},
		{700 * time.Millisecond, 3 * time.Second, 400 << 10, 100 - 10 - 20 - 10},
		{1200 * time.Millisecond, 3900 * time.Millisecond, 900 << 10, 100 - 20 - 20 - 15},
		{2500 * time.Millisecond, 8 * time.Second, 3 << 20, 100 - 30 - 30 - 20},
	} {
		p := htmlPage(body)
		p.TTFB, p.Total, p.Bytes = tc.ttfb, tc.total, tc.bytes
		if got := Analyze(p).PageSpeed; got != tc.want {
			t.Errorf("ttfb %v, load %v, %d bytes: PageSpeed = %d, want %d", tc.ttfb, tc.total, tc.bytes, got, tc.want)
		}
	}
}

func TestParseBounds(t *testing.T) {
	t.Parallel()
	// A body longer than MaxBody is cut and judged as truncated, whoever
	// forgot to cap it.
	long := htmlPage("<html><body><p>" + strings.Repeat("word ", MaxBody/4) + "</p></body></html>")
	a := Analyze(long)
	if _, ok := signalValue(a, SignalHeavyPage); !ok {
		t.Errorf("signals %v, want heavy_page", signalCodes(a))
	}
	d := Parse(long)
	if n := len(d.Text()); n > textHeadCap+textTailCap+1 {
		t.Errorf("visible text is %d bytes, want at most %d", n, textHeadCap+textTailCap+1)
	}
}

func TestVisibleText(t *testing.T) {
	t.Parallel()
	d := Parse(htmlPage(`<html><head><title> Joe's
	Plumbing </title><style>body{color:red}</style><script>var since = "since 1990";</script></head>
	<body><noscript>Enable JavaScript since 1991</noscript><template><p>since 1992</p></template>
	<p>Est<b>.</b> 1998&nbsp;&amp; <i>proud</i></p><div>one</div><div>two</div><textarea>typed</textarea></body></html>`))
	if got, want := d.Title(), "Joe's Plumbing"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if got, want := d.Text(), "Est. 1998 & proud one two typed"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}
