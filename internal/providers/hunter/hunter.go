// Package hunter is the client of Hunter API v2: Domain Search, Email Finder
// and Email Verifier, under HUNTER_BASE_URL (default
// https://api.hunter.io/v2). The key travels in the X-API-KEY header, never
// in the URL.
//
// Hunter's status codes differ from the usual ones, and the client maps them
// as documented: 403 is the per-second/per-minute rate limit (retried after
// a back-off), 429 is the plan's monthly allowance spent (KindQuota, not
// retried), 451 means the person asked Hunter not to process their data
// (ErrDoNotProcess: the caller must neither store nor contact them), 401 a
// bad key, 400 a wrong parameter. Email Finder's "nobody found" (404, or 200
// with a null email) is a Finding with Found false, not an error. Email
// Verifier may answer 202 (still verifying: polled again a few times) or 222
// (the remote SMTP server misbehaved: status unknown).
//
// Cost. Hunter bills only requests that return something ("no credits are
// counted if Hunter cannot provide at least one email or verify an email
// address"), so each successful attempt is recorded with what it returned:
//
//   - Domain Search: 1 search credit per 1–10 addresses returned
//     (ceil(n/10)); an empty answer costs nothing.
//   - Email Finder: 1 search credit when an address is found, else nothing.
//   - Email Verifier: 1 verification; a verification is half a credit on
//     Hunter's unified-credit plans. 202 (pending, "counted once") and 222
//     answers, and status unknown, cost nothing.
//
// Credits in the recorded Call count Hunter's requests as its /v2/account
// endpoint does (searches and verifications). CostUSD uses
// DefaultSearchCostUSD = $0.10 per search credit, from the Starter plan's
// $49 a month for 500 searches ($0.098, rounded up), and
// DefaultVerificationCostUSD = $0.05 (half a credit); both are upper
// estimates (larger plans, yearly billing and duplicate requests, which
// Hunter does not count twice in a month, cost less) and configurable.
//
// Rate limits: Domain Search and Email Finder allow 15 requests/s and 500 a
// minute, Email Verifier 10/s and 300 a minute. A token bucket with burst 15
// refilled at 8/s keeps under both (15 + 8·60 = 495 a minute); the verifier
// has its own bucket (burst 10, 4.5/s).
package hunter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
)

// DefaultBaseURL is HUNTER_BASE_URL's default.
const DefaultBaseURL = "https://api.hunter.io/v2"

// Service is the service identifier recorded in api_usage.service.
const Service = "hunter"

// Endpoint labels for Calls and logs; the client appends them to the base URL.
const (
	EndpointDomainSearch  = "domain-search"
	EndpointEmailFinder   = "email-finder"
	EndpointEmailVerifier = "email-verifier"
)

const (
	// DefaultLimit is Domain Search's page size by default, and the most a
	// free plan serves: it refuses limit+offset > 10 with pagination_error.
	DefaultLimit = 10
	// MaxLimit is the largest Domain Search page.
	MaxLimit = 100
	// EmailsPerSearchCredit: one search credit covers 1 to 10 addresses.
	EmailsPerSearchCredit = 10

	// DefaultSearchCostUSD is the price of one search credit (Starter:
	// $49 for 500 searches a month) and DefaultVerificationCostUSD of one
	// verification (half a credit); see the package documentation.
	DefaultSearchCostUSD       = 0.10
	DefaultVerificationCostUSD = 0.05

	// StatusSMTPFailure is the HTTP status Email Verifier answers when the
	// remote SMTP server responded unexpectedly; 202 (http.StatusAccepted)
	// means the verification is still running.
	StatusSMTPFailure = 222

	// DefaultVerifyPolls is how many more times EmailVerifier asks after a
	// 202, DefaultVerifyPollInterval apart.
	DefaultVerifyPolls        = 3
	DefaultVerifyPollInterval = 5 * time.Second

	// FinderTimeout and VerifierTimeout bound one attempt: Email Finder
	// runs up to max_duration (default 10 s, at most 20 s), Email Verifier
	// up to 20 s before answering 202.
	FinderTimeout   = 30 * time.Second
	VerifierTimeout = 35 * time.Second

	// MinWaitAfterRateLimit is the least pause after a 403: the limit is
	// per second (and per minute), and Hunter sends no Retry-After that we
	// know of.
	MinWaitAfterRateLimit = time.Second
)

