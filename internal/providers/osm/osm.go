// Package osm is the client of OpenStreetMap's Nominatim (geocoding) and
// Overpass (tag queries) services, which need no key.
//
// Both services are run by volunteers and set rules that this client keeps:
// an identifying User-Agent on every request (Settings.UserAgent, from
// OUTBOUND_USER_AGENT); Nominatim at most one request per second for the
// whole application, one at a time, with results cached; Overpass one query
// at a time and at least 30 s of pause after a 429.
//
// Ownership: the rate limiters live in the Client, not in package variables,
// so the application must build exactly one osm.Client and share it; a
// second client would double the rate the services see.
//
// Cost: both services are free; calls are recorded with a zero cost so that
// usage still shows them.
package osm

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/textfold"
)

// Defaults of NOMINATIM_URL and OVERPASS_URL.
const (
	DefaultNominatimURL = "https://nominatim.openstreetmap.org"
	DefaultOverpassURL  = "https://overpass-api.de/api/interpreter"
)

// Endpoint labels for Calls and logs.
const (
	EndpointSearch      = "search"
	EndpointInterpreter = "interpreter"
)

const (
	// DefaultQueryTimeout is the [timeout:] given to Overpass; the HTTP
	// request waits QueryTimeoutSlack longer, so that Overpass reports its
	// own timeout (as a remark) rather than the connection being cut.
	DefaultQueryTimeout = 60 * time.Second
	QueryTimeoutSlack   = 15 * time.Second
	// Overpass asks for at least 30 s of pause after a 429.
	OverpassMinWaitAfter429 = 30 * time.Second
	DefaultCacheSize        = 1024
	DefaultCacheTTL         = 24 * time.Hour
	// PageSize is how many elements each Search callback receives.
	PageSize = 100
)

// NominatimRate is the usage policy's absolute maximum. (Functions, not
// variables, so no caller can change another's default.)
func NominatimRate() providers.Rate { return providers.Rate{PerSecond: 1, Burst: 1} }

// OverpassRate spaces queries out; each one is heavy for the server.
func OverpassRate() providers.Rate { return providers.Rate{PerSecond: 0.5, Burst: 1} }

// ErrLocationNotFound is returned when Nominatim knows no such place.
var ErrLocationNotFound = errors.New("osm: location not found")

// Config configures the Client.
type Config struct {
	NominatimURL string // default DefaultNominatimURL; the client appends /search
	OverpassURL  string // default DefaultOverpassURL; the full interpreter URL
	// Settings apply to both services, except Settings.Rate, which is
	// ignored: the services' own rules set the rates.
	Settings     providers.Settings
	QueryTimeout time.Duration // Overpass [timeout:]
	CacheSize    int           // geocoding results kept
	CacheTTL     time.Duration
}

// Client talks to Nominatim and Overpass. Build one per process.
type Client struct {
	searchURL    string
	overpassURL  string
	nominatim    *providers.Doer
	overpass     *providers.Doer
	clock        providers.Clock
	queryTimeout time.Duration
	cache        *geoCache
}

// New builds the Client.
func New(cfg Config) (*Client, error) {
	nom, err := providers.BaseURL("osm", cfg.NominatimURL, DefaultNominatimURL)
	if err != nil {
		return nil, err
	}
	ovp, err := providers.BaseURL("osm", cfg.OverpassURL, DefaultOverpassURL)
	if err != nil {
		return nil, err
	}
	s := cfg.Settings
	s.Rate = providers.Rate{}
	c := &Client{
		searchURL:    nom + "/search",
		overpassURL:  ovp,
		queryTimeout: cfg.QueryTimeout,
	}
	if c.queryTimeout <= 0 {
		c.queryTimeout = DefaultQueryTimeout
	}
	c.nominatim = providers.NewDoer(providers.Policy{
		Service:     providers.ServiceNominatim,
		Rate:        NominatimRate(),
		MaxInFlight: 1,
		Classify:    classifyNominatim,
	}, s)
	c.overpass = providers.NewDoer(providers.Policy{
		Service:         providers.ServiceOverpass,
		Rate:            OverpassRate(),
		MaxInFlight:     1,
		MinWaitAfter429: OverpassMinWaitAfter429,
		Classify:        classifyOverpass,
	}, s)
	c.clock = c.nominatim.Clock()
	size := cfg.CacheSize
	if size <= 0 {
		size = DefaultCacheSize
	}
	ttl := cfg.CacheTTL
	if ttl <= 0 {
		ttl = DefaultCacheTTL
	}
	c.cache = newGeoCache(size, ttl)
	return c, nil
}

