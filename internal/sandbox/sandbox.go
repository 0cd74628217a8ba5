// Package sandbox serves wire-accurate fakes of the external services
// Prospector calls, over real HTTP on the loopback interface. Tests point the
// real clients at it; `prospector demo` runs the whole product against it.
//
// Every answer carries "X-Sandbox: fictional" (and says so in the body where
// the format has room: Nominatim's licence, Overpass's copyright, an OSM
// "note" tag), and all data comes from the fictional-town generator in
// town.go. Faults (bad keys, rate limits, server errors, empty results, slow
// answers) are switched on per service with SetFault or Options.Faults, so
// tests and demos can show every failure mode.
//
// Conventions a demo or a test can rely on:
//   - the accepted keys are Sandbox.GoogleAPIKey, YelpAPIKey, HunterAPIKey,
//     PageSpeedAPIKey and AnthropicAPIKey; any other key is refused the way
//     each service refuses it (Google: 400 API_KEY_INVALID, 403 when
//     missing; Yelp: 401 TOKEN_INVALID/TOKEN_MISSING; Hunter: 401
//     authentication_failed; PageSpeed: 400 API_KEY_INVALID, 429 when
//     missing; Anthropic: 401 authentication_error);
//   - QuotaExhaustedKey is accepted but always told its quota is spent;
//   - a location containing "nowhere" does not exist anywhere;
//   - a location containing the word "village" geocodes to a node, not a
//     boundary relation, so Overpass must be queried by bounding box;
//   - Google caps a query at 60 places, Yelp refuses limit > 50 and
//     offset + limit > 1000, Overpass and Nominatim refuse stock User-Agents;
//   - Hunter's Domain Search refuses limit + offset > 10 (the free plan);
//     one person per town asked not to be processed (Person.Claimed) and
//     gets 451 claimed_email; some verifications answer 202 once first;
//   - Business.Site is the ground truth behind each website, mailbox and
//     Hunter record (site.go), for tests to compare findings with.
//
// Base URLs: GooglePlacesURL, YelpURL, NominatimURL, OverpassURL, HunterURL
// and PageSpeedURL are the values for GOOGLE_PLACES_BASE_URL, YELP_BASE_URL,
// NOMINATIM_URL, OVERPASS_URL, HUNTER_BASE_URL and PAGESPEED_BASE_URL; they
// share one server. AnthropicURL, the ANTHROPIC_BASE_URL, is a listener of
// its own: the SDK wants a host root, to which it appends /v1/messages
// (anthropic.go). Env returns them all, with the keys.
//
// Besides the APIs, Start runs what the enrichment stage reaches without an
// API (webhost.go, dns.go):
//   - a web host serving every fictional business's website on two loopback
//     listeners, WebHTTPAddr and WebHTTPSAddr, routing by Host header; its
//     certificates come from a CA generated at Start (CACertPEM, CertPool,
//     WriteCA);
//   - a DNS server, DNSAddr (UDP and TCP), answering A and MX records for
//     the businesses' domains and NXDOMAIN for every other name.
//
// Both only know the towns this sandbox has generated: a discovery fake's
// answer (or a call to Sandbox.Town) registers the town's domains.
//
// To let Prospector fetch the websites: start with Options.WebsitePorts, so
// that listings show https://<domain>:<port>/ addresses; call WriteCA; then
// Env carries DNS_RESOLVER (resolve the .example names here), FETCH_ALLOWLIST
// (the web host's two 127.0.0.1 listeners, which the names resolve to) and
// FETCH_CA_FILE (the CA the sites' certificates chain to). Slow sites take
// Options.SlowSiteDelay (3 s by default): tests should shorten it.
package sandbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
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
	// Anthropic is the Messages API fake (anthropic.go): a Fault's Status
	// 429 or 529 answers rate_limit_error or overloaded_error, any other
	// Status that error in the API's envelope; Latency delays the answers.
	Anthropic Service = "anthropic"
	// Websites is the web host: a Fault's Status answers every page of
	// every site with that status, its Latency delays them.
	Websites Service = "websites"
	// DNS is the DNS server: a Fault's Status answers SERVFAIL, Empty
	// answers NXDOMAIN for every name, Latency delays the answers.
	DNS Service = "dns"
)

