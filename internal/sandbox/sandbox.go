package sandbox

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/dns"
	"github.com/prospectorhq/prospector/internal/sandbox/imap"
	"github.com/prospectorhq/prospector/internal/sandbox/instantly"
	"github.com/prospectorhq/prospector/internal/sandbox/smtp"
	sandboxstripe "github.com/prospectorhq/prospector/internal/sandbox/stripe"
	"github.com/prospectorhq/prospector/internal/sandbox/webhost"
	"github.com/prospectorhq/prospector/internal/sandbox/world"
)

// Service names a faked service.
type Service string

// Faked services.
const (
	GooglePlaces Service = "google_places"
	Yelp         Service = "yelp"
	Nominatim    Service = "nominatim"
	Overpass     Service = "overpass"
	Hunter       Service = "hunter"
	PageSpeed    Service = "pagespeed"
	// Anthropic is the Messages API fake (package anthropic): a Fault's
	// Status 429 or 529 answers rate_limit_error or overloaded_error, any
	// other Status that error in the API's envelope; Latency delays the
	// answers.
	Anthropic Service = "anthropic"
	// Instantly is the Instantly API v2 fake (package instantly): a
	// Fault's Status answers that status in Instantly's error shape, with
	// its RetryAfter as Retry-After.
	Instantly Service = "instantly"
	// Stripe is the Stripe fake (package stripe): checkout and portal
	// sessions, subscriptions, and the sandbox payment and portal pages
	// that deliver signed webhooks (Sandbox.Stripe().SetWebhook). A
	// Fault's Status answers that status in Stripe's error envelope.
	Stripe Service = "stripe"
	// Websites is the web host: a Fault's Status answers every page of
	// every site with that status, its Latency delays them.
	Websites Service = "websites"
	// DNS is the DNS server: a Fault's Status answers SERVFAIL, Empty
	// answers NXDOMAIN for every name, Latency delays the answers.
	DNS Service = "dns"
	// IMAP is the IMAP server (package imap): each command is a Request
	// whose Method is the command ("LOGIN", "EXAMINE", "FETCH"…) and
	// whose Path is the user; a Fault's Status answers NO [UNAVAILABLE]
	// (or [Code]), Latency delays the answer.
	IMAP Service = "imap"
)

// The fake keys the sandbox accepts, unless Options says otherwise.
const (
	DefaultGoogleAPIKey = "sandbox-google-places-key"
	DefaultYelpAPIKey   = "sandbox-yelp-key"
	DefaultHunterAPIKey = "sandbox-hunter-key"
	// DefaultPageSpeedAPIKey is the PageSpeed Insights key; like Google's
	// real API the fake also takes it from the X-Goog-Api-Key header.
	DefaultPageSpeedAPIKey = "sandbox-pagespeed-key"
	// DefaultInstantlyAPIKey is the Instantly key (a Bearer token).
	DefaultInstantlyAPIKey = instantly.DefaultKey
)

