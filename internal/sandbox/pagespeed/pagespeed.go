// Package pagespeed is the PageSpeed Insights v5 fake: GET
// /runPagespeed?url=…&strategy=…&category=…&key=… under PageSpeedURL. It "runs Lighthouse" on the
// fictional websites without fetching them: lab metrics are drawn from the
// business's own stream, consistent with its site (modern sites fast,
// dated ones slow, slow ones slower still, mobile always below desktop),
// and the performance score is computed from them with Lighthouse's own
// log-normal curves and weights. Pages it cannot load answer as PSI does:
// 400 FAILED_DOCUMENT_REQUEST (unknown or dead domain, https on an
// http-only site), 400 INSECURE_DOCUMENT_REQUEST (bad certificate), 500
// ERRORED_DOCUMENT_REQUEST (the site answers 500 or 404).
//
// Keys: the key parameter or X-Goog-Api-Key. No key gets 429 (the shared
// keyless quota is spent, as it usually is), an unknown key 400
// API_KEY_INVALID, fake.QuotaExhaustedKey 429 RESOURCE_EXHAUSTED. Fault.Empty
// answers 200 with a null performance score and a runtimeError (NO_FCP).
package pagespeed

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/googleapi"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
	"github.com/prospectorhq/prospector/internal/sandbox/world"
)

// Options configures New.
type Options struct {
	// APIKey is the key the fake accepts (besides fake.QuotaExhaustedKey).
	APIKey string
	// World holds the websites the fake "runs Lighthouse" on.
	World *world.World
}

type handler struct{ opts Options }

// New returns the fake. It answers every path it is mounted at as
// GET /runPagespeed.
func New(opts Options) http.Handler { return &handler{opts: opts} }

