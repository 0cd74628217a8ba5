// Package hunter is the Hunter v2 fake: GET /domain-search, /email-finder and /email-verifier
// under HunterURL, in Hunter's {"data":…,"meta":…} / {"errors":[…]}
// envelopes. The key is read from the X-API-KEY header, an
// "Authorization: Bearer" header or the api_key parameter; a missing or
// unknown key gets 401, fake.QuotaExhaustedKey 429 (monthly usage spent).
//
// Hunter knows the same fictional people the websites show, but not all of
// them, and some the websites do not show (Person.OnHunter, Person.Shown).
// The one claimed person per town (Person.Claimed) is left out of Domain
// Search and answered 451 claimed_email by the finder and the verifier.
// Domain Search behaves as on the free plan: limit + offset > 10 is a 400
// pagination_error. The verifier answers some addresses 202 (still
// running) the first time they are asked about, with a null data object;
// the next call gives the verdict.
package hunter

import (
	"cmp"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
	"github.com/prospectorhq/prospector/internal/sandbox/world"
)

var (
	hunterSeniorities = []string{"junior", "senior", "executive"}
	hunterDepartments = []string{"executive", "it", "finance", "management", "sales", "legal", "support", "hr",
		"marketing", "communication", "education", "design", "health", "operations"}
	hunterRequired = []string{"full_name", "position", "phone_number"}
	hunterStatuses = []string{"valid", "accept_all", "unknown"}
	webmailDomains = []string{"gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "proton.me"}
	disposableMail = []string{"mailinator.com", "guerrillamail.com", "10minutemail.com", "trashmail.com", "yopmail.com"}
	emailRE        = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

var hunterFaultIDs = map[int]string{
	400: "wrong_params", 401: "authentication_failed", 403: "too_many_requests", 404: "not_found",
	429: "too_many_requests", 451: "claimed_email", 500: "internal_error", 503: "service_unavailable",
}

const claimedDetails = "The person behind this email address has asked us directly or indirectly to stop the processing of this email. Therefore, you shouldn't process it yourself in any way."

// Options configures New.
type Options struct {
	// APIKey is the key the fake accepts (besides fake.QuotaExhaustedKey).
	APIKey string
	// World holds the businesses, people and addresses Hunter knows.
	World *world.World
}

type handler struct {
	opts Options

	mu        sync.Mutex
	verifying map[string]bool // addresses whose verification answered 202 once
}

// New returns the fake, to be mounted at the v2 root: it answers
// /domain-search, /email-finder and /email-verifier under it.
func New(opts Options) http.Handler {
	return &handler{opts: opts, verifying: map[string]bool{}}
}

// askedPath is the path the client asked for, before the sandbox stripped
// the prefix it mounts the fake at: Hunter's errors name the whole route.
func askedPath(r *http.Request) string {
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil {
		return u.Path
	}
	return r.URL.Path
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := fake.FaultOf(r)
	if f.Status != 0 {
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		hunterError(w, f.Status, cmp.Or(f.Code, cmp.Or(hunterFaultIDs[f.Status], "error")), hunterFaultDetails(f.Status))
		return
	}
	key := r.Header.Get("X-API-KEY")
	if key == "" {
		if a := r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "Bearer ") {
			key = strings.TrimSpace(a[7:])
		}
	}
	if key == "" {
		key = r.URL.Query().Get("api_key")
	}
	switch key {
	case "":
		hunterError(w, http.StatusUnauthorized, "authentication_failed", "You are missing the api_key parameter. Pass it as api_key, in the X-API-KEY header or as a Bearer token.")
		return
	case fake.QuotaExhaustedKey:
		hunterError(w, http.StatusTooManyRequests, "too_many_requests", "You have reached your monthly usage limit (sandbox: fictional quota). Upgrade your plan to continue.")
		return
	case h.opts.APIKey:
	default:
		hunterError(w, http.StatusUnauthorized, "authentication_failed", "No user found for the API key supplied")
		return
	}
	if r.Method != http.MethodGet {
		hunterError(w, http.StatusNotFound, "not_found", "The route "+r.Method+" "+askedPath(r)+" does not exist (the sandbox serves GET only).")
		return
	}
	switch r.URL.Path {
	case "/domain-search":
		h.hunterDomainSearch(w, r, f)
	case "/email-finder":
		h.hunterEmailFinder(w, r, f)
	case "/email-verifier":
		h.hunterEmailVerifier(w, r, f)
	default:
		hunterError(w, http.StatusNotFound, "not_found", "The route "+askedPath(r)+" does not exist.")
	}
}

func hunterError(w http.ResponseWriter, status int, id, details string) {
	fake.WriteJSON(w, status, map[string]any{"errors": []any{map[string]any{"id": id, "code": status, "details": details}}})
}

func hunterFaultDetails(status int) string {
	switch status {
	case 403:
		return "You have reached the rate limit of requests per second or per minute. Slow down (sandbox fault)."
	case 429:
		return "You have reached your monthly usage limit (sandbox fault)."
	case 222:
		return "The remote SMTP server answered in an unexpected way; try again later (sandbox fault)."
	}
	return http.StatusText(status) + " (sandbox fault)."
}

// hunterDomain reads what a client passes as a domain: a bare domain, or a
// URL, with or without www. and a port.
func hunterDomain(raw string) string {
	d := strings.ToLower(strings.TrimSpace(raw))
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	d, _, _ = strings.Cut(d, "/")
	return world.SiteDomain(d)
}

// hunterSite finds the business of a domain or company parameter.
func (h *handler) hunterSite(domain, company string) (*town.Business, string) {
	if domain == "" && company != "" {
		domain = h.opts.World.CompanyDomain(company)
	}
	if domain == "" {
		return nil, ""
	}
	b, ok := h.opts.World.LookupSite(domain)
	if !ok {
		return nil, domain
	}
	return b, b.Domain
}

// listValues splits a comma list and checks every value is allowed.
func listValues(v string, allowed []string) ([]string, bool) {
	if v == "" {
		return nil, true
	}
	var out []string
	for _, x := range strings.Split(v, ",") {
		x = strings.ToLower(strings.TrimSpace(x))
		if !slices.Contains(allowed, x) {
			return nil, false
		}
		out = append(out, x)
	}
	return out, true
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// page when the site shows it, else in a fictional directory.
func hunterSources(b *town.Business, email string, onSite bool, page string) []any {
	h := town.Hash("sources|" + email)
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	extracted := base.AddDate(0, 0, int(h%1200))
	seen := extracted.AddDate(0, 0, int(h/1200%400))
	src := func(domain, uri string) map[string]any {
		return map[string]any{"domain": domain, "uri": uri, "extracted_on": extracted.Format(time.DateOnly),
			"last_seen_on": seen.Format(time.DateOnly), "still_on_page": true}
	}
	var out []any
	if onSite {
		out = append(out, src(b.Domain, b.Site.Scheme+"://"+b.Site.Host+page))
	}
	if !onSite || h%3 == 0 {
		out = append(out, src("directory.sandbox.example", "https://directory.sandbox.example/"+town.Slug(b.City)+"/"+town.Slug(b.BaseName)))
	}
	return out
}

// hunterVerification is a verification object: status "" means never
// verified (date and status null).
func hunterVerification(email, status string) map[string]any {
	if status == "" {
		return map[string]any{"date": nil, "status": nil}
	}
	d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(town.Hash("verified|"+email)%600))
	return map[string]any{"date": d.Format(time.DateOnly), "status": status}
}

// validName accepts what a person's name can hold: letters, spaces,
