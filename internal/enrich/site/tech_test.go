package site

import (
	"net/http"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

func TestFingerprints(t *testing.T) {
	t.Parallel()
	fs, err := loadFingerprints()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fs.list); n < 60 {
		t.Errorf("%d fingerprints, want at least 60", n)
	}
	// The technologies small-business sites run on most; each must stay.
	for _, name := range []string{
		"WordPress", "Wix", "Squarespace", "Shopify", "GoDaddy Website Builder", "Weebly", "Joomla", "Drupal",
		"Webflow", "Duda", "Jimdo", "Site123", "HubSpot CMS", "Ghost", "Magento", "WooCommerce", "BigCommerce",
		"PrestaShop", "Elementor", "Divi", "Yoast SEO", "Contact Form 7", "Gravity Forms", "jQuery", "jQuery UI",
		"Bootstrap", "Font Awesome", "Google Fonts", "React", "Vue.js", "Angular", "Next.js", "Nuxt", "Gatsby",
		"Alpine.js", "Tailwind CSS", "Google Analytics", "Google Tag Manager", "Google Ads", "Facebook Pixel",
		"Microsoft Clarity", "Hotjar", "Cloudflare", "Cloudflare Turnstile", "reCAPTCHA", "Nginx", "Apache", "IIS",
		"PHP", "ASP.NET", "LiteSpeed", "Vercel", "Netlify", "Calendly", "Acuity Scheduling", "Square Appointments",
		"Housecall Pro", "Jobber", "ServiceTitan", "Podium", "Birdeye", "Intercom", "Drift", "Tawk.to", "LiveChat",
		"Zendesk Chat", "Olark", "Mailchimp", "Klaviyo", "Stripe", "PayPal", "Google Maps", "YouTube", "Yelp",
		"Trustpilot", "Typekit",
	} {
		if _, ok := fs.index[name]; !ok {
			t.Errorf("fingerprint %q missing", name)
		}
	}
	seen := map[string]bool{}
	for _, tech := range Technologies() {
		if !slices.Contains(Categories(), tech.Category) || seen[tech.Name] {
			t.Errorf("%+v: bad category or listed twice", tech)
		}
		seen[tech.Name] = true
	}
}

