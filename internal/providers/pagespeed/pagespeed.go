// Package pagespeed is the client of Google PageSpeed Insights API v5:
// GET {base}/runPagespeed?url=…&strategy=…&category=performance&key=…
// under PAGESPEED_BASE_URL (default
// https://www.googleapis.com/pagespeedonline/v5).
//
// The key is a query parameter, as Google's API takes it. It therefore lives
// only in providers.Request.URL, which the Doer neither logs nor records nor
// puts in its errors; Calls carry the fixed Endpoint label.
//
// A run loads the page in Lighthouse and takes 10–60 s, so an attempt may
// last DefaultTimeout (90 s). A site Lighthouse cannot load (DNS failure,
// timeout, 4xx/5xx page, not HTML…) is reported by Google as a 400 or 500
// whose message names the Lighthouse error (FAILED_DOCUMENT_REQUEST,
// ERRORED_DOCUMENT_REQUEST, …): the client returns it as ErrSiteNotAnalysable
// (KindInvalid), not retried and not mistaken for a key or service problem.
//
// Cost: the API is free within its quota (25,000 queries a day, 400 per 100
// seconds per project, as commonly reported), so calls are recorded with a
// zero cost and one credit (one query of quota). DefaultRate (1/s, burst 2)
// stays well under the per-100-seconds quota, and at most MaxInFlight runs
// go at once.
package pagespeed

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/googleapi"
)

// DefaultBaseURL is PAGESPEED_BASE_URL's default.
const DefaultBaseURL = "https://www.googleapis.com/pagespeedonline/v5"

// Service is the service identifier recorded in api_usage.service.
const Service = "pagespeed"

// Endpoint labels Calls and logs; the client appends it to the base URL.
const Endpoint = "runPagespeed"

const (
	// DefaultTimeout bounds one attempt: a Lighthouse run takes up to a
	// minute.
	DefaultTimeout = 90 * time.Second
	// MaxInFlight bounds concurrent runs.
	MaxInFlight = 4
	// MinWaitAfterRateLimit is the least pause after a 429: the quota is
	// counted per 100 seconds, and Google sends no Retry-After that we
	// know of.
	MinWaitAfterRateLimit = 10 * time.Second
	// CategoryPerformance is the only category asked for.
	CategoryPerformance = "performance"
)

// DefaultRate keeps far under 400 queries per 100 seconds.
func DefaultRate() providers.Rate { return providers.Rate{PerSecond: 4, Burst: 4} }

// Strategy is the device Lighthouse emulates.
type Strategy string

// Strategies. Google's reference spells them DESKTOP and MOBILE; the
// lowercase forms are accepted too and are what Google's own examples send.
const (
	Mobile  Strategy = "mobile"
	Desktop Strategy = "desktop"
)

// ErrSiteNotAnalysable is in the chain of the error returned when Lighthouse
// could not load or analyse the page: the site is down, slow, erroring or not
// HTML. It says something about the prospect's website, not about our key.
var ErrSiteNotAnalysable = errors.New("the site could not be analysed")

// IsSiteNotAnalysable reports whether err is ErrSiteNotAnalysable.
func IsSiteNotAnalysable(err error) bool { return errors.Is(err, ErrSiteNotAnalysable) }

// siteErrors are the Lighthouse error codes caused by the page itself
// (Lighthouse's lh-error.js: page load, URL and DNS failures, and pages that
// never paint). Other codes (PROTOCOL_TIMEOUT, NO_TRACING_STARTED, …) are
// Lighthouse's own trouble, worth a retry.
var siteErrors = map[string]bool{
	"NO_DOCUMENT_REQUEST":       true,
	"FAILED_DOCUMENT_REQUEST":   true,
	"ERRORED_DOCUMENT_REQUEST":  true,
	"INSECURE_DOCUMENT_REQUEST": true,
	"CHROME_INTERSTITIAL_ERROR": true,
	"PAGE_HUNG":                 true,
	"NOT_HTML":                  true,
	"INVALID_URL":               true,
	"DNS_FAILURE":               true,
	"NO_FCP":                    true,
	"NO_LCP":                    true,
}

// Config configures a Client.
type Config struct {
	APIKey   string        // PAGESPEED_API_KEY; may be empty when only per-user keys are used
	BaseURL  string        // PAGESPEED_BASE_URL; default DefaultBaseURL
	Timeout  time.Duration // per attempt; default DefaultTimeout
	Settings providers.Settings
}