// The fake keys the sandbox accepts, unless Options says otherwise.
const (
	DefaultGoogleAPIKey = "sandbox-google-places-key"
	DefaultYelpAPIKey   = "sandbox-yelp-key"
	DefaultHunterAPIKey = "sandbox-hunter-key"
	// DefaultPageSpeedAPIKey is the PageSpeed Insights key; like Google's
	// real API the fake also takes it from the X-Goog-Api-Key header.
	DefaultPageSpeedAPIKey = "sandbox-pagespeed-key"
	// QuotaExhaustedKey is accepted as a key but always answered with the
	// service's "quota spent" error (Google and PageSpeed 429
	// RESOURCE_EXHAUSTED, Yelp 429 ACCESS_LIMIT_REACHED, Hunter 429
	// too_many_requests), so a demo user can see that message.
	QuotaExhaustedKey = "sandbox-quota-exhausted"
)

// UnknownLocation is a location every fake geocoder and search knows nothing
// about (any location containing "nowhere" behaves the same).
const UnknownLocation = "Nowhere, ZZ"

// Fault makes a service misbehave.
type Fault struct {
	// Status, when non-zero, answers with that HTTP status in the service's
	// own error format: 400, 401, 403, 404, 406, 429, 500, 503, 504…
	Status int
	// Code overrides the service's error code, e.g. "ACCESS_LIMIT_REACHED"
	// for Yelp or "PERMISSION_DENIED" for Google.
	Code string
	// RetryAfter is sent as the Retry-After header with the error.
	RetryAfter string
	// Times limits the fault to the next Times requests; 0 means until
	// cleared.
	Times int
	// Latency delays every answer, successful or not.
	Latency time.Duration
	// Empty answers successfully with no results.
	Empty bool
	// Remark (Overpass) answers 200 with a "runtime error" remark and no
	// elements, as Overpass does when a query times out.
	Remark bool
	// GenericEnvelope (Yelp) uses the {"errors":[…]} envelope of Yelp's
	// general error page instead of the business endpoints' {"error":{…}}.
	GenericEnvelope bool
}

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
	// Anthropic configures the Messages API fake: its key (APIKey,
	// DefaultAnthropicKey when empty), scripted Faults and OnRequest.
	Anthropic AnthropicOptions
	// AnthropicAddr is the Messages API fake's listen address, a loopback
	// address; default "127.0.0.1:0".
	AnthropicAddr string

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
}

// DefaultSlowSiteDelay is how long SiteSlow websites take to answer unless
// Options.SlowSiteDelay says otherwise.
const DefaultSlowSiteDelay = 3 * time.Second

// Request is what the sandbox saw of one request, for tests to inspect.
type Request struct {
	Service Service
	Method  string
	Path    string
	Query   url.Values
	Header  http.Header
	Body    []byte
}

const maxLogged = 2000

// Sandbox is a running set of fakes.
type Sandbox struct {
	// Base URLs, to be used as GOOGLE_PLACES_BASE_URL, YELP_BASE_URL,
	// NOMINATIM_URL, OVERPASS_URL, HUNTER_BASE_URL and PAGESPEED_BASE_URL.
	GooglePlacesURL string
	YelpURL         string
	NominatimURL    string
	OverpassURL     string
	HunterURL       string
	PageSpeedURL    string
	// AnthropicURL is the Messages API fake's host root, the
	// ANTHROPIC_BASE_URL; the SDK appends /v1/messages.
	AnthropicURL string
	// Keys the fakes accept.
	GoogleAPIKey    string
	YelpAPIKey      string
	HunterAPIKey    string
	PageSpeedAPIKey string
	AnthropicAPIKey string
	// WebHTTPAddr and WebHTTPSAddr are the web host's listeners
	// ("127.0.0.1:port"): the FETCH_ALLOWLIST pairs.
	WebHTTPAddr  string
	WebHTTPSAddr string
	// DNSAddr is the DNS server ("127.0.0.1:port", UDP and TCP): the
	// DNS_RESOLVER value.
	DNSAddr string

	baseURL      string
	server       *http.Server
	ln           net.Listener
	web          *http.Server // both web host listeners
	claude       *http.Server // the Anthropic Messages API fake
	webIP        net.IP
	httpPort     int
	httpsPort    int
	websitePorts bool
	ca           *certAuthority
	dns          *dnsServer
	serving      sync.WaitGroup
	stop         func() bool
	closeOnce    sync.Once
	closeErr     error

	mu        sync.Mutex
	serveErr  error
	latency   time.Duration
	slowDelay time.Duration
	faults    map[Service]Fault
	log       []Request
	counts    map[Service]int
	towns     map[string]*Town
	areas     map[int64]string      // Overpass area id → location
	boxes     map[[4]float64]string // Nominatim bounding box → location
	sites     map[string]siteRef    // domain → the business whose site it is
	companies map[string]string     // normalised company name → domain (Hunter's company=)
	verifying map[string]bool       // addresses whose verification answered 202 once
	caFile    string                // where WriteCA wrote the CA
}