// Default rates; see the package documentation.
var (
	SearchRate   = providers.Rate{PerSecond: 8, Burst: 15}
	VerifierRate = providers.Rate{PerSecond: 4.5, Burst: 10}
)

// ErrDoNotProcess is in the chain of the error returned when Hunter answers
// 451 claimed_email: the person asked not to have their data processed. The
// caller must not store the address nor contact the person.
var ErrDoNotProcess = errors.New("the person asked not to have their data processed (claimed_email): do not store or contact them")

// IsDoNotProcess reports whether err is Hunter's 451 claimed_email.
func IsDoNotProcess(err error) bool { return errors.Is(err, ErrDoNotProcess) }

// Config configures a Client.
type Config struct {
	APIKey  string // HUNTER_API_KEY; may be empty when only per-user keys are used
	BaseURL string // HUNTER_BASE_URL; default DefaultBaseURL

	// SearchCostUSD is the price of one search credit and
	// VerificationCostUSD of one verification; zero takes the default, a
	// negative value records no cost.
	SearchCostUSD       float64
	VerificationCostUSD float64

	// VerifyPolls is how many more requests EmailVerifier sends after a
	// 202, VerifyPollInterval apart (on Settings.Clock). Zero takes the
	// defaults; a negative VerifyPolls disables polling.
	VerifyPolls        int
	VerifyPollInterval time.Duration

	// VerifierRate overrides the Email Verifier's rate limit;
	// Settings.Rate overrides the Domain Search / Email Finder one.
	VerifierRate providers.Rate

	Settings providers.Settings
}

// Client calls Hunter. Build one per process and share it (see package
// providers on ownership); use WithKey for a user's own key.
type Client struct {
	base       string
	key        string
	searchCost float64
	verifyCost float64
	polls      int
	pollWait   time.Duration
	rec        providers.Recorder
	search     *providers.Doer // Domain Search and Email Finder
	verify     *providers.Doer // Email Verifier, which has its own limits
}

// New builds a Client.
func New(cfg Config) (*Client, error) {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("hunter: base URL %q is not an http(s) URL", base)
	}
	c := &Client{
		base:       strings.TrimRight(base, "/"),
		key:        cfg.APIKey,
		searchCost: cost(cfg.SearchCostUSD, DefaultSearchCostUSD),
		verifyCost: cost(cfg.VerificationCostUSD, DefaultVerificationCostUSD),
		polls:      cfg.VerifyPolls,
		pollWait:   cfg.VerifyPollInterval,
		rec:        cfg.Settings.Recorder,
	}
	switch {
	case c.polls == 0:
		c.polls = DefaultVerifyPolls
	case c.polls < 0:
		c.polls = 0
	}
	if c.pollWait <= 0 {
		c.pollWait = DefaultVerifyPollInterval
	}
	if c.rec == nil {
		c.rec = providers.NopRecorder{}
	}
	s := cfg.Settings
	s.Recorder = deferring{next: c.rec}
	c.search = providers.NewDoer(providers.Policy{
		Service:         Service,
		Rate:            SearchRate,
		MinWaitAfter429: MinWaitAfterRateLimit,
		Classify:        classify,
	}, s)
	s.Rate = cfg.VerifierRate
	c.verify = providers.NewDoer(providers.Policy{
		Service:         Service,
		Rate:            VerifierRate,
		MinWaitAfter429: MinWaitAfterRateLimit,
		Classify:        classify,
	}, s)
	return c, nil
}

func cost(v, def float64) float64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// WithKey returns a client that uses key and shares c's rate limiters and
// recorder, for users who bring their own key.
func (c *Client) WithKey(key string) *Client {
	cp := *c
	cp.key = key
	return &cp
}

// DomainSearchParams is one Domain Search.
type DomainSearchParams struct {
	Domain string // e.g. "lonestarplumbing.com"; a URL is reduced to its host
	// Limit is the page size: 0 means DefaultLimit (10, all a free plan
	// serves), more than MaxLimit means MaxLimit.
	Limit  int
	Offset int
	Type   string // "", TypePersonal or TypeGeneric
	// Seniority (junior, senior, executive) and Department (executive, it,
	// finance, management, sales, legal, support, hr, marketing,
	// communication, education, design, health, operations) filter the
	// addresses; Hunter rejects unknown values.
	Seniority  []string
	Department []string
	// Pages is how many pages to fetch at most; 0 means one. Each page is
	// billed, and a free plan refuses any page past the first ten addresses.
	Pages int
}

