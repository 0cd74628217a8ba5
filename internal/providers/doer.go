package providers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Defaults of Settings.
const (
	DefaultTimeout          = 20 * time.Second
	DefaultMaxAttempts      = 4
	DefaultBaseBackoff      = 500 * time.Millisecond
	DefaultMaxBackoff       = 30 * time.Second
	DefaultMaxRetryAfter    = 60 * time.Second
	DefaultMaxResponseBytes = 32 << 20
	// DefaultUserAgent is only a last resort: the application passes
	// OUTBOUND_USER_AGENT. Stock library agents are refused by OpenStreetMap.
	DefaultUserAgent = "Prospector/dev"
)

// Settings are what the application decides once for every client (from its
// configuration); zero fields take the defaults above.
type Settings struct {
	HTTPClient *http.Client
	UserAgent  string // OUTBOUND_USER_AGENT, sent on every request
	Recorder   Recorder
	Logger     *slog.Logger
	Clock      Clock
	// Jitter returns a number in [0,1). Tests pin it to make back-off exact.
	Jitter func() float64

	Timeout          time.Duration // per attempt
	MaxAttempts      int           // including the first
	BaseBackoff      time.Duration // first back-off ceiling; doubles per attempt
	MaxBackoff       time.Duration // back-off ceiling
	MaxRetryAfter    time.Duration // a longer Retry-After is not waited for: Do gives up and returns it
	MaxResponseBytes int64
	// Rate overrides the client's default rate limit (e.g. a paid plan).
	Rate Rate
}

// Policy is what a client package knows about its service.
type Policy struct {
	Service string
	Rate    Rate // default rate limit; Settings.Rate wins when set
	// MinWaitAfter429 is the least pause after a rate-limit answer, even when
	// the service asks for less or says nothing (Overpass wants ≥ 30 s).
	MinWaitAfter429 time.Duration
	// MaxInFlight bounds concurrent requests (Overpass: one at a time); 0 = no bound.
	MaxInFlight int
	// Classify turns a non-2xx response into an *Error; nil uses ClassifyStatus.
	// Service, Status and RetryAfter are filled in by the Doer when left empty.
	Classify func(r *Response) *Error
}

// Request is one logical call. Body is a byte slice rather than a reader so
// that every attempt sends it again in full.
type Request struct {
	Method   string
	URL      string // full URL; never logged nor recorded
	Endpoint string // label for Call and logs, e.g. "places:searchText"
	Header   http.Header
	Body     []byte
	Timeout  time.Duration // overrides Settings.Timeout (Overpass runs long queries)
	CostUSD  float64       // estimate for one successful attempt
	Credits  int
}

// Response is a fully read response.
type Response struct {
	Status   int
	Header   http.Header
	Body     []byte
	Received time.Time // on the Doer's clock
}

// Doer sends requests for one service with the rate limit, retries and
// reporting described in the package documentation. It is safe for
// concurrent use, and meant to be shared: see the package doc on ownership.
type Doer struct {
	policy   Policy
	client   *http.Client
	ua       string
	rec      Recorder
	log      *slog.Logger
	clock    Clock
	jitter   func() float64
	timeout  time.Duration
	attempts int
	base     time.Duration
	maxBack  time.Duration
	maxRA    time.Duration
	maxBody  int64
	limiter  *Limiter
	inflight chan struct{}
}

// NewDoer builds the Doer of one service.
func NewDoer(p Policy, s Settings) *Doer {
	d := &Doer{
		policy:   p,
		client:   s.HTTPClient,
		ua:       s.UserAgent,
		rec:      s.Recorder,
		log:      s.Logger,
		clock:    s.Clock,
		jitter:   s.Jitter,
		timeout:  orDuration(s.Timeout, DefaultTimeout),
		attempts: s.MaxAttempts,
		base:     orDuration(s.BaseBackoff, DefaultBaseBackoff),
		maxBack:  orDuration(s.MaxBackoff, DefaultMaxBackoff),
		maxRA:    orDuration(s.MaxRetryAfter, DefaultMaxRetryAfter),
		maxBody:  s.MaxResponseBytes,
	}
	if d.client == nil {
		d.client = &http.Client{}
	}
	if d.ua == "" {
		d.ua = DefaultUserAgent
	}
	if d.rec == nil {
		d.rec = NopRecorder{}
	}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if d.clock == nil {
		d.clock = SystemClock{}
	}
	if d.jitter == nil {
		d.jitter = rand.Float64
	}
	if d.attempts <= 0 {
		d.attempts = DefaultMaxAttempts
	}
	if d.maxBody <= 0 {
		d.maxBody = DefaultMaxResponseBytes
	}
	rate := p.Rate
	if s.Rate.PerSecond > 0 {
		rate = s.Rate
	}
	d.limiter = NewLimiter(rate, d.clock)
	if p.MaxInFlight > 0 {
		d.inflight = make(chan struct{}, p.MaxInFlight)
	}
	return d
}