// siteRef finds a business again from its domain: its town's type and
// location (to regenerate the town if the cache dropped it) and its index.
type siteRef struct {
	businessType, location string
	index                  int
}

// Start listens on a loopback port and serves the fakes until Close is
// called or ctx ends.
func Start(ctx context.Context, opts Options) (*Sandbox, error) {
	addr := orString(opts.Addr, "127.0.0.1:0")
	if err := checkLoopback(addr, false); err != nil {
		return nil, err
	}
	webHTTP, webHTTPS := orString(opts.WebHTTPAddr, "127.0.0.1:0"), orString(opts.WebHTTPSAddr, "127.0.0.1:0")
	dnsAddr := orString(opts.DNSAddr, "127.0.0.1:0")
	claudeAddr := orString(opts.AnthropicAddr, "127.0.0.1:0")
	if err := checkLoopback(claudeAddr, false); err != nil {
		return nil, err
	}
	for _, a := range []string{webHTTP, webHTTPS, dnsAddr} {
		if err := checkLoopback(a, true); err != nil {
			return nil, err
		}
	}
	webIP, _, _ := net.SplitHostPort(webHTTP)
	if h, _, _ := net.SplitHostPort(webHTTPS); h != webIP {
		return nil, fmt.Errorf("sandbox: web host addresses %q and %q are on different IPs", webHTTP, webHTTPS)
	}

	var listeners []io.Closer
	fail := func(err error) (*Sandbox, error) {
		for _, l := range listeners {
			l.Close()
		}
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	listen := func(a string) (net.Listener, error) {
		ln, err := net.Listen("tcp", a)
		if err == nil {
			listeners = append(listeners, ln)
		}
		return ln, err
	}
	ln, err := listen(addr)
	if err != nil {
		return fail(err)
	}
	httpLn, err := listen(webHTTP)
	if err != nil {
		return fail(err)
	}
	httpsLn, err := listen(webHTTPS)
	if err != nil {
		return fail(err)
	}
	claudeLn, err := listen(claudeAddr)
	if err != nil {
		return fail(err)
	}
	ca, err := newCertAuthority(time.Now())
	if err != nil {
		return fail(err)
	}

	s := &Sandbox{
		GoogleAPIKey:    orString(opts.GoogleAPIKey, DefaultGoogleAPIKey),
		YelpAPIKey:      orString(opts.YelpAPIKey, DefaultYelpAPIKey),
		HunterAPIKey:    orString(opts.HunterAPIKey, DefaultHunterAPIKey),
		PageSpeedAPIKey: orString(opts.PageSpeedAPIKey, DefaultPageSpeedAPIKey),
		AnthropicAPIKey: orString(opts.Anthropic.APIKey, DefaultAnthropicKey),
		AnthropicURL:    "http://" + claudeLn.Addr().String(),
		WebHTTPAddr:     httpLn.Addr().String(),
		WebHTTPSAddr:    httpsLn.Addr().String(),
		ln:              ln,
		webIP:           net.ParseIP(webIP).To4(),
		httpPort:        httpLn.Addr().(*net.TCPAddr).Port,
		httpsPort:       httpsLn.Addr().(*net.TCPAddr).Port,
		websitePorts:    opts.WebsitePorts,
		ca:              ca,
		latency:         opts.Latency,
		slowDelay:       DefaultSlowSiteDelay,
		faults:          map[Service]Fault{},
		counts:          map[Service]int{},
		towns:           map[string]*Town{},
		areas:           map[int64]string{},
		boxes:           map[[4]float64]string{},
		sites:           map[string]siteRef{},
		companies:       map[string]string{},
		verifying:       map[string]bool{},
	}
	if opts.SlowSiteDelay > 0 {
		s.slowDelay = opts.SlowSiteDelay
	}
	for svc, f := range opts.Faults {
		s.faults[svc] = f
	}
	if s.dns, err = startDNS(s, dnsAddr); err != nil {
		return fail(err)
	}
	s.DNSAddr = s.dns.addr

	s.baseURL = "http://" + ln.Addr().String()
	s.GooglePlacesURL = s.baseURL + "/google-places"
	s.YelpURL = s.baseURL + "/yelp/v3"
	s.NominatimURL = s.baseURL + "/nominatim"
	s.OverpassURL = s.baseURL + "/overpass/api/interpreter"
	s.HunterURL = s.baseURL + "/hunter/v2"
	s.PageSpeedURL = s.baseURL + "/pagespeedonline/v5"

	mux := http.NewServeMux()
	mux.Handle("/google-places/v1/places:searchText", s.wrap(GooglePlaces, http.HandlerFunc(s.googleSearchText)))
	mux.Handle("/yelp/v3/businesses/search", s.wrap(Yelp, http.HandlerFunc(s.yelpSearch)))
	mux.Handle("/nominatim/search", s.wrap(Nominatim, http.HandlerFunc(s.nominatimSearch)))
	mux.Handle("/overpass/api/interpreter", s.wrap(Overpass, http.HandlerFunc(s.overpassInterpreter)))
	mux.Handle("/hunter/v2/", s.wrap(Hunter, http.HandlerFunc(s.hunter)))
	mux.Handle("/pagespeedonline/v5/runPagespeed", s.wrap(PageSpeed, http.HandlerFunc(s.pageSpeed)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Sandbox", "fictional")
		http.NotFound(w, r)
	})
	s.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.web = &http.Server{
		Handler:           s.wrap(Websites, http.HandlerFunc(s.serveSite)),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         &tls.Config{GetCertificate: s.certificateFor, MinVersion: tls.VersionTLS12},
		// Refused handshakes (http-only sites, untrusting clients) are
		// part of the act, not news for the log.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	claude := opts.Anthropic
	claude.APIKey = s.AnthropicAPIKey
	s.claude = &http.Server{
		Handler:           s.wrap(Anthropic, NewAnthropicHandler(claude)),
		ReadHeaderTimeout: 10 * time.Second,
	}
	s.serve(func() error { return s.server.Serve(ln) })
	s.serve(func() error { return s.claude.Serve(claudeLn) })
	s.serve(func() error { return s.web.Serve(httpLn) })
	s.serve(func() error { return s.web.Serve(tls.NewListener(httpsLn, s.web.TLSConfig)) })
	s.stop = context.AfterFunc(ctx, func() { s.Close() })
	return s, nil
}

// serve runs a server until it is closed, keeping its first real error.
func (s *Sandbox) serve(run func() error) {
	s.serving.Add(1)
	go func() {
		defer s.serving.Done()
		if err := run(); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			s.mu.Lock()
			if s.serveErr == nil {
				s.serveErr = err
			}
			s.mu.Unlock()
		}
	}()
}

// checkLoopback refuses any listen address but a loopback one (an IPv4
// literal when ipv4 is set: the DNS fake answers A records).
func checkLoopback(addr string, ipv4 bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox: listen address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	switch {
	case ipv4 && (ip == nil || ip.To4() == nil || !ip.IsLoopback()):
		return fmt.Errorf("sandbox: listen address %q is not an IPv4 loopback address", addr)
	case !ipv4 && host != "localhost" && (ip == nil || !ip.IsLoopback()):
		return fmt.Errorf("sandbox: listen address %q is not a loopback address", addr)
	}
	return nil
}

// URL is the root of the sandbox server.
func (s *Sandbox) URL() string { return s.baseURL }

// Close stops the servers, cutting requests still waiting on a Latency. It
// may be called more than once, and races with the end of Start's context.
func (s *Sandbox) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		s.closeErr = errors.Join(s.server.Close(), s.web.Close(), s.claude.Close(), s.dns.close())
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
func (s *Sandbox) SetSlowSiteDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slowDelay = d
}

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
	key := Canonical(businessType) + "|" + normalise(location)
	s.mu.Lock()
	t, ok := s.towns[key]
	s.mu.Unlock()
	if ok {
		return t
	}
	g := Generate(businessType, location)
	if s.websitePorts {
		for i := range g.Businesses {
			if b := &g.Businesses[i]; b.Site != nil {
				served := s.WebsiteURL(b)
				b.GoogleWebsite = served + strings.TrimPrefix(b.GoogleWebsite, b.Website)
				b.Website = served
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.towns) >= 512 {
		// A demo touches a handful of towns; this bound only keeps a
		// long-running sandbox from growing without end.
		clear(s.towns)
	}
	s.towns[key] = &g
	if len(s.sites) >= 1<<20 {
		clear(s.sites)
		clear(s.companies)
	}
	for i := range g.Businesses {
		b := &g.Businesses[i]
		if b.Site == nil {
			continue
		}
		if _, taken := s.sites[b.Domain]; !taken {
			// Two towns can make the same domain (one city typed two
			// ways); the first keeps it, so a site never changes owner.
			s.sites[b.Domain] = siteRef{g.Type, location, i}
		}
		for _, name := range []string{b.BaseName, b.GoogleName, b.OSMName} {
			if n := normalise(name); s.companies[n] == "" {
				s.companies[n] = b.Domain
			}
		}
	}
	return &g
}

// LookupSite returns the business whose website is on host: a domain, its
// "www." form, or a URL's host with a port. Only the towns this sandbox has
// generated are known.
func (s *Sandbox) LookupSite(host string) (*Business, bool) {
	d := siteDomain(host)
	s.mu.Lock()
	ref, ok := s.sites[d]
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	t := s.Town(ref.businessType, ref.location)
	if ref.index >= len(t.Businesses) || t.Businesses[ref.index].Domain != d {
		return nil, false
	}
	return &t.Businesses[ref.index], true
}

// siteDomain reduces a host (or host:port) to the domain the sites are
// registered under: lowercase, no port, no trailing dot, no "www.".
func siteDomain(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	return strings.TrimPrefix(host, "www.")
}

// WebsiteURL is the address the web host serves b's website at:
// "https://<host>:<https port>/" or "http://<host>:<http port>/", with
// <host> the listed "www." or bare form. It is "" when b has no website.
func (s *Sandbox) WebsiteURL(b *Business) string {
	if b.Site == nil {
		return ""
	}
	return s.siteURL(b.Site.Scheme, b.Site.Host, "/")
}

func (s *Sandbox) siteURL(scheme, host, path string) string {
	port := s.httpPort
	if scheme == "https" {
		port = s.httpsPort
	}
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(port)) + path
}

