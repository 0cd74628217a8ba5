package osm_test

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/osm"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
	"github.com/prospectorhq/prospector/internal/sandbox"
)

type fixture = providerstest.Sandboxed[*osm.Client]

type setupOptions struct {
	faults    map[sandbox.Service]sandbox.Fault
	userAgent string // instead of providerstest.UserAgent
	frozen    bool
	cacheSize int
}

func setup(t *testing.T, o setupOptions) fixture {
	t.Helper()
	f := providerstest.StartSandboxed[*osm.Client](t, o.faults, o.frozen)
	s := f.Settings()
	if o.userAgent != "" {
		s.UserAgent = o.userAgent
	}
	var err error
	f.Client, err = osm.New(osm.Config{
		NominatimURL: f.SB.NominatimURL,
		OverpassURL:  f.SB.OverpassURL,
		CacheSize:    o.cacheSize,
		Settings:     s,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// collect runs a search and returns its elements and how many pages
// delivered them.
func collect(c *osm.Client, q osm.Query) ([]osm.Element, int, error) {
	pages, err := providerstest.Pages(c.Search, q)
	return slices.Concat(pages...), len(pages), err
}

func TestGeocode(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	p, err := f.Client.Geocode(context.Background(), "Austin, TX")
	if err != nil {
		t.Fatal(err)
	}
	if p.OSMType != "relation" || p.Name != "Austin" || p.Address["state"] != "Texas" || len(p.BoundingBox) != 4 {
		t.Errorf("place = %+v", p)
	}
	if a, err := osm.AreaOf(p); err != nil || a.ID != 3600000000+p.OSMID {
		t.Errorf("area = %+v, %v", a, err)
	}
	r := f.SB.Requests(sandbox.Nominatim)[0]
	want := url.Values{"q": {"Austin, TX"}, "format": {"jsonv2"}, "limit": {"1"}, "addressdetails": {"1"}}
	if r.Path != "/nominatim/search" || !reflect.DeepEqual(r.Query, want) {
		t.Errorf("request = %s %v", r.Path, r.Query)
	}
	if r.Header.Get("User-Agent") != providerstest.UserAgent {
		t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
	}
	if _, err := f.Client.Geocode(context.Background(), sandbox.UnknownLocation); !errors.Is(err, osm.ErrLocationNotFound) {
		t.Errorf("unknown location: err = %v", err)
	}
}

func TestGeocodeCache(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{cacheSize: 2})
	ctx := context.Background()
	steps := []struct {
		location     string
		advance      time.Duration
		wantRequests int
	}{
		{"Austin, TX", 0, 1},
		{"austin,   tx", 0, 1}, // same place once normalised
		{sandbox.UnknownLocation, 0, 2},
		{sandbox.UnknownLocation, 0, 2}, // "not found" is cached too
		{"Boise, ID", 0, 3},             // evicts Austin (least recently used)
		{"Austin, TX", 0, 4},
		{"Austin, TX", 25 * time.Hour, 5}, // expired
	}
	for i, s := range steps {
		f.Clock.Advance(s.advance)
		_, err := f.Client.Geocode(ctx, s.location)
		if err != nil && !errors.Is(err, osm.ErrLocationNotFound) {
			t.Fatal(err)
		}
		if n := f.SB.RequestCount(sandbox.Nominatim); n != s.wantRequests {
			t.Errorf("step %d (%s): requests = %d, want %d", i, s.location, n, s.wantRequests)
		}
	}
}

func TestGeocodeConcurrentCallersShareOneRequest(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{faults: map[sandbox.Service]sandbox.Fault{sandbox.Nominatim: {Latency: 50 * time.Millisecond}}})
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := f.Client.Geocode(context.Background(), "Reno, NV"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := f.SB.RequestCount(sandbox.Nominatim); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

// Nominatim allows one request per second for the whole application.
func TestGeocodeRateLimit(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{frozen: true})
	for _, loc := range []string{"Austin, TX", "Dallas, TX", "Waco, TX"} {
		if _, err := f.Client.Geocode(context.Background(), loc); err != nil {
			t.Fatal(err)
		}
	}
	f.Clock.CheckSleeps(t, time.Second, 2*time.Second)
}

func TestSearchKnownType(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	elems, _, err := collect(f.Client, osm.Query{BusinessType: "plumbers", Location: "Austin, TX"})
	if err != nil {
		t.Fatal(err)
	}
	want := len(sandbox.Generate("plumber", "Austin, TX").OnOSMList())
	if len(elems) != want || want == 0 {
		t.Errorf("elements = %d, want %d", len(elems), want)
	}
	withPhone, ways := 0, 0
	for _, e := range elems {
		if e.Tags["craft"] != "plumber" || e.Name() == "" {
			t.Errorf("element %d tags = %v", e.ID, e.Tags)
		}
		if _, _, ok := e.Coordinates(); !ok {
			t.Errorf("element %s/%d has no coordinates", e.Type, e.ID)
		}
		if e.Phone() != "" {
			withPhone++
		}
		if e.Type == "way" {
			ways++
		}
	}
	if withPhone == 0 || ways == 0 {
		t.Errorf("phones on %d elements, %d ways: the sandbox variety is missing", withPhone, ways)
	}

	reqs := f.SB.Requests(sandbox.Overpass)
	if len(reqs) != 1 {
		t.Fatalf("overpass requests = %d", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("request = %s %s", r.Method, r.Header.Get("Content-Type"))
	}
	form, err := url.ParseQuery(string(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	ql := form.Get("data")
	p, _ := f.Client.Geocode(context.Background(), "Austin, TX")
	a, _ := osm.AreaOf(p)
	if !strings.HasPrefix(ql, "[out:json][timeout:60];") || !strings.Contains(ql, `nwr["craft"="plumber"](area.a);`) ||
		!strings.Contains(ql, "area(id:"+strconv.FormatInt(a.ID, 10)+")->.a;") || !strings.HasSuffix(ql, "out center tags;\n") {
		t.Errorf("query =\n%s", ql)
	}
}

func TestSearchVillageUsesBoundingBox(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	elems, _, err := collect(f.Client, osm.Query{BusinessType: "bakery", Location: "Pine Village, VT"})
	if err != nil {
		t.Fatal(err)
	}
	if len(elems) == 0 {
		t.Error("no bakeries found in the bounding box")
	}
	form, _ := url.ParseQuery(string(f.SB.Requests(sandbox.Overpass)[0].Body))
	if ql := form.Get("data"); strings.Contains(ql, "area") || !strings.Contains(ql, `nwr["shop"="bakery"](`) {
		t.Errorf("query =\n%s", ql)
	}
}

func TestSearchUnknownTypeByName(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	elems, _, err := collect(f.Client, osm.Query{BusinessType: "Kite Repairs", Location: "Austin, TX"})
	if err != nil {
		t.Fatal(err)
	}
	if len(elems) == 0 {
		t.Fatal("no elements")
	}
	for _, e := range elems {
		if !strings.Contains(strings.ToLower(e.Name()), "kite repair") {
			t.Errorf("name %q does not match the searched phrase", e.Name())
		}
	}
}

func TestSearchMaxAndPaging(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	// Bakeries carry one tag no other sandbox kind shares, so the town's OSM
	// list is exactly what Overpass returns.
	all := len(sandbox.Generate("bakery", "Omaha, NE").OnOSMList())
	if all <= osm.PageSize || all > 2*osm.PageSize {
		t.Fatalf("fixture town has %d mapped bakeries; the cases assume one to two pages", all)
	}
	tests := []struct {
		max       int
		wantElems int
		wantPages int
	}{
		{max: 5, wantElems: 5, wantPages: 1},
		{max: 0, wantElems: all, wantPages: 2},
	}
	for _, tt := range tests {
		elems, pages, err := collect(f.Client, osm.Query{BusinessType: "bakeries", Location: "Omaha, NE", Max: tt.max})
		if err != nil {
			t.Fatal(err)
		}
		if len(elems) != tt.wantElems || pages != tt.wantPages {
			t.Errorf("max %d: %d elements in %d pages, want %d in %d", tt.max, len(elems), pages, tt.wantElems, tt.wantPages)
		}
	}
	calls := 0
	err := f.Client.Search(context.Background(), osm.Query{BusinessType: "bakeries", Location: "Omaha, NE"}, func([]osm.Element) error {
		calls++
		return providers.ErrStop
	})
	if err != nil || calls != 1 {
		t.Errorf("ErrStop: err = %v after %d calls", err, calls)
	}
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		faults       map[sandbox.Service]sandbox.Fault
		userAgent    string
		location     string
		wantKind     providers.Kind
		wantCode     string
		wantService  string
		wantMessage  string
		wantOverpass int
		wantSleeps   []time.Duration
	}{
		{name: "runtime error remark is not an empty result", faults: map[sandbox.Service]sandbox.Fault{sandbox.Overpass: {Remark: true}},
			wantKind: providers.KindUnavailable, wantCode: "runtime_error", wantService: providers.ServiceOverpass,
			wantMessage: "runtime error: Query timed out", wantOverpass: 1},
		{name: "HTML 400 page", faults: map[sandbox.Service]sandbox.Fault{sandbox.Overpass: {Status: 400}},
			wantKind: providers.KindInvalid, wantCode: "bad_query", wantService: providers.ServiceOverpass, wantMessage: "Sandbox fault.", wantOverpass: 1},
		{name: "HTML 504 pages until attempts run out", faults: map[sandbox.Service]sandbox.Fault{sandbox.Overpass: {Status: 504}},
			wantKind: providers.KindUnavailable, wantCode: "server_busy", wantService: providers.ServiceOverpass, wantMessage: "runtime error: open64",
			// Each back-off is followed by what is left of Overpass's 2 s spacing.
			wantOverpass: 4, wantSleeps: []time.Duration{250 * time.Millisecond, 1750 * time.Millisecond, 500 * time.Millisecond, 1500 * time.Millisecond, time.Second, time.Second}},
		{name: "429 with a long Retry-After is handed back", faults: map[sandbox.Service]sandbox.Fault{sandbox.Overpass: {Status: 429, RetryAfter: "300"}},
			wantKind: providers.KindRateLimited, wantCode: "rate_limited", wantService: providers.ServiceOverpass, wantOverpass: 1},
		{name: "stock User-Agent is refused by Nominatim", userAgent: "Go-http-client/1.1",
			wantKind: providers.KindRejected, wantCode: "blocked", wantService: providers.ServiceNominatim, wantOverpass: 0},
		{name: "Nominatim rate limited throughout", faults: map[sandbox.Service]sandbox.Fault{sandbox.Nominatim: {Status: 429}},
			wantKind: providers.KindRateLimited, wantCode: "rate_limited", wantService: providers.ServiceNominatim, wantOverpass: 0,
			wantSleeps: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, setupOptions{faults: tt.faults, userAgent: tt.userAgent})
			elems, _, err := collect(f.Client, osm.Query{BusinessType: "plumber", Location: "Austin, TX"})
			if len(elems) != 0 {
				t.Errorf("got %d elements despite the error", len(elems))
			}
			perr, ok := providers.AsError(err)
			if !ok || perr.Kind != tt.wantKind || perr.Code != tt.wantCode || perr.Service != tt.wantService {
				t.Fatalf("err = %v, want %s %v %s", err, tt.wantService, tt.wantKind, tt.wantCode)
			}
			if !strings.Contains(perr.Message, tt.wantMessage) || strings.Contains(perr.Message, "<") {
				t.Errorf("message = %q, want it to contain %q and no markup", perr.Message, tt.wantMessage)
			}
			if n := f.SB.RequestCount(sandbox.Overpass); n != tt.wantOverpass {
				t.Errorf("overpass requests = %d, want %d", n, tt.wantOverpass)
			}
			f.Clock.CheckSleeps(t, tt.wantSleeps...)
		})
	}
}

// After a 429 Overpass wants at least 30 s of quiet, whatever it says.
func TestOverpass429WaitsThirtySeconds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		retryAfter string
		wantWait   time.Duration
	}{
		{"no Retry-After", "", 30 * time.Second},
		{"shorter Retry-After", "5", 30 * time.Second},
		{"longer Retry-After", "45", 45 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, setupOptions{faults: map[sandbox.Service]sandbox.Fault{sandbox.Overpass: {Status: 429, RetryAfter: tt.retryAfter, Times: 1}}})
			elems, _, err := collect(f.Client, osm.Query{BusinessType: "plumber", Location: "Austin, TX"})
			if err != nil || len(elems) == 0 {
				t.Fatalf("%d elements, err = %v", len(elems), err)
			}
			f.Clock.CheckSleeps(t, tt.wantWait)
		})
	}
}

func TestInterpretRejectedUserAgent(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{userAgent: "python-requests/2.32"})
	_, err := f.Client.Interpret(context.Background(), "[out:json];node(1);out;")
	if !providers.IsRejected(err) {
		t.Fatalf("err = %v, want rejected", err)
	}
	if perr, _ := providers.AsError(err); perr.Status != 406 || perr.Code != "user_agent_rejected" {
		t.Errorf("err = %+v", perr)
	}
}

func TestSearchRecordsFreeCalls(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	if _, _, err := collect(f.Client, osm.Query{BusinessType: "florist", Location: "Austin, TX"}); err != nil {
		t.Fatal(err)
	}
	calls := f.Rec.Calls()
	if len(calls) != 2 {
		t.Fatalf("calls = %+v", calls)
	}
	if calls[0].Service != providers.ServiceNominatim || calls[1].Service != providers.ServiceOverpass ||
		calls[0].Endpoint != osm.EndpointSearch || calls[1].Endpoint != osm.EndpointInterpreter {
		t.Errorf("calls = %+v", calls)
	}
	if f.Rec.TotalCostUSD() != 0 {
		t.Errorf("cost = %v, want 0", f.Rec.TotalCostUSD())
	}
}
