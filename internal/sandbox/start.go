package sandbox

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/anthropic"
	"github.com/prospectorhq/prospector/internal/sandbox/dns"
	"github.com/prospectorhq/prospector/internal/sandbox/googleplaces"
	"github.com/prospectorhq/prospector/internal/sandbox/hunter"
	"github.com/prospectorhq/prospector/internal/sandbox/imap"
	"github.com/prospectorhq/prospector/internal/sandbox/instantly"
	"github.com/prospectorhq/prospector/internal/sandbox/osm"
	"github.com/prospectorhq/prospector/internal/sandbox/pagespeed"
	"github.com/prospectorhq/prospector/internal/sandbox/smtp"
	sandboxstripe "github.com/prospectorhq/prospector/internal/sandbox/stripe"
	"github.com/prospectorhq/prospector/internal/sandbox/webhost"
	"github.com/prospectorhq/prospector/internal/sandbox/world"
	"github.com/prospectorhq/prospector/internal/sandbox/yelp"
)

// anyLoopbackPort is every listener's default address.
const anyLoopbackPort = "127.0.0.1:0"

// Start listens on loopback ports and serves the fakes until Close is
// called or ctx ends.
func Start(ctx context.Context, opts Options) (*Sandbox, error) {
	addrs, err := listenAddrs(opts)
	if err != nil {
		return nil, err
	}
	s := newSandbox(opts)
	if err := s.launch(addrs, opts); err != nil {
		for _, ln := range s.listeners {
			ln.Close()
		}
		// The servers with listeners of their own that did start.
		if s.dns != nil {
			s.dns.Close()
		}
		if s.SMTP != nil {
			s.SMTP.Close()
		}
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s.stop = context.AfterFunc(ctx, func() { s.Close() })
	return s, nil
}

// addrs are the listen addresses Start uses.
type addrs struct {
	api, anthropic, stripe, webHTTP, webHTTPS, dns string
}

// listenAddrs defaults the listen addresses and refuses any that is not
// loopback: the sandbox is never a public service. The web host and the DNS
// server need IPv4 (the DNS fake answers A records with the web host's IP).
func listenAddrs(opts Options) (addrs, error) {
	a := addrs{
		api:       cmp.Or(opts.Addr, anyLoopbackPort),
		anthropic: cmp.Or(opts.AnthropicAddr, anyLoopbackPort),
		stripe:    cmp.Or(opts.StripeAddr, anyLoopbackPort),
		webHTTP:   cmp.Or(opts.WebHTTPAddr, anyLoopbackPort),
		webHTTPS:  cmp.Or(opts.WebHTTPSAddr, anyLoopbackPort),
		dns:       cmp.Or(opts.DNSAddr, anyLoopbackPort),
	}
	for _, addr := range []string{a.api, a.anthropic, a.stripe} {
		if err := checkLoopback(addr, false); err != nil {
			return a, err
		}
	}
	for _, addr := range []string{a.webHTTP, a.webHTTPS, a.dns} {
		if err := checkLoopback(addr, true); err != nil {
			return a, err
		}
	}
	webIP, _, _ := net.SplitHostPort(a.webHTTP)
	if h, _, _ := net.SplitHostPort(a.webHTTPS); h != webIP {
		return a, fmt.Errorf("sandbox: web host addresses %q and %q are on different IPs", a.webHTTP, a.webHTTPS)
	}
	return a, nil
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

// newSandbox is a sandbox with its keys and faults, not yet listening.
func newSandbox(opts Options) *Sandbox {
	s := &Sandbox{
		GoogleAPIKey:    cmp.Or(opts.GoogleAPIKey, DefaultGoogleAPIKey),
		YelpAPIKey:      cmp.Or(opts.YelpAPIKey, DefaultYelpAPIKey),
		HunterAPIKey:    cmp.Or(opts.HunterAPIKey, DefaultHunterAPIKey),
		PageSpeedAPIKey: cmp.Or(opts.PageSpeedAPIKey, DefaultPageSpeedAPIKey),
		InstantlyAPIKey: cmp.Or(opts.InstantlyAPIKey, DefaultInstantlyAPIKey),
		AnthropicAPIKey: cmp.Or(opts.Anthropic.APIKey, DefaultAnthropicKey),
		latency:         opts.Latency,
		faults:          map[Service]Fault{},
		counts:          map[Service]int{},
		urls:            map[Service]string{},
		env:             map[string]string{},
	}
	s.instantly = instantly.New(instantly.Options{APIKey: s.InstantlyAPIKey})
	s.stripe = sandboxstripe.New(sandboxstripe.Options{})
	for svc, f := range opts.Faults {
		s.faults[svc] = f
	}
	return s
}

// launch opens every listener, then starts every fake: the steps that can
// fail first, so that nothing is serving when one does.
func (s *Sandbox) launch(a addrs, opts Options) error {
	lns, err := s.listen(a.api, a.webHTTP, a.webHTTPS, a.anthropic, a.stripe)
	if err != nil {
		return err
	}
	api, webHTTP, webHTTPS, claude, stripeLn := lns[0], lns[1], lns[2], lns[3], lns[4]
	s.world = world.New(world.Options{WebsitePorts: opts.WebsitePorts, HTTPPort: portOf(webHTTP), HTTPSPort: portOf(webHTTPS)})
	if s.web, err = webhost.New(webhost.Options{World: s.world, SlowDelay: opts.SlowSiteDelay}); err != nil {
		return err
	}
	webIP, _, _ := net.SplitHostPort(a.webHTTP)
	if err := s.startDNS(a.dns, net.ParseIP(webIP).To4()); err != nil {
		return err
	}
	s.mailback = newMailback(s, opts.AnswerDelay)
	if s.SMTP, err = smtp.Start(smtp.Options{Domains: smtp.WorldDomains(s.world), Verdict: smtp.WorldVerdict(s.world),
		Accepted: s.mailback.accepted}); err != nil {
		return err
	}
	if s.IMAP, err = imap.Start(imap.Options{CA: s.web.Authority(), Record: s.recordIMAP}); err != nil {
		return err
	}
	s.serveAPIs(api)
	s.serveAnthropic(claude, opts.Anthropic)
	s.serveStripe(stripeLn)
	s.serveWebHost(webHTTP, webHTTPS)
	return nil
}

// listen opens a listener on each address, in order, keeping them for
// Close; it stops at the first that fails.
func (s *Sandbox) listen(addrs ...string) ([]net.Listener, error) {
	lns := make([]net.Listener, 0, len(addrs))
	for _, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, err
		}
		s.listeners = append(s.listeners, ln)
		lns = append(lns, ln)
	}
	return lns, nil
}