// DomainSearchResult is what Domain Search knows of a domain, with the
// addresses of every page fetched in Emails.
type DomainSearchResult struct {
	DomainSearchData
	// Total is Hunter's count of addresses for the query (meta.results),
	// all pages together.
	Total int
	// NextOffset is the offset of the first address not fetched.
	NextOffset int
	// PlanLimited reports that Hunter refused a further page with
	// pagination_error (a free plan serves limit+offset ≤ 10); Emails holds
	// the pages before it.
	PlanLimited bool
}

// More reports whether Hunter has addresses past the ones fetched.
func (r DomainSearchResult) More() bool { return r.NextOffset < r.Total }

// DomainSearch returns the addresses Hunter knows at a domain, one page of
// p.Limit unless p.Pages asks for more.
func (c *Client) DomainSearch(ctx context.Context, p DomainSearchParams) (DomainSearchResult, error) {
	if err := c.ready(); err != nil {
		return DomainSearchResult{}, err
	}
	domain, ok := normalizeDomain(p.Domain)
	if !ok {
		return DomainSearchResult{}, invalid("invalid_domain", "the domain is empty or not a domain name")
	}
	if p.Type != "" && p.Type != TypePersonal && p.Type != TypeGeneric {
		return DomainSearchResult{}, invalid("invalid_type", "type must be personal or generic")
	}
	if p.Limit < 0 || p.Offset < 0 {
		return DomainSearchResult{}, invalid(ErrorIDPaginationError, "limit and offset must not be negative")
	}
	limit := p.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	pages := max(p.Pages, 1)

	q := url.Values{}
	q.Set("domain", domain)
	if p.Type != "" {
		q.Set("type", p.Type)
	}
	if s := joinList(p.Seniority); s != "" {
		q.Set("seniority", s)
	}
	if s := joinList(p.Department); s != "" {
		q.Set("department", s)
	}
	q.Set("limit", strconv.Itoa(limit))

	var res DomainSearchResult
	offset := p.Offset
	for page := range pages {
		q.Set("offset", strconv.Itoa(offset))
		var out DomainSearchResponse
		err := c.call(ctx, c.search, EndpointDomainSearch, q, 0, func(r *providers.Response) (bill, error) {
			if err := json.Unmarshal(r.Body, &out); err != nil {
				return bill{credits: 1, usd: c.searchCost}, badResponse(r, err)
			}
			n := (len(out.Data.Emails) + EmailsPerSearchCredit - 1) / EmailsPerSearchCredit
			return bill{credits: n, usd: float64(n) * c.searchCost}, nil
		})
		if err != nil {
			if page > 0 && isPaginationError(err) {
				res.PlanLimited = true
				return res, nil
			}
			return DomainSearchResult{}, err
		}
		got := out.Data.Emails
		if page == 0 {
			res.DomainSearchData = out.Data
			res.Emails = nil
		}
		res.Emails = append(res.Emails, got...)
		res.Total = out.Meta.Results
		offset += len(got)
		res.NextOffset = offset
		if len(got) < limit || offset >= out.Meta.Results {
			break
		}
	}
	return res, nil
}

func isPaginationError(err error) bool {
	e, ok := providers.AsError(err)
	return ok && e.Code == ErrorIDPaginationError
}

// EmailFinderParams is one Email Finder query: a domain and the person's
// first and last name, or their full name.
type EmailFinderParams struct {
	Domain    string
	FirstName string
	LastName  string
	// FullName is sent only when FirstName or LastName is empty: Hunter
	// finds more with the two parts.
	FullName string
}

// Finding is Email Finder's answer. Found is false when Hunter has no address
// for the person (404, or 200 with a null email); the other fields may still
// echo what Hunter knows.
type Finding struct {
	Found bool
	EmailFinderData
}