// Geocode resolves a location ("Austin, TX") with Nominatim, from the cache
// when it was asked before. It returns ErrLocationNotFound when Nominatim has
// no match; concurrent calls for the same location share one request.
func (c *Client) Geocode(ctx context.Context, location string) (Place, error) {
	key := textfold.Phrase(location)
	if key == "" {
		return Place{}, ErrLocationNotFound
	}
	for {
		p, found, hit, wait := c.cache.get(key, c.clock.Now())
		if hit {
			if !found {
				return Place{}, ErrLocationNotFound
			}
			return p, nil
		}
		if wait == nil {
			break // we own the request
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return Place{}, fmt.Errorf("%s: %w", providers.ServiceNominatim, ctx.Err())
		}
	}
	p, found, err := c.geocode(ctx, location)
	c.cache.finish(key, p, found, err, c.clock.Now())
	if err != nil {
		return Place{}, err
	}
	if !found {
		return Place{}, ErrLocationNotFound
	}
	return p, nil
}

func (c *Client) geocode(ctx context.Context, location string) (Place, bool, error) {
	v := url.Values{}
	v.Set("q", location)
	v.Set("format", "jsonv2")
	v.Set("limit", "1")
	v.Set("addressdetails", "1")
	resp, err := c.nominatim.Do(ctx, providers.Request{
		Method:   "GET",
		URL:      c.searchURL + "?" + v.Encode(),
		Endpoint: EndpointSearch,
	})
	if err != nil {
		return Place{}, false, err
	}
	var places []Place
	if err := json.Unmarshal(resp.Body, &places); err != nil {
		return Place{}, false, &providers.Error{Service: providers.ServiceNominatim, Kind: providers.KindUnavailable, Status: resp.Status,
			Code: "bad_response", Message: providers.TextMessage(resp.Header, resp.Body), Err: err}
	}
	if len(places) == 0 {
		return Place{}, false, nil
	}
	return places[0], true, nil
}

// Query is one business search.
type Query struct {
	BusinessType string // "plumbers"
	Location     string // "Austin, TX"
	// Max bounds the elements delivered; 0 means all that Overpass returned.
	Max int
}

