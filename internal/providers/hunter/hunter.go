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
	"errors"
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

// SearchRate is the default rate of Domain Search and Email Finder, and
// VerifierRate the Email Verifier's; see the package documentation.
// Functions, not variables, so no caller can change another's default:
// Settings.Rate and Config.VerifierRate override them per client.
func SearchRate() providers.Rate   { return providers.Rate{PerSecond: 8, Burst: 15} }
func VerifierRate() providers.Rate { return providers.Rate{PerSecond: 4.5, Burst: 10} }

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
	base, err := providers.BaseURL("hunter", cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:       base,
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
		Rate:            SearchRate(),
		MinWaitAfter429: MinWaitAfterRateLimit,
		Classify:        classify,
	}, s)
	s.Rate = cfg.VerifierRate
	c.verify = providers.NewDoer(providers.Policy{
		Service:         Service,
		Rate:            VerifierRate(),
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