type faultKey struct{}

// wrap logs the request, labels the answer, applies latency and picks the
// fault for this request, which handlers read with faultOf.
func (s *Sandbox) wrap(svc Service, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(1 << 20)
		if svc == Anthropic {
			limit = 32 << 20 // prompts carry whole pages; the fake reads this much
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		header := r.Header.Clone()
		if svc == Websites {
			header.Set("Host", r.Host) // which site was asked for
		}
		f, latency := s.record(Request{Service: svc, Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: header, Body: body})

		w.Header().Set("X-Sandbox", "fictional")
		if !sleep(r.Context(), latency) {
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), faultKey{}, f)))
	})
}

// record logs a request and picks the fault that applies to it, with the
// latency to wait before answering.
func (s *Sandbox) record(req Request) (Fault, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[req.Service]++
	s.log = append(s.log, req)
	if len(s.log) > maxLogged {
		s.log = append([]Request(nil), s.log[len(s.log)-maxLogged/2:]...)
	}
	f, ok := s.faults[req.Service]
	if ok && f.Times > 0 {
		f.Times--
		if f.Times == 0 {
			delete(s.faults, req.Service)
		} else {
			s.faults[req.Service] = f
		}
	}
	return f, s.latency + f.Latency
}

// sleep waits for d, or less if ctx ends first; it reports whether the
// whole wait happened.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func faultOf(r *http.Request) Fault {
	f, _ := r.Context().Value(faultKey{}).(Fault)
	return f
}

func (s *Sandbox) rememberArea(areaID int64, bbox [4]float64, location string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.areas) >= 4096 {
		clear(s.areas)
		clear(s.boxes)
	}
	if areaID != 0 {
		s.areas[areaID] = location
	}
	s.boxes[bbox] = location
}

func (s *Sandbox) locationOfArea(areaID int64) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.areas[areaID]
	return l, ok
}

func (s *Sandbox) locationOfBox(b [4]float64) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for box, loc := range s.boxes {
		if near(box[0], b[0]) && near(box[1], b[1]) && near(box[2], b[2]) && near(box[3], b[3]) {
			return loc, true
		}
	}
	return "", false
}

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// stockAgent reports a User-Agent that OpenStreetMap's services refuse:
// empty, or a library's default.
func stockAgent(ua string) bool {
	ua = strings.ToLower(strings.TrimSpace(ua))
	if ua == "" {
		return true
	}
	for _, p := range []string{"go-http-client", "python-requests", "python-urllib", "curl/", "wget/", "java/", "okhttp", "axios", "node-fetch", "undici", "libwww-perl", "mozilla/5.0"} {
		if strings.HasPrefix(ua, p) {
			return true
		}
	}
	return false
}