// Options configures Start.
type Options struct {
	// Addr is the listen address; default "127.0.0.1:0". Only loopback
	// addresses are accepted: the sandbox is never a public service.
	Addr string
	// Latency delays every answer of every service.
	Latency         time.Duration
	Faults          map[Service]Fault
	GoogleAPIKey    string
	YelpAPIKey      string
	HunterAPIKey    string
	PageSpeedAPIKey string
	InstantlyAPIKey string
	// Anthropic configures the Messages API fake: its key (APIKey,
	// DefaultAnthropicKey when empty), scripted Faults and OnRequest.
	Anthropic AnthropicOptions
	// AnthropicAddr is the Messages API fake's listen address, a loopback
	// address; default "127.0.0.1:0".
	AnthropicAddr string
	// StripeAddr is the Stripe fake's listen address (its API and its
	// payment pages), a loopback address; default "127.0.0.1:0".
	StripeAddr string

	// WebsitePorts makes the discovery fakes (Google websiteUri, OSM
	// website tags) and Town show each website at the web host's address,
	// https://<domain>:<WebHTTPS port>/ or http://<domain>:<WebHTTP
	// port>/, so that the enrichment stage can fetch it. Without it they
	// show the port-less URL the town generator made (Business.Website),
	// which older tests expect; Sandbox.WebsiteURL gives the served address
	// either way.
	WebsitePorts bool
	// SlowSiteDelay is how long SiteSlow websites take to answer; default
	// 3 s. SetSlowSiteDelay changes it later.
	SlowSiteDelay time.Duration
	// WebHTTPAddr and WebHTTPSAddr are the web host's listen addresses,
	// DNSAddr the DNS server's (UDP and TCP). Each defaults to
	// "127.0.0.1:0"; they must be IPv4 loopback addresses, the two web
	// addresses on the same IP (the one the DNS server answers). Fixed ports
	// keep stored website URLs valid across restarts of a demo.
	WebHTTPAddr  string
	WebHTTPSAddr string
	DNSAddr      string
	// AnswerDelay is how long after the SMTP server takes a message the
	// fictional business's answer (package answers: some reply, some are
	// out of the office, some addresses bounce) lands in the sending
	// mailbox's inbox on the IMAP server; default 2 s, negative: no
	// answers.
	AnswerDelay time.Duration
}

// Request is what the sandbox saw of one request, for tests to inspect.
type Request struct {
	Service Service
	Method  string
	Path    string
	Query   url.Values
	Header  http.Header
	Body    []byte
}

// Sandbox is a running set of fakes.
type Sandbox struct {
	// Base URLs, to be used as GOOGLE_PLACES_BASE_URL, YELP_BASE_URL,
	// NOMINATIM_URL, OVERPASS_URL, HUNTER_BASE_URL, PAGESPEED_BASE_URL and
	// INSTANTLY_BASE_URL.
	GooglePlacesURL string
	YelpURL         string
	NominatimURL    string
	OverpassURL     string
	HunterURL       string
	PageSpeedURL    string
	InstantlyURL    string
	// StripeURL is the Stripe fake's host root, the STRIPE_API_BASE
	// (stripe-go appends /v1/…); the payment pages are under it too.
	StripeURL string
	// AnthropicURL is the Messages API fake's host root, the
	// ANTHROPIC_BASE_URL; the SDK appends /v1/messages.
	AnthropicURL string
	// Keys the fakes accept.
	GoogleAPIKey    string
	YelpAPIKey      string
	HunterAPIKey    string
	PageSpeedAPIKey string
	InstantlyAPIKey string
	AnthropicAPIKey string
	// WebHTTPAddr and WebHTTPSAddr are the web host's listeners
	// ("127.0.0.1:port"): the FETCH_ALLOWLIST pairs.
	WebHTTPAddr  string
	WebHTTPSAddr string
	// DNSAddr is the DNS server ("127.0.0.1:port", UDP and TCP): the
	// DNS_RESOLVER value.
	DNSAddr string
	// SMTP is the mail server that receives what is sent to the fictional
	// businesses (sign in as smtp.DefaultUsername, smtp.DefaultPassword;
	// SMTP.Addr() is the SEND_ALLOWLIST pair); its record counts what
	// arrived.
	SMTP *smtp.Server
	// IMAP is the mail server holding the sandbox mailboxes' inboxes,
	// where the fictional businesses' answers arrive (IMAP.Deliver). It
	// starts with no users: add one per mailbox with IMAP.AddUser. Its
	// certificate chains to the sandbox CA (CertPool, WriteCA);
	// IMAP.Addr() (plain text or STARTTLS) is in SEND_ALLOWLIST.
	IMAP *imap.Server

	baseURL   string
	world     *world.World
	web       *webhost.Host
	dns       *dns.Server
	instantly *instantly.Fake
	mailback  *mailback
	stripe    *sandboxstripe.Fake
	servers   []*http.Server     // the API listener's, the Anthropic fake's, the web host's
	listeners []net.Listener     // closed by Start when a later step fails
	urls      map[Service]string // each HTTP fake's base URL
	env       map[string]string  // the HTTP fakes' base URLs and keys, by variable
	serving   sync.WaitGroup
	stop      func() bool
	closeOnce sync.Once
	closeErr  error

	mu       sync.Mutex
	serveErr error
	latency  time.Duration
	faults   map[Service]Fault
	log      []Request
	counts   map[Service]int
	caFile   string // where WriteCA wrote the CA
}