// categoryIDs are PSI's category names and Lighthouse's ids and titles.
var categoryIDs = map[string][2]string{
	"PERFORMANCE": {"performance", "Performance"}, "ACCESSIBILITY": {"accessibility", "Accessibility"},
	"BEST_PRACTICES": {"best-practices", "Best Practices"}, "SEO": {"seo", "SEO"}, "PWA": {"pwa", "PWA"},
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := fake.FaultOf(r)
	if r.Method != http.MethodGet {
		psiError(w, http.StatusNotFound, "NOT_FOUND", "notFound", "The requested method "+r.Method+" is not supported.", nil)
		return
	}
	if f.Status != 0 {
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		psiError(w, f.Status, cmp.Or(f.Code, cmp.Or(googleapi.StatusName(f.Status), "UNKNOWN")), "backendError", googleapi.FaultMessage(f.Status), nil)
		return
	}
	q := r.URL.Query()
	key := q.Get("key")
	if key == "" {
		key = r.Header.Get("X-Goog-Api-Key")
	}
	quota := func(consumer string) {
		psiError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "rateLimitExceeded",
			"Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service 'pagespeedonline.googleapis.com' for consumer '"+consumer+"' (sandbox: fictional quota).",
			googleapi.ErrorInfo("RATE_LIMIT_EXCEEDED"))
	}
	switch key {
	case "":
		quota("project_number:583797351490")
		return
	case fake.QuotaExhaustedKey:
		quota("project_number:100000000001")
		return
	case h.opts.APIKey:
	default:
		psiError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "badRequest", "API key not valid. Please pass a valid API key.", googleapi.ErrorInfo("API_KEY_INVALID"))
		return
	}

	raw := q.Get("url")
	if raw == "" {
		psiError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "required", "Required parameter: url", nil)
		return
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		psiError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", fmt.Sprintf("Invalid value '%s' for field 'url': it must be an absolute http or https URL.", raw), nil)
		return
	}
	strategy := strings.ToLower(cmp.Or(q.Get("strategy"), "desktop"))
	if strategy != "desktop" && strategy != "mobile" {
		psiError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid",
			fmt.Sprintf("Invalid value at 'strategy' (type.googleapis.com/google.chrome.pagespeedonline.v5.PagespeedonlineRunpagespeedRequest.Strategy), %q", q.Get("strategy")), nil)
		return
	}
	var cats []string
	for i, c := range q["category"] {
		name := strings.ToUpper(strings.ReplaceAll(c, "-", "_"))
		if _, ok := categoryIDs[name]; !ok {
			psiError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid",
				fmt.Sprintf("Invalid value at 'category[%d]' (type.googleapis.com/google.chrome.pagespeedonline.v5.PagespeedonlineRunpagespeedRequest.Category), %q", i, c), nil)
			return
		}
		if !slices.Contains(cats, name) {
			cats = append(cats, name)
		}
	}
	if len(cats) == 0 {
		cats = []string{"PERFORMANCE"}
	}

	host := strings.ToLower(u.Hostname())
	b, ok := h.opts.World.LookupSite(host)
	switch {
	case !ok || b.Site.Variant == town.SiteDead:
		lighthouseError(w, http.StatusBadRequest, "FAILED_DOCUMENT_REQUEST", "Lighthouse was unable to reliably load the page you requested. Make sure you are testing the correct URL and that the server is properly responding to all requests. (Details: net::ERR_NAME_NOT_RESOLVED)")
		return
	case u.Scheme == "https" && b.Site.Variant == town.SiteBrokenTLS:
		detail := "net::ERR_CERT_COMMON_NAME_INVALID"
		if b.Site.BadCert == "expired" {
			detail = "net::ERR_CERT_DATE_INVALID"
		}
		lighthouseError(w, http.StatusBadRequest, "INSECURE_DOCUMENT_REQUEST", "The URL you have provided does not have a valid security certificate. "+detail)
		return
	case u.Scheme == "https" && b.Site.Scheme != "https":
		lighthouseError(w, http.StatusBadRequest, "FAILED_DOCUMENT_REQUEST", "Lighthouse was unable to reliably load the page you requested. Make sure you are testing the correct URL and that the server is properly responding to all requests. (Details: net::ERR_SSL_PROTOCOL_ERROR)")
		return
	case b.Site.Variant == town.SiteServerError:
		lighthouseError(w, http.StatusInternalServerError, "ERRORED_DOCUMENT_REQUEST", "Lighthouse was unable to reliably load the page you requested. Make sure you are testing the correct URL and that the server is properly responding to all requests. (Status code: 500)")
		return
	case b.Site.Serves() && !sitePathExists(b.Site, u.Path):
		lighthouseError(w, http.StatusInternalServerError, "ERRORED_DOCUMENT_REQUEST", "Lighthouse was unable to reliably load the page you requested. Make sure you are testing the correct URL and that the server is properly responding to all requests. (Status code: 404)")
		return
	}

	finalScheme := u.Scheme
	if b.Site.HTTPSOK() {
		finalScheme = "https"
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	finalURL := h.opts.World.SiteURL(finalScheme, b.Site.Host, path)
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	run := siteLab(b, strategy == "mobile")
	lh := lighthouse(b, run, raw, finalURL, strategy, cats, f.Empty)
	lh["fetchTime"] = now
	out := map[string]any{
		"captchaResult":        "CAPTCHA_NOT_NEEDED",
		"kind":                 "pagespeedonline#result",
		"id":                   finalURL,
		"loadingExperience":    map[string]any{"initial_url": raw},
		"lighthouseResult":     lh,
		"analysisUTCTimestamp": now,
	}
	if b.Site.Variant == town.SiteModern && town.Hash(b.ID+"|crux")%4 == 0 {
		// A popular site: Chrome has field data for it.
		out["loadingExperience"] = crux(run, finalURL, raw)
		out["originLoadingExperience"] = crux(run, strings.TrimSuffix(h.opts.World.SiteURL(finalScheme, b.Site.Host, ""), "/"), raw)
	}
	fake.WriteJSON(w, http.StatusOK, out)
}

// sitePathExists reports whether the web host serves a page at path.
func sitePathExists(site *town.Site, path string) bool {
	if path == "" || path == "/" || path == "/index.html" {
		return true
	}
	for _, p := range []string{site.ContactPath, site.AboutPath, site.TeamPath} {
		if p != "" && (path == p || path+"/" == p) {
			return true
		}
	}
	return false
}

// psiError answers in the Google APIs error envelope PageSpeed uses.
func psiError(w http.ResponseWriter, status int, code, reason, message string, details []any) {
	e := map[string]any{"code": status, "message": message, "status": code,
		"errors": []any{map[string]any{"message": message, "domain": "global", "reason": reason}}}
	if details != nil {
		for _, d := range details {
			if m, ok := d.(map[string]any); ok {
				m["metadata"] = map[string]string{"service": "pagespeedonline.googleapis.com"}
			}
		}
		e["details"] = details
	}
	fake.WriteJSON(w, status, map[string]any{"error": e})
}

// lighthouseError is PSI's answer when Lighthouse could not test the page.
func lighthouseError(w http.ResponseWriter, status int, code, detail string) {
	msg := "Lighthouse returned error: " + code + ". " + detail
	reason := "lighthouseUserError"
	if status >= 500 {
		reason = "lighthouseError"
	}
	fake.WriteJSON(w, status, map[string]any{"error": map[string]any{"code": status, "message": msg,
		"errors": []any{map[string]any{"message": msg, "domain": "lighthouse", "reason": reason}}}})
}