func portOf(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

// An httpFake is one faked HTTP API on the shared API listener.
type httpFake struct {
	service Service
	// base is the path of the fake's base URL ("/yelp/v3"); the handler
	// sees request paths relative to it.
	base string
	// endpoint is what the sandbox routes to the fake under base: one
	// endpoint ("/businesses/search"), or "/" for every path.
	endpoint string
	handler  http.Handler
	// urlEnv and keyEnv are the variables Prospector reads the base URL and
	// the key from (keyEnv "" for a service without a key), key the key
	// the fake accepts.
	urlEnv, keyEnv, key string
	// url, when set, is the Sandbox field that reports the base URL.
	url *string
}

// apis are the HTTP fakes on the shared API listener. Adding one is one
// line here (see the package doc).
func (s *Sandbox) apis() []httpFake {
	w := s.world
	pair := osm.New(osm.Options{World: w})
	yelpCount := func() int { return s.RequestCount(Yelp) }
	return []httpFake{
		{service: GooglePlaces, base: "/google-places", endpoint: "/v1/places:searchText", handler: googleplaces.New(googleplaces.Options{APIKey: s.GoogleAPIKey, World: w}), urlEnv: "GOOGLE_PLACES_BASE_URL", keyEnv: "GOOGLE_MAPS_API_KEY", key: s.GoogleAPIKey, url: &s.GooglePlacesURL},
		{service: Yelp, base: "/yelp/v3", endpoint: "/businesses/search", handler: yelp.New(yelp.Options{APIKey: s.YelpAPIKey, World: w, RequestCount: yelpCount}), urlEnv: "YELP_BASE_URL", keyEnv: "YELP_API_KEY", key: s.YelpAPIKey, url: &s.YelpURL},
		{service: Nominatim, base: "/nominatim", endpoint: "/search", handler: pair.Nominatim(), urlEnv: "NOMINATIM_URL", url: &s.NominatimURL},
		{service: Overpass, base: "/overpass/api/interpreter", handler: pair.Overpass(), urlEnv: "OVERPASS_URL", url: &s.OverpassURL},
		{service: Hunter, base: "/hunter/v2", endpoint: "/", handler: hunter.New(hunter.Options{APIKey: s.HunterAPIKey, World: w}), urlEnv: "HUNTER_BASE_URL", keyEnv: "HUNTER_API_KEY", key: s.HunterAPIKey, url: &s.HunterURL},
		{service: PageSpeed, base: "/pagespeedonline/v5", endpoint: "/runPagespeed", handler: pagespeed.New(pagespeed.Options{APIKey: s.PageSpeedAPIKey, World: w}), urlEnv: "PAGESPEED_BASE_URL", keyEnv: "PAGESPEED_API_KEY", key: s.PageSpeedAPIKey, url: &s.PageSpeedURL},
		{service: Instantly, base: "/instantly/api/v2", endpoint: "/", handler: s.instantly, urlEnv: "INSTANTLY_BASE_URL", keyEnv: "INSTANTLY_API_KEY", key: s.InstantlyAPIKey, url: &s.InstantlyURL},
	}
}

// serveAPIs mounts every HTTP fake on the API listener, each logged,
// delayed and faulted by wrap; any other path is a labelled 404.
func (s *Sandbox) serveAPIs(ln net.Listener) {
	s.baseURL = "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	for _, f := range s.apis() {
		mux.Handle(f.base+f.endpoint, s.wrap(f.service, http.StripPrefix(f.base, f.handler)))
		s.announce(f.service, s.baseURL+f.base, f.url, f.urlEnv, f.keyEnv, f.key)
	}

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Sandbox", "fictional")
		http.NotFound(w, r)
	})
	s.serveHTTP(&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, ln)
}

