package pagespeed_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
)

func psiGet(t *testing.T, sb *sandbox.Sandbox, params url.Values) sandboxtest.Answer {
	t.Helper()
	if !params.Has("key") {
		params.Set("key", sb.PageSpeedAPIKey)
	}
	return sandboxtest.Do(t, "GET", sb.PageSpeedURL+"/runPagespeed?"+params.Encode(), nil, "")
}

func TestPageSpeedErrors(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{WebsitePorts: true})
	town := sb.Town("plumber", "Austin, TX")
	site := func(match func(*sandbox.Site) bool) *sandbox.Business {
		return sandboxtest.FindSite(t, town, func(b *sandbox.Business) bool { return match(b.Site) })
	}
	modern := site(func(s *sandbox.Site) bool { return s.Variant == sandbox.SiteModern })
	dated := site(func(s *sandbox.Site) bool { return s.Variant == sandbox.SiteDated })
	wrongName := site(func(s *sandbox.Site) bool { return s.BadCert == "wrong_name" })
	expired := site(func(s *sandbox.Site) bool { return s.BadCert == "expired" })
	failing := site(func(s *sandbox.Site) bool { return s.Variant == sandbox.SiteServerError })
	dead := site(func(s *sandbox.Site) bool { return s.Variant == sandbox.SiteDead })
	https := func(b *sandbox.Business) string {
		return "https://" + b.Site.Host + ":" + sandboxtest.Port(sb.WebHTTPSAddr) + "/"
	}
	tests := []struct {
		name    string
		params  url.Values
		status  int
		code    string // the error's status, or the Lighthouse error code in its message
		message string
	}{
		{"no key", url.Values{"url": {modern.Website}, "key": {""}}, 429, "RESOURCE_EXHAUSTED", "Quota exceeded"},
		{"wrong key", url.Values{"url": {modern.Website}, "key": {"nope"}}, 400, "INVALID_ARGUMENT", "API key not valid"},
		{"spent quota", url.Values{"url": {modern.Website}, "key": {sandbox.QuotaExhaustedKey}}, 429, "RESOURCE_EXHAUSTED", "Quota exceeded"},
		{"no url", url.Values{}, 400, "INVALID_ARGUMENT", "url"},
		{"relative url", url.Values{"url": {"riverbend.example"}}, 400, "INVALID_ARGUMENT", "url"},
		{"bad strategy", url.Values{"url": {modern.Website}, "strategy": {"phone"}}, 400, "INVALID_ARGUMENT", "strategy"},
		{"bad category", url.Values{"url": {modern.Website}, "category": {"speed"}}, 400, "INVALID_ARGUMENT", "category"},
		{"unknown site", url.Values{"url": {"https://nosuchbusiness.example/"}}, 400, "FAILED_DOCUMENT_REQUEST", "ERR_NAME_NOT_RESOLVED"},
		{"dead domain", url.Values{"url": {dead.Website}}, 400, "FAILED_DOCUMENT_REQUEST", "ERR_NAME_NOT_RESOLVED"},
		{"https on an http-only site", url.Values{"url": {https(dated)}}, 400, "FAILED_DOCUMENT_REQUEST", "ERR_SSL_PROTOCOL_ERROR"},
		{"certificate for another name", url.Values{"url": {wrongName.Website}}, 400, "INSECURE_DOCUMENT_REQUEST", "ERR_CERT_COMMON_NAME_INVALID"},
		{"expired certificate", url.Values{"url": {expired.Website}}, 400, "INSECURE_DOCUMENT_REQUEST", "ERR_CERT_DATE_INVALID"},
		{"site answering 500", url.Values{"url": {failing.Website}}, 500, "ERRORED_DOCUMENT_REQUEST", "Status code: 500"},
		{"page that does not exist", url.Values{"url": {modern.Website + "no-such-page"}}, 500, "ERRORED_DOCUMENT_REQUEST", "Status code: 404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := psiGet(t, sb, tt.params)
			if a.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.Status, tt.status, a.Body)
			}
			e := a.JSON(t)["error"].(map[string]any)
			msg, _ := e["message"].(string)
			errs, _ := e["errors"].([]any)
			if e["code"] != float64(tt.status) || len(errs) != 1 || !strings.Contains(msg, tt.message) ||
				e["status"] != tt.code && !strings.Contains(msg, "Lighthouse returned error: "+tt.code) {
				t.Errorf("error = %v", e)
			}
		})
	}
}