// EmailFinder returns the most likely address of a person at a domain.
func (c *Client) EmailFinder(ctx context.Context, p EmailFinderParams) (Finding, error) {
	if err := c.ready(); err != nil {
		return Finding{}, err
	}
	domain, ok := normalizeDomain(p.Domain)
	if !ok {
		return Finding{}, invalid("invalid_domain", "the domain is empty or not a domain name")
	}
	q := url.Values{}
	q.Set("domain", domain)
	first, last, full := strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName), strings.TrimSpace(p.FullName)
	switch {
	case first != "" && last != "":
		q.Set("first_name", first)
		q.Set("last_name", last)
	case full != "":
		q.Set("full_name", full)
	default:
		return Finding{}, invalid("wrong_params", "a first and last name, or a full name, is required")
	}
	var out EmailFinderResponse
	err := c.call(ctx, c.search, EndpointEmailFinder, q, FinderTimeout, func(r *providers.Response) (bill, error) {
		if err := json.Unmarshal(r.Body, &out); err != nil {
			return bill{credits: 1, usd: c.searchCost}, badResponse(r, err)
		}
		if out.Data.Email == "" {
			return bill{}, nil
		}
		return bill{credits: 1, usd: c.searchCost}, nil
	})
	if err != nil {
		// A 404 in Hunter's envelope is "nobody found". Without the
		// envelope it is more likely a wrong base URL, and stays an error.
		if e, ok := providers.AsError(err); ok && e.Kind == providers.KindNotFound && e.Code != "" {
			return Finding{}, nil
		}
		return Finding{}, err
	}
	return Finding{Found: out.Data.Email != "", EmailFinderData: out.Data}, nil
}

// VerifierResult is Email Verifier's answer.
type VerifierResult struct {
	EmailVerifierData
	// Pending reports that Hunter was still verifying (202) after the
	// polls; Status is unknown and a later call may tell more (Hunter
	// counts it once).
	Pending bool
	// SMTPFailure reports a 222: the remote SMTP server answered
	// unexpectedly; Status is unknown, and a retry later may succeed.
	SMTPFailure bool
}

// EmailVerifier checks whether an address is deliverable. A 202 is polled
// again up to Config.VerifyPolls times; a 222 returns status unknown.
func (c *Client) EmailVerifier(ctx context.Context, email string) (VerifierResult, error) {
	if err := c.ready(); err != nil {
		return VerifierResult{}, err
	}
	email = strings.TrimSpace(email)
	if at := strings.LastIndexByte(email, '@'); at <= 0 || at == len(email)-1 || strings.ContainsAny(email, " \t\r\n") {
		return VerifierResult{}, invalid("invalid_email", "the email address is not valid")
	}
	q := url.Values{}
	q.Set("email", email)
	for poll := 0; ; poll++ {
		status, data, err := c.verifyOnce(ctx, q)
		if err != nil {
			return VerifierResult{}, err
		}
		if status == http.StatusAccepted && poll < c.polls {
			if err := c.verify.Clock().Sleep(ctx, c.pollWait); err != nil {
				return VerifierResult{}, fmt.Errorf("%s: %w", Service, err)
			}
			continue
		}
		v := VerifierResult{EmailVerifierData: data, Pending: status == http.StatusAccepted, SMTPFailure: status == StatusSMTPFailure}
		if v.Email == "" {
			v.Email = email
		}
		if v.Status == "" || v.Pending || v.SMTPFailure {
			v.Status = StatusUnknown
		}
		return v, nil
	}
}

// verifyOnce sends one Email Verifier request. A 202 (pending) and a 222
// (SMTP failure) are billed nothing, nor is status unknown: Hunter counts a
// verification only when it could verify.
func (c *Client) verifyOnce(ctx context.Context, q url.Values) (int, EmailVerifierData, error) {
	var status int
	var out EmailVerifierResponse
	err := c.call(ctx, c.verify, EndpointEmailVerifier, q, VerifierTimeout, func(r *providers.Response) (bill, error) {
		status = r.Status
		switch r.Status {
		case http.StatusAccepted:
			return bill{}, nil
		case StatusSMTPFailure:
			// The body is not documented: keep whatever it says.
			_ = json.Unmarshal(r.Body, &out)
			return bill{}, nil
		}
		if err := json.Unmarshal(r.Body, &out); err != nil {
			return bill{credits: 1, usd: c.verifyCost}, badResponse(r, err)
		}
		if out.Data.Status == "" || out.Data.Status == StatusUnknown {
			return bill{}, nil
		}
		return bill{credits: 1, usd: c.verifyCost}, nil
	})
	return status, out.Data, err
}