// Client runs PageSpeed Insights. Build one per process and share it; use
// WithKey for a user's own key.
type Client struct {
	endpoint string
	key      string
	timeout  time.Duration
	doer     *providers.Doer
}

// New builds a Client.
func New(cfg Config) (*Client, error) {
	base, err := providers.BaseURL("pagespeed", cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Client{
		endpoint: base + "/" + Endpoint,
		key:      cfg.APIKey,
		timeout:  timeout,
		doer: providers.NewDoer(providers.Policy{
			Service:         Service,
			Rate:            DefaultRate(),
			MinWaitAfter429: MinWaitAfterRateLimit,
			MaxInFlight:     MaxInFlight,
			Classify:        classify,
		}, cfg.Settings),
	}, nil
}

// WithKey returns a client that uses key and shares c's rate limiter and
// recorder, for users who bring their own key.
func (c *Client) WithKey(key string) *Client {
	cp := *c
	cp.key = key
	return &cp
}

// Metrics are Lighthouse lab values (audits' numericValue); nil when the
// audit is missing or has no value.
type Metrics struct {
	FirstContentfulPaintMS   *float64
	LargestContentfulPaintMS *float64
	SpeedIndexMS             *float64
	TotalBlockingTimeMS      *float64
	CumulativeLayoutShift    *float64 // unitless
}

// Result is one run's summary.
type Result struct {
	URL      string // as requested
	FinalURL string // after redirects
	Strategy Strategy
	// Score is the performance score, 0–100; nil when Lighthouse gave
	// none (its score was null).
	Score   *int
	Metrics Metrics
	// FieldCategory is CrUX's overall_category for the URL (FAST, AVERAGE,
	// SLOW), "" when Chrome has too little traffic data, as for most small
	// businesses; OriginFieldCategory the same for the whole origin.
	FieldCategory       string
	OriginFieldCategory string
	LighthouseVersion   string
	FetchTime           string
	// RuntimeError is a Lighthouse failure reported inside a successful
	// answer that is not the site's fault; Score is then usually nil.
	RuntimeError *RuntimeError
}

// Run analyses pageURL's performance as seen on strategy's device ("" means
// Mobile). A URL without a scheme gets http://, from which a site
// redirects to https if it has it.
func (c *Client) Run(ctx context.Context, pageURL string, strategy Strategy) (Result, error) {
	if c.key == "" {
		return Result{}, &providers.Error{Service: Service, Kind: providers.KindAuth, Code: providers.CodeNoAPIKey, Message: "no API key configured"}
	}
	switch strategy {
	case "":
		strategy = Mobile
	case Mobile, Desktop:
	default:
		return Result{}, invalid("invalid_strategy", "strategy must be mobile or desktop")
	}
	target, ok := normalizeURL(pageURL)
	if !ok {
		return Result{}, invalid("invalid_url", "the page URL is not an http(s) URL")
	}
	q := url.Values{}
	q.Set("url", target)
	q.Set("strategy", string(strategy))
	q.Set("category", CategoryPerformance)
	q.Set("key", c.key)
	resp, err := c.doer.Do(ctx, providers.Request{
		Method:   http.MethodGet,
		URL:      c.endpoint + "?" + q.Encode(),
		Endpoint: Endpoint,
		Timeout:  c.timeout,
		CostUSD:  0,
		Credits:  1,
	})
	if err != nil {
		return Result{}, err
	}
	var out RunPagespeedResponse
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return Result{}, &providers.Error{Service: Service, Kind: providers.KindUnavailable, Status: resp.Status,
			Code: "bad_response", Message: "the response is not the documented JSON", Err: err}
	}
	lr := out.LighthouseResult
	if lr == nil {
		return Result{}, &providers.Error{Service: Service, Kind: providers.KindUnavailable, Status: resp.Status,
			Code: "no_lighthouse_result", Message: "the response has no lighthouseResult"}
	}
	res := Result{
		URL:               target,
		FinalURL:          cmp.Or(lr.FinalDisplayedURL, lr.FinalURL, out.ID, target),
		Strategy:          strategy,
		LighthouseVersion: lr.LighthouseVersion,
		FetchTime:         lr.FetchTime,
		Metrics: Metrics{
			FirstContentfulPaintMS:   numeric(lr.Audits, AuditFirstContentfulPaint),
			LargestContentfulPaintMS: numeric(lr.Audits, AuditLargestContentfulPaint),
			SpeedIndexMS:             numeric(lr.Audits, AuditSpeedIndex),
			TotalBlockingTimeMS:      numeric(lr.Audits, AuditTotalBlockingTime),
			CumulativeLayoutShift:    numeric(lr.Audits, AuditCumulativeLayoutShift),
		},
	}
	if p := lr.Categories.Performance; p != nil && p.Score != nil && !math.IsNaN(*p.Score) {
		s := int(math.Round(min(max(*p.Score, 0), 1) * 100))
		res.Score = &s
	}
	if out.LoadingExperience != nil {
		res.FieldCategory = out.LoadingExperience.OverallCategory
	}
	if out.OriginLoadingExperience != nil {
		res.OriginFieldCategory = out.OriginLoadingExperience.OverallCategory
	}
	if rt := lr.RuntimeError; rt != nil && rt.Code != "" && rt.Code != "NO_ERROR" {
		if siteErrors[rt.Code] && res.Score == nil {
			return Result{}, &providers.Error{Service: Service, Kind: providers.KindInvalid, Status: resp.Status,
				Code: rt.Code, Message: providers.TextMessage(http.Header{}, []byte(rt.Message)), Err: ErrSiteNotAnalysable}
		}
		res.RuntimeError = rt
	}
	return res, nil
}