// Search geocodes q.Location, asks Overpass for the businesses of
// q.BusinessType there (see categories.go for the type table and the name
// fallback), and calls fn with pages of up to PageSize named elements.
// Overpass has no paging: the whole answer arrives at once, and the pages
// only let the caller stop (fn returning providers.ErrStop or an error).
// Elements without a name are skipped: they cannot become prospects.
func (c *Client) Search(ctx context.Context, q Query, fn func(page []Element) error) error {
	selectors := Selectors(q.BusinessType)
	if len(selectors) == 0 {
		return &providers.Error{Service: providers.ServiceOverpass, Kind: providers.KindInvalid, Code: "empty_query", Message: "the business type is empty"}
	}
	place, err := c.Geocode(ctx, q.Location)
	if err != nil {
		return err
	}
	area, err := AreaOf(place)
	if err != nil {
		return &providers.Error{Service: providers.ServiceNominatim, Kind: providers.KindUnavailable, Code: "bad_response", Message: err.Error()}
	}
	resp, err := c.Interpret(ctx, BuildQuery(area, selectors, c.queryTimeout))
	if err != nil {
		return err
	}
	var named []Element
	for _, e := range resp.Elements {
		if e.Name() != "" {
			named = append(named, e)
		}
	}
	if q.Max > 0 && len(named) > q.Max {
		named = named[:q.Max]
	}
	for start := 0; start < len(named); start += PageSize {
		if err := fn(named[start:min(start+PageSize, len(named))]); err != nil {
			if errors.Is(err, providers.ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// BuildQuery writes the Overpass QL of a search: the union of selectors
// within area, with tags and a center point for ways and relations.
func BuildQuery(area Area, selectors []string, timeout time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[out:json][timeout:%d];\n", int(timeout.Seconds()))
	spatial := "(area.a)"
	if area.BBox == nil {
		fmt.Fprintf(&b, "area(id:%d)->.a;\n", area.ID)
	} else {
		bb := area.BBox
		spatial = fmt.Sprintf("(%s,%s,%s,%s)", coord(bb.South), coord(bb.West), coord(bb.North), coord(bb.East))
	}
	b.WriteString("(\n")
	for _, s := range selectors {
		fmt.Fprintf(&b, "  nwr%s%s;\n", s, spatial)
	}
	b.WriteString(");\nout center tags;\n")
	return b.String()
}

func coord(x float64) string { return fmt.Sprintf("%.7f", x) }

// Interpret runs an Overpass QL query (POSTed form-encoded, as Overpass
// prefers) and returns its answer. A 200 whose remark is a runtime error is
// a failure, not an empty result.
func (c *Client) Interpret(ctx context.Context, ql string) (*OverpassResponse, error) {
	form := url.Values{}
	form.Set("data", ql)
	resp, err := c.overpass.Do(ctx, providers.Request{
		Method:   "POST",
		URL:      c.overpassURL,
		Endpoint: EndpointInterpreter,
		Header:   map[string][]string{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:     []byte(form.Encode()),
		Timeout:  c.queryTimeout + QueryTimeoutSlack,
	})
	if err != nil {
		return nil, err
	}
	if !looksLikeJSON(resp.Header.Get("Content-Type"), resp.Body) {
		return nil, &providers.Error{Service: providers.ServiceOverpass, Kind: providers.KindUnavailable, Status: resp.Status,
			Code: "bad_response", Message: overpassMessage(resp.Header, resp.Body)}
	}
	var out OverpassResponse
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return nil, &providers.Error{Service: providers.ServiceOverpass, Kind: providers.KindUnavailable, Status: resp.Status,
			Code: "bad_response", Message: "the response is not the documented JSON", Err: err}
	}
	if strings.Contains(out.Remark, "runtime error") {
		return nil, &providers.Error{Service: providers.ServiceOverpass, Kind: providers.KindUnavailable, Status: resp.Status,
			Code: "runtime_error", Message: out.Remark}
	}
	return &out, nil
}

func looksLikeJSON(contentType string, body []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "json") {
		return true
	}
	s := strings.TrimSpace(string(body[:min(len(body), 64)]))
	return strings.HasPrefix(s, "{")
}

var overpassErrorRE = regexp.MustCompile(`(?s)<strong[^>]*>\s*Error\s*</strong>\s*:(.*?)</p>`)

// overpassMessage keeps the "Error: …" line of Overpass's HTML error pages,
// not the licence paragraph that precedes it.
func overpassMessage(h map[string][]string, body []byte) string {
	if m := overpassErrorRE.FindSubmatch(body); m != nil {
		return providers.TextMessage(map[string][]string{"Content-Type": {"text/html"}}, m[1])
	}
	return providers.TextMessage(h, body)
}

func classifyOverpass(r *providers.Response) *providers.Error {
	e := &providers.Error{Kind: providers.ClassifyStatus(r.Status), Message: overpassMessage(r.Header, r.Body)}
	switch r.Status {
	case 400:
		e.Code = "bad_query"
	case 406:
		e.Kind, e.Code = providers.KindRejected, "user_agent_rejected"
		e.Message = "Overpass refused the User-Agent; set OUTBOUND_USER_AGENT to identify this instance"
	case 401, 403:
		// There is no key: a 403 means this client or address is blocked.
		e.Kind, e.Code = providers.KindRejected, "blocked"
	case 429:
		e.Code = "rate_limited"
	case 504:
		e.Code = "server_busy"
	}
	return e
}

func classifyNominatim(r *providers.Response) *providers.Error {
	e := &providers.Error{Kind: providers.ClassifyStatus(r.Status)}
	var env struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(r.Body, &env) == nil && env.Error.Message != "" {
		e.Message = env.Error.Message
	} else {
		e.Message = providers.TextMessage(r.Header, r.Body)
	}
	switch r.Status {
	case 401, 403:
		e.Kind, e.Code = providers.KindRejected, "blocked"
	case 429:
		e.Code = "rate_limited"
	}
	return e
}

// geoCache is a bounded LRU of geocoding answers, negative ones included:
// the usage policy asks for caching, and campaigns reuse a few locations.
type geoCache struct {
	mu       sync.Mutex
	size     int
	ttl      time.Duration
	order    *list.List // front = most recent; values are *geoEntry
	entries  map[string]*list.Element
	inflight map[string]chan struct{}
}

type geoEntry struct {
	key     string
	place   Place
	found   bool
	expires time.Time
}

func newGeoCache(size int, ttl time.Duration) *geoCache {
	return &geoCache{size: size, ttl: ttl, order: list.New(), entries: map[string]*list.Element{}, inflight: map[string]chan struct{}{}}
}

// get returns a cached answer (hit), or a channel to wait on when another
// caller is already asking, or neither: the caller must ask and then call
// finish.
func (c *geoCache) get(key string, now time.Time) (p Place, found, hit bool, wait <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*geoEntry)
		if now.Before(e.expires) {
			c.order.MoveToFront(el)
			return e.place, e.found, true, nil
		}
		c.order.Remove(el)
		delete(c.entries, key)
	}
	if ch, ok := c.inflight[key]; ok {
		return Place{}, false, false, ch
	}
	c.inflight[key] = make(chan struct{})
	return Place{}, false, false, nil
}

// finish stores an answer (errors are not cached) and wakes the waiters.
func (c *geoCache) finish(key string, p Place, found bool, err error, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		el := c.order.PushFront(&geoEntry{key: key, place: p, found: found, expires: now.Add(c.ttl)})
		c.entries[key] = el
		for c.order.Len() > c.size {
			old := c.order.Back()
			c.order.Remove(old)
			delete(c.entries, old.Value.(*geoEntry).key)
		}
	}
	if ch, ok := c.inflight[key]; ok {
		close(ch)
		delete(c.inflight, key)
	}
}