// URL is the root of the sandbox server.
func (s *Sandbox) URL() string { return s.baseURL }

// BaseURL is the base URL of an HTTP fake, "" for a service that has none
// (Websites, DNS).
func (s *Sandbox) BaseURL(svc Service) string { return s.urls[svc] }

// Instantly is the Instantly fake, whose campaigns, leads and webhooks a
// test (or the demo) can read.
func (s *Sandbox) Instantly() *instantly.Fake { return s.instantly }

// Stripe is the Stripe fake: point its webhooks at the server with
// SetWebhook, read what it delivered with Deliveries.
func (s *Sandbox) Stripe() *sandboxstripe.Fake { return s.stripe }

// Close stops the servers, cutting requests still waiting on a Latency. It
// may be called more than once, and races with the end of Start's context.
func (s *Sandbox) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		var errs []error
		for _, srv := range s.servers {
			errs = append(errs, srv.Close())
		}
		errs = append(errs, s.dns.Close())
		if s.mailback != nil {
			s.mailback.close()
		}
		if s.SMTP != nil {
			errs = append(errs, s.SMTP.Close())
		}
		if s.IMAP != nil {
			errs = append(errs, s.IMAP.Close())
		}
		s.closeErr = errors.Join(errs...)
		s.serving.Wait()
		if s.closeErr == nil {
			s.mu.Lock()
			s.closeErr = s.serveErr
			s.mu.Unlock()
		}
	})
	return s.closeErr
}

// SetFault makes svc misbehave until ClearFault (or for f.Times requests).
func (s *Sandbox) SetFault(svc Service, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[svc] = f
}

// ClearFault restores normal service.
func (s *Sandbox) ClearFault(svc Service) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.faults, svc)
}

// SetSlowSiteDelay sets how long SiteSlow websites take to answer.
func (s *Sandbox) SetSlowSiteDelay(d time.Duration) { s.web.SetSlowDelay(d) }

// SetLatency delays every answer of every service.
func (s *Sandbox) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Requests returns the requests svc received (the most recent ones, when
// there were very many).
func (s *Sandbox) Requests(svc Service) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.log {
		if r.Service == svc {
			out = append(out, r)
		}
	}
	return out
}

// RequestCount returns how many requests svc received in total.
func (s *Sandbox) RequestCount(svc Service) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[svc]
}

// Town returns the (cached) town for a type and a location, as this
// sandbox serves it: its domains are registered with the web host, the DNS
// server and the Hunter fake, and, with Options.WebsitePorts, its Website
// and GoogleWebsite URLs carry the web host's ports.
func (s *Sandbox) Town(businessType, location string) *Town {
	return s.world.Town(businessType, location)
}

// LookupSite returns the business whose website is on host: a domain, its
// "www." form, or a URL's host with a port. Only the towns this sandbox has
// generated are known.
func (s *Sandbox) LookupSite(host string) (*Business, bool) { return s.world.LookupSite(host) }

// WebsiteURL is the address the web host serves b's website at:
// "https://<host>:<https port>/" or "http://<host>:<http port>/", with
// <host> the listed "www." or bare form. It is "" when b has no website.
func (s *Sandbox) WebsiteURL(b *Business) string { return s.world.WebsiteURL(b) }