func orDuration(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Service returns the service identifier.
func (d *Doer) Service() string { return d.policy.Service }

// Clock returns the Doer's clock, for clients that keep time-based caches.
func (d *Doer) Clock() Clock { return d.clock }

// Limiter returns the shared limiter.
func (d *Doer) Limiter() *Limiter { return d.limiter }

// Do sends req, retrying on rate limits, server errors and network failures,
// and returns the first 2xx response. A failed call returns an *Error, or the
// context's error when ctx ended first.
func (d *Doer) Do(ctx context.Context, req Request) (*Response, error) {
	for attempt := 1; ; attempt++ {
		if err := d.limiter.Wait(ctx); err != nil {
			return nil, d.ctxErr(err)
		}
		resp, perr := d.attempt(ctx, req)
		if perr == nil {
			return resp, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, d.ctxErr(err)
		}
		if !perr.Kind.Retryable() || attempt >= d.attempts {
			return nil, perr
		}
		wait := perr.RetryAfter
		if wait <= 0 {
			wait = d.backoff(attempt)
		}
		if wait > d.maxRA {
			// Waiting minutes inside a request would hold a worker and its
			// job lease; the caller reschedules with the RetryAfter instead.
			perr.RetryAfter = wait
			return nil, perr
		}
		d.log.LogAttrs(ctx, slog.LevelWarn, "provider call failed, retrying",
			slog.String("service", d.policy.Service),
			slog.String("endpoint", req.Endpoint),
			slog.Int("status", perr.Status),
			slog.String("code", perr.Code),
			slog.Int("attempt", attempt),
			slog.Duration("wait", wait))
		if perr.Kind == KindRateLimited {
			// Everyone sharing this client pauses, not only this caller.
			d.limiter.Block(wait)
			continue
		}
		if err := d.clock.Sleep(ctx, wait); err != nil {
			return nil, d.ctxErr(err)
		}
	}
}

func (d *Doer) ctxErr(err error) error {
	return fmt.Errorf("%s: %w", d.policy.Service, err)
}

// backoff is "full jitter": uniform in [0, min(max, base·2^(n-1))], which
// spreads retries of many workers better than a fixed exponential delay.
func (d *Doer) backoff(attempt int) time.Duration {
	ceiling := d.base << min(attempt-1, 30)
	if ceiling <= 0 || ceiling > d.maxBack {
		ceiling = d.maxBack
	}
	return time.Duration(d.jitter() * float64(ceiling))
}

func (d *Doer) attempt(ctx context.Context, req Request) (*Response, *Error) {
	if d.inflight != nil {
		select {
		case d.inflight <- struct{}{}:
			defer func() { <-d.inflight }()
		case <-ctx.Done():
			return nil, &Error{Service: d.policy.Service, Kind: KindUnavailable, Code: "cancelled", Err: ctx.Err()}
		}
	}
	timeout := orDuration(req.Timeout, d.timeout)
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	hreq, err := http.NewRequestWithContext(actx, method, req.URL, body)
	if err != nil {
		// Not sent, so not recorded; the URL is left out of the error
		// because some services take their key in the query string.
		return nil, &Error{Service: d.policy.Service, Kind: KindInvalid, Code: "bad_request", Message: "cannot build request", Err: stripURL(err)}
	}
	for k, vs := range req.Header {
		hreq.Header[k] = append([]string(nil), vs...)
	}
	hreq.Header.Set("User-Agent", d.ua)
	if hreq.Header.Get("Accept") == "" {
		hreq.Header.Set("Accept", "application/json")
	}

	start := time.Now()
	call := Call{Service: d.policy.Service, Endpoint: req.Endpoint}
	finish := func(r *Response, perr *Error) (*Response, *Error) {
		call.Duration = time.Since(start)
		if perr != nil {
			call.Err = perr
		} else {
			call.CostUSD = req.CostUSD
			call.Credits = req.Credits
		}
		d.rec.RecordCall(ctx, call)
		return r, perr
	}

	hresp, err := d.client.Do(hreq)
	if err != nil {
		perr := &Error{Service: d.policy.Service, Kind: KindUnavailable, Code: "network", Message: "request failed", Err: stripURL(err)}
		if errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			perr.Code = "timeout"
			perr.Message = "no answer within " + timeout.String()
		}
		return finish(nil, perr)
	}
	defer hresp.Body.Close()
	call.Status = hresp.StatusCode
	data, err := io.ReadAll(io.LimitReader(hresp.Body, d.maxBody+1))
	if err != nil {
		return finish(nil, &Error{Service: d.policy.Service, Kind: KindUnavailable, Status: hresp.StatusCode, Code: "network", Message: "reading the response failed", Err: stripURL(err)})
	}
	if int64(len(data)) > d.maxBody {
		return finish(nil, &Error{Service: d.policy.Service, Kind: KindUnknown, Status: hresp.StatusCode, Code: "response_too_large", Message: "response larger than " + strconv.FormatInt(d.maxBody, 10) + " bytes"})
	}
	r := &Response{Status: hresp.StatusCode, Header: hresp.Header, Body: data, Received: d.clock.Now()}
	if r.Status >= 200 && r.Status < 300 {
		return finish(r, nil)
	}
	return finish(nil, d.classify(r))
}

func (d *Doer) classify(r *Response) *Error {
	var perr *Error
	if d.policy.Classify != nil {
		perr = d.policy.Classify(r)
	}
	if perr == nil {
		perr = &Error{Kind: ClassifyStatus(r.Status), Message: TextMessage(r.Header, r.Body)}
	}
	if perr.Service == "" {
		perr.Service = d.policy.Service
	}
	if perr.Status == 0 {
		perr.Status = r.Status
	}
	if perr.RetryAfter == 0 {
		if ra, ok := ParseRetryAfter(r.Header.Get("Retry-After"), r.Received); ok {
			perr.RetryAfter = ra
		}
	}
	if perr.Kind == KindRateLimited && perr.RetryAfter < d.policy.MinWaitAfter429 {
		perr.RetryAfter = d.policy.MinWaitAfter429
	}
	return perr
}

// stripURL drops the URL that net/http puts in its errors: some services
// (Hunter, PageSpeed) take the key as a query parameter.
func stripURL(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// ClassifyStatus is the default mapping from an HTTP status to a Kind.
func ClassifyStatus(status int) Kind {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return KindAuth
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusRequestTimeout || status >= 500:
		return KindUnavailable
	case status == http.StatusNotAcceptable:
		return KindRejected
	case status >= 400:
		return KindInvalid
	}
	return KindUnknown
}