func (c *Client) ready() error {
	if c.key == "" {
		return &providers.Error{Service: Service, Kind: providers.KindAuth, Code: providers.CodeNoAPIKey, Message: "no API key configured"}
	}
	return nil
}

func invalid(code, msg string) error {
	return &providers.Error{Service: Service, Kind: providers.KindInvalid, Code: code, Message: msg}
}

func badResponse(r *providers.Response, err error) error {
	return &providers.Error{Service: Service, Kind: providers.KindUnavailable, Status: r.Status,
		Code: "bad_response", Message: "the response is not the documented JSON", Err: err}
}

// normalizeDomain reduces "https://www.Example.com/contact" to "example.com".
func normalizeDomain(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "www."), ".")
	if s == "" || !strings.Contains(s, ".") || strings.ContainsAny(s, " \t\r\n,;") {
		return "", false
	}
	return s, true
}

func joinList(vs []string) string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, ",")
}

// bill is what Hunter charges for one successful answer.
type bill struct {
	credits int
	usd     float64
}

// call sends one GET and hands a 2xx answer to handle, which decodes it and
// says what Hunter bills for it. Failed attempts are recorded by the Doer as
// they happen; the successful one is held back (see deferring) and recorded
// after handle, with that bill, because Hunter charges only for results.
func (c *Client) call(ctx context.Context, d *providers.Doer, endpoint string, q url.Values, timeout time.Duration, handle func(*providers.Response) (bill, error)) error {
	p := &pending{}
	h := http.Header{}
	h.Set("X-API-KEY", c.key)
	resp, err := d.Do(context.WithValue(ctx, pendingKey{}, p), providers.Request{
		Method:   http.MethodGet,
		URL:      c.base + "/" + endpoint + "?" + q.Encode(),
		Endpoint: endpoint,
		Header:   h,
		Timeout:  timeout,
	})
	if err != nil {
		p.record(c.rec, bill{})
		return err
	}
	b, err := handle(resp)
	p.record(c.rec, b)
	return err
}

type pendingKey struct{}

// pending holds the successful attempt of one call until its bill is known.
// The Doer reports attempts synchronously on the caller's goroutine, so no
// lock is needed.
type pending struct {
	ctx  context.Context
	call *providers.Call
}

func (p *pending) record(rec providers.Recorder, b bill) {
	if p.call == nil {
		return
	}
	c := *p.call
	p.call = nil
	c.Credits, c.CostUSD = b.credits, b.usd
	rec.RecordCall(p.ctx, c)
}

// deferring is the Recorder the Doers report to: it passes failed attempts
// on at once and parks a successful one in the call's pending slot.
type deferring struct{ next providers.Recorder }

func (d deferring) RecordCall(ctx context.Context, c providers.Call) {
	if p, ok := ctx.Value(pendingKey{}).(*pending); ok && c.Err == nil {
		p.ctx, p.call = ctx, &c
		return
	}
	d.next.RecordCall(ctx, c)
}

// classify reads Hunter's {"errors":[{id,code,details}]} envelope and maps
// the status codes Hunter gives its own meaning.
func classify(r *providers.Response) *providers.Error {
	e := &providers.Error{Kind: kindOf(r.Status)}
	var env ErrorResponse
	if err := json.Unmarshal(r.Body, &env); err == nil && len(env.Errors) > 0 {
		e.Code, e.Message = env.Errors[0].ID, env.Errors[0].Details
	} else {
		e.Message = providers.TextMessage(r.Header, r.Body)
	}
	if r.Status == http.StatusUnavailableForLegalReasons || e.Code == ErrorIDClaimedEmail {
		e.Kind, e.Err = providers.KindRejected, ErrDoNotProcess
		if e.Code == "" {
			e.Code = ErrorIDClaimedEmail
		}
	}
	return e
}

func kindOf(status int) providers.Kind {
	switch status {
	case http.StatusUnauthorized:
		return providers.KindAuth
	case http.StatusForbidden:
		return providers.KindRateLimited
	case http.StatusTooManyRequests:
		return providers.KindQuota
	case http.StatusUnavailableForLegalReasons:
		return providers.KindRejected
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return providers.KindInvalid
	}
	return providers.ClassifyStatus(status)
}