// TestFingerprintsRejected: the loader refuses a table that would
// silently never match or could not be gated.
func TestFingerprintsRejected(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, json, want string
	}{
		{"not json", `{`, "fingerprints.json"},
		{"unknown field", `[{"name":"X","category":"cms","htm":["xyz"]}]`, "unknown field"},
		{"no name", `[{"category":"cms","html":["xyzzy"]}]`, "no name"},
		{"duplicate", `[{"name":"X","category":"cms","html":["xyzzy"]},{"name":"X","category":"cms","html":["plugh"]}]`, "listed twice"},
		{"bad category", `[{"name":"X","category":"cmss","html":["xyzzy"]}]`, "unknown category"},
		{"no pattern", `[{"name":"X","category":"cms"}]`, "no pattern"},
		{"bad regexp", `[{"name":"X","category":"cms","html":["xyz("]}]`, "missing closing )"},
		{"no literal", `[{"name":"X","category":"cms","scripts":["(?:foo|bar)\\.j\\d"]}]`, "no literal"},
		{"short literal", `[{"name":"X","category":"cms","html":["ab\\d+"]}]`, "no literal"},
		{"unknown implied", `[{"name":"X","category":"cms","html":["xyzzy"],"implies":["Y"]}]`, "implies unknown"},
		{"empty version", `[{"name":"X","category":"cms","html":["xyzzy\\;version:"]}]`, "empty version"},
	} {
		_, err := compileFingerprints([]byte(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestDetectTech(t *testing.T) {
	t.Parallel()
	type h = http.Header
	for _, tc := range []struct {
		name   string
		header http.Header
		body   string
		want   []Tech // present with exactly this version
		absent []string
	}{
		{"jquery file name", nil, `<script src="/js/jquery-1.8.3.min.js"></script>`, []Tech{{"jQuery", "js-library", "1.8.3"}}, nil},
		{"jquery bare file name", nil, `<script src="jquery-1.4.2.js"></script>`, []Tech{{"jQuery", "js-library", "1.4.2"}}, nil},
		{"jquery ver query", nil, `<script src="/wp-includes/js/jquery/jquery.min.js?ver=1.12.4"></script>`, []Tech{{"jQuery", "js-library", "1.12.4"}}, nil},
		{"jquery cdn path", nil, `<script src="https://ajax.googleapis.com/ajax/libs/jquery/1.11.3/jquery.min.js"></script>`, []Tech{{"jQuery", "js-library", "1.11.3"}}, nil},
		{"jquery npm cdn", nil, `<script src="https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js"></script>`, []Tech{{"jQuery", "js-library", "3.7.1"}, {"jsDelivr", "cdn", ""}}, nil},
		{"jquery banner", nil, `<script>/*! jQuery v3.6.0 | (c) OpenJS Foundation and other contributors | jquery.org/license */
!function(e,t){"use strict";}</script>`, []Tech{{"jQuery", "js-library", "3.6.0"}}, nil},
		{"jquery old banner", nil, "<script>/*!\n * jQuery JavaScript Library v1.4.2\n */</script>", []Tech{{"jQuery", "js-library", "1.4.2"}}, nil},
		{"jquery unversioned", nil, `<script src="/assets/jquery.min.js"></script>`, []Tech{{"jQuery", "js-library", ""}}, nil},
		{"jquery ui does not version jquery", nil, `<script src="/js/jquery-ui-1.8.23.custom.min.js"></script>`,
			[]Tech{{"jQuery UI", "js-library", "1.8.23"}, {"jQuery", "js-library", ""}}, nil},
		{"jquery migrate does not version jquery", nil, `<script src="/js/jquery-migrate-1.4.1.min.js"></script>`,
			[]Tech{{"jQuery Migrate", "js-library", "1.4.1"}, {"jQuery", "js-library", ""}}, nil},
		{"wordpress generator", nil, `<meta name="generator" content="WordPress 6.4.2">`, []Tech{{"WordPress", "cms", "6.4.2"}, {"PHP", "language", ""}}, nil},
		{"wordpress from block css", nil, `<link rel="stylesheet" href="/wp-includes/css/dist/block-library/style.min.css?ver=6.5.3">`, []Tech{{"WordPress", "cms", "6.5.3"}}, nil},
		{"wordpress unversioned", nil, `<img src="/wp-content/uploads/2020/01/logo.png">`, []Tech{{"WordPress", "cms", ""}}, nil},
		{"woocommerce implies wordpress", nil, `<meta name="generator" content="WooCommerce 8.4.0">`, []Tech{{"WooCommerce", "ecommerce", "8.4.0"}, {"WordPress", "cms", ""}, {"PHP", "language", ""}}, nil},
		{"divi", nil, `<link rel="stylesheet" href="/wp-content/themes/Divi/style-static.min.css?ver=4.23.1"><div class="et_pb_section">`, []Tech{{"Divi", "builder", "4.23.1"}, {"WordPress", "cms", ""}}, nil},
		{"bootstrap npm", nil, `<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css">`, []Tech{{"Bootstrap", "css-framework", "5.3.2"}}, nil},
		{"bootstrap cdn path", nil, `<link rel="stylesheet" href="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css">`, []Tech{{"Bootstrap", "css-framework", "4.3.1"}}, nil},
		{"bootstrap banner", nil, "<style>/*!\n * Bootstrap v3.3.7 (http://getbootstrap.com)\n */</style>", []Tech{{"Bootstrap", "css-framework", "3.3.7"}}, nil},
		{"font awesome", nil, `<link rel="stylesheet" href="https://use.fontawesome.com/releases/v5.15.4/css/all.css">`, []Tech{{"Font Awesome", "fonts", "5.15.4"}}, nil},
		{"universal analytics", nil, `<script>(function(i,s,o,g,r,a,m){})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');
ga('create', 'UA-12345678-1', 'auto');</script>`, []Tech{{"Google Analytics", "analytics", "UA"}}, nil},
		{"ga4", nil, `<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCDEF1234"></script>`, []Tech{{"Google Analytics", "analytics", "GA4"}}, []string{"Google Tag Manager", "Google Ads"}},
		{"google ads", nil, `<script>gtag('config', 'AW-123456789');</script>`, []Tech{{"Google Ads", "advertising", ""}}, nil},
		{"facebook pixel", nil, `<script>!function(f,b,e,v,n,t,s){}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');fbq('init', '1234567890');</script>`, []Tech{{"Facebook Pixel", "advertising", ""}}, nil},
		{"share link is not a pixel", nil, `<a href="https://www.facebook.com/sharer.php?u=x">Share</a>`, nil, []string{"Facebook Pixel"}},
		{"words are not tech", nil, `<p>We build sites with WordPress, jQuery, Shopify and React.</p>`, nil, []string{"WordPress", "jQuery", "Shopify", "React"}},
		{"clarity and hotjar", nil, `<script>(function(c,l,a,r,i,t,y){t.src="https://www.clarity.ms/tag/"+i;})(window,document,"clarity","script","abc");
(function(h,o,t,j,a,r){h._hjSettings={hjid:1234567,hjsv:6};})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');</script>`,
			[]Tech{{"Microsoft Clarity", "analytics", ""}, {"Hotjar", "analytics", ""}}, nil},
		{"chat widgets", nil, `<script src="https://embed.tawk.to/5f1e/default" async></script><script src="https://widget.intercom.io/widget/abc"></script>`,
			[]Tech{{"Tawk.to", "chat", ""}, {"Intercom", "chat", ""}}, nil},
		{"captchas", nil, `<script src="https://www.google.com/recaptcha/api.js" async defer></script><div class="cf-turnstile" data-sitekey="x"></div>`,
			[]Tech{{"reCAPTCHA", "security", ""}, {"Cloudflare Turnstile", "security", ""}}, nil},
		{"embeds", nil, `<iframe src="https://www.google.com/maps/embed?pb=!1m18"></iframe><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>`,
			[]Tech{{"Google Maps", "widgets", ""}, {"YouTube", "widgets", ""}}, nil},
		{"booking", nil, `<a href="https://book.housecallpro.com/book/Joes-Plumbing/abc">Book</a><iframe src="https://app.acuityscheduling.com/schedule.php?owner=1"></iframe>`,
			[]Tech{{"Housecall Pro", "booking", ""}, {"Acuity Scheduling", "booking", ""}}, nil},
		{"square appointments", nil, `<a href="https://squareup.com/appointments/book/abc/def">Book now</a>`, []Tech{{"Square Appointments", "booking", ""}}, nil},
		{"payments", nil, `<script src="https://js.stripe.com/v3/"></script><form action="https://www.paypal.com/cgi-bin/webscr" method="post">`,
			[]Tech{{"Stripe", "payments", ""}, {"PayPal", "payments", ""}}, nil},
		{"reviews", nil, `<div class="trustpilot-widget" data-locale="en-US"></div><script src="https://www.yelp.com/embed/widgets.js"></script>`,
			[]Tech{{"Trustpilot", "widgets", ""}, {"Yelp", "widgets", ""}}, nil},
		{"next.js", h{"X-Powered-By": {"Next.js 14.1.0"}}, `<script id="__NEXT_DATA__" type="application/json">{}</script>`,
			[]Tech{{"Next.js", "framework", "14.1.0"}, {"React", "framework", ""}}, nil},
		{"angular", nil, `<app-root ng-version="17.0.8"></app-root>`, []Tech{{"Angular", "framework", "17.0.8"}}, nil},
		{"alpine and tailwind", nil, `<script src="https://cdn.tailwindcss.com"></script><div x-data="{ open: false }"></div>`,
			[]Tech{{"Tailwind CSS", "css-framework", ""}, {"Alpine.js", "framework", ""}}, nil},
		{"nginx", h{"Server": {"nginx/1.18.0 (Ubuntu)"}}, ``, []Tech{{"Nginx", "server", "1.18.0"}}, nil},
		{"apache, not tomcat", h{"Server": {"Apache-Coyote/1.1"}}, ``, nil, []string{"Apache"}},
		{"iis and asp.net", h{"Server": {"Microsoft-IIS/8.5"}, "X-Aspnet-Version": {"4.0.30319"}, "X-Powered-By": {"ASP.NET"}}, ``,
			[]Tech{{"IIS", "server", "8.5"}, {"ASP.NET", "language", "4.0.30319"}}, nil},
		{"litespeed", h{"Server": {"LiteSpeed"}, "X-Litespeed-Cache": {"hit"}}, ``, []Tech{{"LiteSpeed", "server", ""}}, nil},
		{"cloudflare header", h{"Cf-Ray": {"8a1b2c3d4e5f6789-DFW"}}, ``, []Tech{{"Cloudflare", "cdn", ""}}, nil},
		{"php from cookie", h{"Set-Cookie": {"PHPSESSID=abc123; path=/"}}, ``, []Tech{{"PHP", "language", ""}}, nil},
		{"shopify from cookie", h{"Set-Cookie": {"_shopify_y=abc; path=/"}}, ``, []Tech{{"Shopify", "ecommerce", ""}}, nil},
		{"netlify and vercel headers", h{"X-Nf-Request-Id": {"01H"}, "X-Vercel-Id": {"iad1::abc"}}, ``,
			[]Tech{{"Netlify", "hosting", ""}, {"Vercel", "hosting", ""}}, nil},
		{"drupal", h{"X-Generator": {"Drupal 10 (https://www.drupal.org)"}}, ``, []Tech{{"Drupal", "cms", "10"}}, nil},
		{"joomla", nil, `<meta name="generator" content="Joomla! - Open Source Content Management">`, []Tech{{"Joomla", "cms", ""}}, nil},
		{"frontpage", nil, `<meta name="GENERATOR" content="Microsoft FrontPage 4.0">`, []Tech{{"Microsoft FrontPage", "builder", "4.0"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := htmlPage("<!DOCTYPE html><html><head></head><body>" + tc.body + "</body></html>")
			for k, v := range tc.header {
				p.Header[k] = v
			}
			got := DetectTech(p)
			checkTechSorted(t, got)
			for _, want := range tc.want {
				i := slices.IndexFunc(got, func(t Tech) bool { return t.Name == want.Name })
				if i < 0 {
					t.Errorf("%s not detected; got %v", want.Name, got)
				} else if got[i] != want {
					t.Errorf("got %+v, want %+v", got[i], want)
				}
			}
			for _, name := range tc.absent {
				if slices.ContainsFunc(got, func(t Tech) bool { return t.Name == name }) {
					t.Errorf("%s detected, want not; got %v", name, got)
				}
			}
		})
	}
}

func TestDetectTechNeverNil(t *testing.T) {
	t.Parallel()
	for _, p := range []Page{{}, htmlPage(""), {Status: 200, Body: pngBody(), Header: http.Header{"Content-Type": {"image/png"}}}} {
		if got := DetectTech(p); got == nil || len(got) != 0 {
			t.Errorf("DetectTech = %#v, want an empty list", got)
		}
	}
}

func TestRequiredLiteral(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ re, want string }{
		{`jquery`, "jquery"},
		{`/wp-(?:content|includes)/`, "/wp-"},
		{`<link[^>]+/wp-content/`, "/wp-content/"},
		{`youtube(?:-nocookie)?\.com/embed/`, ".com/embed/"},
		{`(?:foo|bar)`, ""},
		{`a?bc+`, "b"},
		{`(Drupal)+ \d`, "drupal"},
		{`X{2,}Y`, "x"},
		{`\bhjid\s*:\s*\d+`, "hjid"},
	} {
		re, err := syntax.Parse("(?i)"+tc.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := requiredLiteral(re.Simplify()); got != tc.want {
			t.Errorf("requiredLiteral(%q) = %q, want %q", tc.re, got, tc.want)
		}
	}
}

func TestACMatcher(t *testing.T) {
	t.Parallel()
	lits := []string{"he", "she", "his", "hers", "jquery", "/wp-", "©"}
	m := newACMatcher(lits)
	text := []byte("USHERS say: His jQuery lives in /WP-content; she said he hers © 2011 /wp-")
	got := m.scan(text)
	lower := strings.ToLower(string(text)) // ASCII-only text, so offsets agree
	for id, lit := range lits {
		var want []int32
		for i := 0; i+len(lit) <= len(lower); i++ {
			if strings.HasPrefix(lower[i:], lit) {
				want = append(want, int32(i))
			}
		}
		if !slices.Equal(got[id], want) {
			t.Errorf("%q at %v, want %v", lit, got[id], want)
		}
	}
}