// announce records a fake's base URL where BaseURL, Env and, when field is
// set, the Sandbox field report it.
func (s *Sandbox) announce(svc Service, baseURL string, field *string, urlEnv, keyEnv, key string) {
	s.urls[svc] = baseURL
	if field != nil {
		*field = baseURL
	}
	s.env[urlEnv] = baseURL
	if keyEnv != "" {
		s.env[keyEnv] = key
	}
}

// serveAnthropic serves the Messages API fake on a listener of its own: the
// SDK wants a host root, to which it appends /v1/messages.
func (s *Sandbox) serveAnthropic(ln net.Listener, opts AnthropicOptions) {
	opts.APIKey = s.AnthropicAPIKey
	s.announce(Anthropic, "http://"+ln.Addr().String(), &s.AnthropicURL, "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", s.AnthropicAPIKey)
	s.serveHTTP(&http.Server{Handler: s.wrap(Anthropic, anthropic.NewHandler(opts)), ReadHeaderTimeout: 10 * time.Second}, ln)
}

// serveStripe serves the Stripe fake on a listener of its own: stripe-go
// wants a host root, to which it appends /v1/…. Its pages are on the same
// root; its webhooks are signed with a secret the server must be given,
// and it sells the paid plans.
func (s *Sandbox) serveStripe(ln net.Listener) {
	s.announce(Stripe, "http://"+ln.Addr().String(), &s.StripeURL, "STRIPE_API_BASE", "STRIPE_SECRET_KEY", sandboxstripe.DefaultKey)
	s.stripe.SetBaseURL(s.StripeURL)
	s.env["STRIPE_WEBHOOK_SECRET"] = s.stripe.WebhookSecret()
	s.env["STRIPE_PRICE_GROWTH"] = sandboxstripe.PriceGrowth
	s.env["STRIPE_PRICE_SCALE"] = sandboxstripe.PriceScale
	s.serveHTTP(&http.Server{Handler: s.wrap(Stripe, s.stripe), ReadHeaderTimeout: 10 * time.Second}, ln)
}

// serveWebHost serves the websites over http and https.
func (s *Sandbox) serveWebHost(httpLn, httpsLn net.Listener) {
	s.WebHTTPAddr, s.WebHTTPSAddr = httpLn.Addr().String(), httpsLn.Addr().String()
	srv := &http.Server{
		Handler:           s.wrap(Websites, s.web),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         s.web.TLSConfig(),
		// Refused handshakes (http-only sites, untrusting clients) are
		// part of the act, not news for the log.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	s.serveHTTP(srv, httpLn)
	s.serve(func() error { return srv.Serve(tls.NewListener(httpsLn, srv.TLSConfig)) })
}

// startDNS starts the DNS server, whose A records give webIP.
func (s *Sandbox) startDNS(addr string, webIP net.IP) error {
	d, err := dns.Start(addr, dns.Options{World: s.world, IP: webIP, Record: s.recordQuery})
	if err != nil {
		return err
	}
	s.dns, s.DNSAddr = d, d.Addr()
	return nil
}

// recordIMAP logs one IMAP command as a request of the IMAP service.
func (s *Sandbox) recordIMAP(command, user string) (Fault, time.Duration) {
	return s.record(Request{Service: IMAP, Method: command, Path: user})
}

// recordQuery logs one DNS query as a request of the DNS service.
func (s *Sandbox) recordQuery(name, qtype string) (Fault, time.Duration) {
	return s.record(Request{Service: DNS, Method: "QUERY", Path: name, Query: url.Values{"type": {qtype}}})
}

// serveHTTP serves srv on ln until Close; a server served on several
// listeners is closed once.
func (s *Sandbox) serveHTTP(srv *http.Server, ln net.Listener) {
	s.servers = append(s.servers, srv)
	s.serve(func() error { return srv.Serve(ln) })
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