func TestPageSpeedScores(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{WebsitePorts: true})
	type result struct {
		variant sandbox.SiteVariant
		dated   bool
		score   [2]float64 // desktop, mobile
	}
	var results []result
	for _, typ := range []string{"plumber", "bakery"} {
		for _, b := range sb.Town(typ, "Omaha, NE").Businesses {
			if b.Site == nil || !b.Site.Serves() && b.Site.Variant != sandbox.SiteParked {
				continue
			}
			target := b.Website
			if b.Site.Variant == sandbox.SiteBrokenTLS {
				target = "http://" + b.Site.Host + ":" + sandboxtest.Port(sb.WebHTTPAddr) + "/"
			}
			r := result{variant: b.Site.Variant, dated: b.Site.Dated}
			for i, strategy := range []string{"desktop", "mobile"} {
				a := psiGet(t, sb, url.Values{"url": {target}, "strategy": {strategy}, "category": {"performance"}})
				if a.Status != 200 {
					t.Fatalf("%s %s: %d %s", target, strategy, a.Status, a.Body)
				}
				m := a.JSON(t)
				lh := m["lighthouseResult"].(map[string]any)
				perf := lh["categories"].(map[string]any)["performance"].(map[string]any)
				r.score[i] = perf["score"].(float64)
				if m["kind"] != "pagespeedonline#result" || lh["requestedUrl"] != target || lh["finalUrl"] == nil ||
					lh["configSettings"].(map[string]any)["formFactor"] != strategy {
					t.Errorf("%s: envelope %v", target, lh["configSettings"])
				}
				audits := lh["audits"].(map[string]any)
				for _, id := range []string{"first-contentful-paint", "largest-contentful-paint", "speed-index", "total-blocking-time", "cumulative-layout-shift"} {
					a, _ := audits[id].(map[string]any)
					if v, ok := a["numericValue"].(float64); !ok || v < 0 || a["numericUnit"] == nil {
						t.Errorf("%s: audit %s = %v", target, id, a)
					}
				}
				fcp := audits["first-contentful-paint"].(map[string]any)["numericValue"].(float64)
				lcp := audits["largest-contentful-paint"].(map[string]any)["numericValue"].(float64)
				if b.Site.Variant == sandbox.SiteSlow && fcp < 3000 || lcp <= 0 {
					t.Errorf("%s %s: FCP %v LCP %v", b.Site.Variant, strategy, fcp, lcp)
				}
				viewport := audits["viewport"].(map[string]any)["score"].(float64)
				if (viewport == 0) != b.Site.Dated {
					t.Errorf("%s: viewport audit %v on a dated=%v site", target, viewport, b.Site.Dated)
				}
			}
			if r.score[1] >= r.score[0] {
				t.Errorf("%s (%s): mobile %.2f is not below desktop %.2f", target, b.Site.Variant, r.score[1], r.score[0])
			}
			results = append(results, r)
		}
	}
	var modernMin, datedMax = 1.0, 0.0
	for _, r := range results {
		switch {
		case r.variant == sandbox.SiteModern:
			modernMin = min(modernMin, r.score[0])
		case r.variant == sandbox.SiteDated:
			datedMax = max(datedMax, r.score[0])
		}
	}
	if modernMin < 0.75 || datedMax > 0.6 || len(results) < 100 {
		t.Errorf("desktop: modern sites from %.2f, dated sites up to %.2f, over %d sites", modernMin, datedMax, len(results))
	}
}

func TestPageSpeedIsDeterministicAndFollowsRedirects(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	b := sandboxtest.FindSite(t, sb.Town("dentist", "Portland, OR"), func(b *sandbox.Business) bool { return b.Site.Variant == sandbox.SiteModern })
	plain := "http://" + b.Domain + "/"
	first := psiGet(t, sb, url.Values{"url": {plain}, "strategy": {"MOBILE"}, "category": {"PERFORMANCE", "seo", "best-practices"}}).JSON(t)
	again := psiGet(t, sb, url.Values{"url": {plain}, "strategy": {"mobile"}, "category": {"performance", "SEO", "BEST_PRACTICES"}}).JSON(t)
	lh1, lh2 := first["lighthouseResult"].(map[string]any), again["lighthouseResult"].(map[string]any)
	cats := lh1["categories"].(map[string]any)
	for _, id := range []string{"performance", "seo", "best-practices"} {
		c1, _ := cats[id].(map[string]any)
		c2 := lh2["categories"].(map[string]any)[id].(map[string]any)
		if c1 == nil || c1["score"] != c2["score"] {
			t.Errorf("category %s: %v then %v", id, c1, c2)
		}
	}
	if _, ok := cats["accessibility"]; ok {
		t.Error("a category that was not asked for")
	}
	final := lh1["finalUrl"].(string)
	if !strings.HasPrefix(final, "https://"+b.Site.Host+":") {
		t.Errorf("finalUrl %q: the http URL of a modern site ends on its https address", final)
	}
	if lh1["audits"].(map[string]any)["is-on-https"].(map[string]any)["score"] != float64(1) {
		t.Error("is-on-https failed on a modern site")
	}
}

func TestPageSpeedFaults(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.PageSpeed: {Status: 500, Times: 1}}})
	b := sandboxtest.FindSite(t, sb.Town("plumber", "Austin, TX"), func(b *sandbox.Business) bool { return b.Site.Variant == sandbox.SiteModern })
	q := url.Values{"url": {b.Website}}
	if a := psiGet(t, sb, q); a.Status != 500 || a.JSON(t)["error"].(map[string]any)["status"] != "INTERNAL" {
		t.Errorf("fault: %d %s", a.Status, a.Body)
	}
	sb.SetFault(sandbox.PageSpeed, sandbox.Fault{Empty: true, Times: 1})
	lh := psiGet(t, sb, q).JSON(t)["lighthouseResult"].(map[string]any)
	if lh["categories"].(map[string]any)["performance"].(map[string]any)["score"] != nil || lh["runtimeError"] == nil {
		t.Errorf("empty fault: %v", lh["categories"])
	}
	if n := sb.RequestCount(sandbox.PageSpeed); n != 2 {
		t.Errorf("request count %d", n)
	}
}
