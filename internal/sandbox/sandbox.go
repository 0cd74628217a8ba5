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
//   - the accepted keys are Sandbox.GoogleAPIKey and Sandbox.YelpAPIKey; any
//     other key is refused the way each service refuses it (Google: 400
//     API_KEY_INVALID, 403 when missing; Yelp: 401 TOKEN_INVALID/TOKEN_MISSING);
//   - QuotaExhaustedKey is accepted but always told its quota is spent;
//   - a location containing "nowhere" does not exist anywhere;
//   - a location containing the word "village" geocodes to a node, not a
//     boundary relation, so Overpass must be queried by bounding box;
//   - Google caps a query at 60 places, Yelp refuses limit > 50 and
//     offset + limit > 1000, Overpass and Nominatim refuse stock User-Agents.
//
// Base URLs: GooglePlacesURL, YelpURL, NominatimURL and OverpassURL are the
// values for GOOGLE_PLACES_BASE_URL, YELP_BASE_URL, NOMINATIM_URL and
// OVERPASS_URL. Later fakes (Hunter, PageSpeed, …) add their routes to the
// same server.
package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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
)

// The fake keys the sandbox accepts, unless Options says otherwise.
const (
	DefaultGoogleAPIKey = "sandbox-google-places-key"
	DefaultYelpAPIKey   = "sandbox-yelp-key"
	// QuotaExhaustedKey is accepted as a key but always answered with the
	// service's "quota spent" error (Google 429 RESOURCE_EXHAUSTED, Yelp 429
	// ACCESS_LIMIT_REACHED), so a demo user can see that message.
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
	Latency      time.Duration
	Faults       map[Service]Fault
	GoogleAPIKey string
	YelpAPIKey   string
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

const maxLogged = 2000

// Sandbox is a running set of fakes.
type Sandbox struct {
	// Base URLs, to be used as GOOGLE_PLACES_BASE_URL, YELP_BASE_URL,
	// NOMINATIM_URL and OVERPASS_URL.
	GooglePlacesURL string
	YelpURL         string
	NominatimURL    string
	OverpassURL     string
	// Keys the fakes accept.
	GoogleAPIKey string
	YelpAPIKey   string

	baseURL   string
	server    *http.Server
	ln        net.Listener
	done      chan struct{}
	serveErr  error
	stop      func() bool
	closeOnce sync.Once
	closeErr  error

	mu      sync.Mutex
	latency time.Duration
	faults  map[Service]Fault
	log     []Request
	counts  map[Service]int
	towns   map[string]*Town
	areas   map[int64]string      // Overpass area id → location
	boxes   map[[4]float64]string // Nominatim bounding box → location
}

// Start listens on a loopback port and serves the fakes until Close is
// called or ctx ends.
func Start(ctx context.Context, opts Options) (*Sandbox, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("sandbox: listen address %q is not a loopback address", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s := &Sandbox{
		GoogleAPIKey: orString(opts.GoogleAPIKey, DefaultGoogleAPIKey),
		YelpAPIKey:   orString(opts.YelpAPIKey, DefaultYelpAPIKey),
		ln:           ln,
		done:         make(chan struct{}),
		latency:      opts.Latency,
		faults:       map[Service]Fault{},
		counts:       map[Service]int{},
		towns:        map[string]*Town{},
		areas:        map[int64]string{},
		boxes:        map[[4]float64]string{},
	}
	for svc, f := range opts.Faults {
		s.faults[svc] = f
	}
	s.baseURL = "http://" + ln.Addr().String()
	s.GooglePlacesURL = s.baseURL + "/google-places"
	s.YelpURL = s.baseURL + "/yelp/v3"
	s.NominatimURL = s.baseURL + "/nominatim"
	s.OverpassURL = s.baseURL + "/overpass/api/interpreter"

	mux := http.NewServeMux()
	mux.Handle("/google-places/v1/places:searchText", s.wrap(GooglePlaces, http.HandlerFunc(s.googleSearchText)))
	mux.Handle("/yelp/v3/businesses/search", s.wrap(Yelp, http.HandlerFunc(s.yelpSearch)))
	mux.Handle("/nominatim/search", s.wrap(Nominatim, http.HandlerFunc(s.nominatimSearch)))
	mux.Handle("/overpass/api/interpreter", s.wrap(Overpass, http.HandlerFunc(s.overpassInterpreter)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Sandbox", "fictional")
		http.NotFound(w, r)
	})
	s.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		if err := s.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.serveErr = err
		}
	}()
	s.stop = context.AfterFunc(ctx, func() { s.Close() })
	return s, nil
}

// URL is the root of the sandbox server.
func (s *Sandbox) URL() string { return s.baseURL }

// Close stops the servers, cutting requests still waiting on a Latency. It
// may be called more than once, and races with the end of Start's context.
func (s *Sandbox) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		s.closeErr = s.server.Close()
		<-s.done
		if s.closeErr == nil {
			s.closeErr = s.serveErr
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

// Town returns the (cached) town for a type and a location.
func (s *Sandbox) Town(businessType, location string) *Town {
	key := Canonical(businessType) + "|" + normalise(location)
	s.mu.Lock()
	t, ok := s.towns[key]
	s.mu.Unlock()
	if ok {
		return t
	}
	g := Generate(businessType, location)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.towns) >= 512 {
		// A demo touches a handful of towns; this bound only keeps a
		// long-running sandbox from growing without end.
		clear(s.towns)
	}
	s.towns[key] = &g
	return &g
}

type faultKey struct{}

// wrap logs the request, labels the answer, applies latency and picks the
// fault for this request, which handlers read with faultOf.
func (s *Sandbox) wrap(svc Service, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.mu.Lock()
		s.counts[svc]++
		s.log = append(s.log, Request{Service: svc, Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
		if len(s.log) > maxLogged {
			s.log = append([]Request(nil), s.log[len(s.log)-maxLogged/2:]...)
		}
		f, ok := s.faults[svc]
		if ok && f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				delete(s.faults, svc)
			} else {
				s.faults[svc] = f
			}
		}
		latency := s.latency + f.Latency
		s.mu.Unlock()

		w.Header().Set("X-Sandbox", "fictional")
		if latency > 0 {
			t := time.NewTimer(latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), faultKey{}, f)))
	})
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