func numeric(audits map[string]Audit, id string) *float64 {
	a, ok := audits[id]
	if !ok || a.NumericValue == nil || math.IsNaN(*a.NumericValue) {
		return nil
	}
	v := *a.NumericValue
	return &v
}

// normalizeURL checks that s is an absolute http(s) URL, adding http:// to a
// bare host, and drops the fragment, which the server never sees. A URL
// with credentials (user:pass@) is refused: they would be sent to Google.
func normalizeURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || strings.ContainsAny(u.Host, " \t") {
		return "", false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), true
}

func invalid(code, msg string) error {
	return &providers.Error{Service: Service, Kind: providers.KindInvalid, Code: code, Message: msg}
}

var lighthouseCodeRE = regexp.MustCompile(`Lighthouse returned error: ([A-Z][A-Z0-9_]+)`)

// lighthouseCode returns the Lighthouse error code a message names, if any.
func lighthouseCode(msg string) string {
	if m := lighthouseCodeRE.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

// classify reads Google's error envelope. A Lighthouse failure caused by the
// site comes as 400 (FAILED_DOCUMENT_REQUEST) or 500
// (ERRORED_DOCUMENT_REQUEST) and is neither a key problem nor worth a retry;
// a bad key comes as 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
func classify(r *providers.Response) *providers.Error {
	e, b, reason := googleapi.Classify(r)
	if e == nil {
		return nil
	}
	if reason == "" {
		if reason = b.LegacyReason(); reason != "" {
			e.Code = reason
		}
	}
	statusKind, known := googleapi.StatusKind(b.Status)
	lh := lighthouseCode(b.Message)
	msg := strings.ToLower(b.Message)
	switch {
	case siteErrors[lh] || reason == "lighthouseUserError":
		e.Kind, e.Err = providers.KindInvalid, ErrSiteNotAnalysable
		if lh != "" {
			e.Code = lh
		}
	case strings.HasPrefix(reason, "API_KEY_") || reason == "keyInvalid" || reason == "keyExpired" ||
		strings.Contains(msg, "api key not valid") || strings.Contains(msg, "api key expired"):
		e.Kind = providers.KindAuth
	case b.Status == "RESOURCE_EXHAUSTED" || r.Status == http.StatusTooManyRequests ||
		reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" || reason == "RATE_LIMIT_EXCEEDED" ||
		reason == "dailyLimitExceeded" || reason == "quotaExceeded":
		// A per-100-seconds or per-minute quota clears by itself; a
		// per-day one does not, and retrying it only burns time.
		e.Kind = providers.KindRateLimited
		if strings.Contains(msg, "per day") || reason == "dailyLimitExceeded" {
			e.Kind = providers.KindQuota
		}
	case lh != "" && statusKind != providers.KindAuth:
		// Lighthouse's own trouble (PROTOCOL_TIMEOUT, …): try again later,
		// unless the status says the key was refused.
		e.Kind, e.Code = providers.KindUnavailable, lh
	case known:
		e.Kind = statusKind
	}
	return e
}
