package yelp_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
	"github.com/prospectorhq/prospector/internal/providers/yelp"
	"github.com/prospectorhq/prospector/internal/sandbox"
)

type fixture = providerstest.Sandboxed[*yelp.Client]

type setupOptions struct {
	faults       map[sandbox.Service]sandbox.Fault
	key          string
	maxReachable int
}

func setup(t *testing.T, o setupOptions) fixture {
	t.Helper()
	f := providerstest.StartSandboxed[*yelp.Client](t, o.faults, false)
	key := o.key
	if key == "" {
		key = f.SB.YelpAPIKey
	}
	var err error
	f.Client, err = yelp.New(yelp.Config{
		APIKey: key, BaseURL: f.SB.YelpURL, MaxReachable: o.maxReachable, CostPerCallUSD: 0.01,
		Settings: f.Settings(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sizes(pages [][]yelp.Business) []int {
	var out []int
	for _, p := range pages {
		out = append(out, len(p))
	}
	return out
}

// splitPages is how a reachable count falls into Yelp pages of 50.
func splitPages(n int) []int {
	var out []int
	for n > 0 {
		out = append(out, min(n, 50))
		n -= 50
	}
	return out
}

func TestSearchPages(t *testing.T) {
	t.Parallel()
	const term, location = "plumbers", "Austin, TX"
	total := len(sandbox.Generate(term, location).OnYelpList())
	if total <= 150 || total >= 240 {
		t.Fatalf("fixture town has %d Yelp businesses; the cases below assume 150 < total < 240", total)
	}
	tests := []struct {
		name         string
		max          int
		maxReachable int
		wantPages    []int
		wantLimits   []int // what each request asks for
	}{
		// The last page comes back short, which ends the search.
		{name: "everything reachable stops at total", max: 0, wantPages: splitPages(total), wantLimits: []int{50, 50, 50, 50}},
		{name: "max above total", max: 500, wantPages: splitPages(total), wantLimits: []int{50, 50, 50, 50}},
		{name: "max over several pages", max: 120, wantPages: []int{50, 50, 20}, wantLimits: []int{50, 50, 20}},
		{name: "max within one page", max: 30, wantPages: []int{30}, wantLimits: []int{30}},
		{name: "reachable cap", max: 0, maxReachable: 75, wantPages: []int{50, 25}, wantLimits: []int{50, 25}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, setupOptions{maxReachable: tt.maxReachable})
			pages, err := providerstest.Pages(f.Client.Search, yelp.Query{Term: term, Location: location, Max: tt.max})
			if err != nil {
				t.Fatal(err)
			}
			if got := sizes(pages); !reflect.DeepEqual(got, tt.wantPages) {
				t.Errorf("page sizes = %v, want %v", got, tt.wantPages)
			}
			ids := map[string]bool{}
			for _, p := range pages {
				for _, b := range p {
					ids[b.ID] = true
				}
			}
			reqs := f.SB.Requests(sandbox.Yelp)
			if len(reqs) != len(tt.wantPages) {
				t.Fatalf("requests = %d, want %d", len(reqs), len(tt.wantPages))
			}
			offset := 0
			for i, r := range reqs {
				limit, _ := strconv.Atoi(r.Query.Get("limit"))
				if r.Query.Get("offset") != strconv.Itoa(offset) || limit != tt.wantLimits[i] {
					t.Errorf("request %d: limit=%s offset=%s, want %d and %d", i, r.Query.Get("limit"), r.Query.Get("offset"), tt.wantLimits[i], offset)
				}
				if offset+limit > yelp.MaxWindow {
					t.Errorf("request %d: offset+limit = %d", i, offset+limit)
				}
				offset += tt.wantPages[i]
			}
			if want := sum(tt.wantPages); len(ids) != want {
				t.Errorf("distinct businesses = %d, want %d", len(ids), want)
			}
			if got, want := f.Rec.TotalCostUSD(), 0.01*float64(len(reqs)); got-want > 1e-9 || want-got > 1e-9 {
				t.Errorf("recorded cost = %v, want %v", got, want)
			}
		})
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func TestSearchSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	if _, err := providerstest.Pages(f.Client.Search, yelp.Query{Term: "dentists", Location: "Salem, OR", Categories: "generaldentistry", Max: 10}); err != nil {
		t.Fatal(err)
	}
	r := f.SB.Requests(sandbox.Yelp)[0]
	if r.Method != "GET" || r.Path != "/yelp/v3/businesses/search" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+f.SB.YelpAPIKey {
		t.Errorf("Authorization = %q", got)
	}
	if got := r.Header.Get("User-Agent"); got != providerstest.UserAgent {
		t.Errorf("User-Agent = %q", got)
	}
	want := map[string]string{"term": "dentists", "location": "Salem, OR", "categories": "generaldentistry", "limit": "10", "offset": "0"}
	for k, v := range want {
		if r.Query.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, r.Query.Get(k), v)
		}
	}
	for k := range r.Query {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected parameter %s", k)
		}
	}
}

func TestSearchBusinessesLookLikeYelp(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	pages, err := providerstest.Pages(f.Client.Search, yelp.Query{Term: "electricians", Location: "Columbus, OH", Max: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range pages[0] {
		if b.Phone != "" && (!strings.HasPrefix(b.Phone, "+1") || len(b.Phone) != 12 || !strings.Contains(b.Phone, "55501")) {
			t.Errorf("phone %q is not a fictional E.164 number", b.Phone)
		}
		if b.Location.Address1 == "" || b.Location.State != "OH" || b.Coordinates.Latitude == nil {
			t.Errorf("incomplete business %+v", b)
		}
		if len(b.Categories) != 1 || b.Categories[0].Alias != "electricians" {
			t.Errorf("categories = %+v", b.Categories)
		}
		if !strings.Contains(b.URL, ".example/") {
			t.Errorf("url %q is not a sandbox page", b.URL)
		}
	}
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		key          string
		location     string
		fault        *sandbox.Fault
		wantKind     providers.Kind
		wantCode     string
		wantRequests int
		wantDescribe string
	}{
		{name: "invalid key", key: "wrong", wantKind: providers.KindAuth, wantCode: "TOKEN_INVALID", wantRequests: 1,
			wantDescribe: "Yelp rejected the API key"},
		{name: "daily allowance spent", key: sandbox.QuotaExhaustedKey, wantKind: providers.KindQuota, wantCode: "ACCESS_LIMIT_REACHED", wantRequests: 1},
		{name: "daily allowance spent, as a fault", fault: &sandbox.Fault{Status: 429, Code: "ACCESS_LIMIT_REACHED"},
			wantKind: providers.KindQuota, wantCode: "ACCESS_LIMIT_REACHED", wantRequests: 1, wantDescribe: "Yelp quota exhausted"},
		{name: "too fast throughout", fault: &sandbox.Fault{Status: 429}, wantKind: providers.KindRateLimited, wantCode: "TOO_MANY_REQUESTS_PER_SECOND", wantRequests: 4},
		{name: "server error throughout, generic envelope", fault: &sandbox.Fault{Status: 500, GenericEnvelope: true},
			wantKind: providers.KindUnavailable, wantCode: "INTERNAL_SERVER_ERROR", wantRequests: 4},
		{name: "unauthorized, generic envelope", fault: &sandbox.Fault{Status: 401, GenericEnvelope: true},
			wantKind: providers.KindAuth, wantCode: "UNAUTHORIZED", wantRequests: 1},
		{name: "validation error", fault: &sandbox.Fault{Status: 400}, wantKind: providers.KindInvalid, wantCode: "VALIDATION_ERROR", wantRequests: 1},
		{name: "unknown location", location: sandbox.UnknownLocation, wantKind: providers.KindInvalid, wantCode: "LOCATION_NOT_FOUND", wantRequests: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := setupOptions{key: tt.key}
			if tt.fault != nil {
				o.faults = map[sandbox.Service]sandbox.Fault{sandbox.Yelp: *tt.fault}
			}
			f := setup(t, o)
			loc := tt.location
			if loc == "" {
				loc = "Austin, TX"
			}
			pages, err := providerstest.Pages(f.Client.Search, yelp.Query{Term: "plumbers", Location: loc})
			if len(pages) != 0 {
				t.Errorf("got %d pages despite the error", len(pages))
			}
			perr, ok := providers.AsError(err)
			if !ok || perr.Kind != tt.wantKind || perr.Code != tt.wantCode {
				t.Fatalf("err = %v, want kind %v code %s", err, tt.wantKind, tt.wantCode)
			}
			if n := f.SB.RequestCount(sandbox.Yelp); n != tt.wantRequests {
				t.Errorf("requests = %d, want %d", n, tt.wantRequests)
			}
			if tt.wantDescribe != "" && !strings.HasPrefix(providers.Describe(err), tt.wantDescribe) {
				t.Errorf("Describe = %q, want %q…", providers.Describe(err), tt.wantDescribe)
			}
		})
	}
}

func TestSearchRecoversFromTransientErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		fault      sandbox.Fault
		wantSleeps []time.Duration
	}{
		{name: "one per-second limit", fault: sandbox.Fault{Status: 429, Times: 1}, wantSleeps: []time.Duration{250 * time.Millisecond}},
		{name: "per-second limit with Retry-After", fault: sandbox.Fault{Status: 429, RetryAfter: "2", Times: 1}, wantSleeps: []time.Duration{2 * time.Second}},
		{name: "one 503", fault: sandbox.Fault{Status: 503, Times: 1}, wantSleeps: []time.Duration{250 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, setupOptions{faults: map[sandbox.Service]sandbox.Fault{sandbox.Yelp: tt.fault}})
			pages, err := providerstest.Pages(f.Client.Search, yelp.Query{Term: "bakeries", Location: "Dayton, OH", Max: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got := sizes(pages); !reflect.DeepEqual(got, []int{10}) {
				t.Errorf("pages = %v", got)
			}
			f.Clock.CheckSleeps(t, tt.wantSleeps...)
		})
	}
}

func TestSearchEmptyAndMissingInputs(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{faults: map[sandbox.Service]sandbox.Fault{sandbox.Yelp: {Empty: true}}})
	pages, err := providerstest.Pages(f.Client.Search, yelp.Query{Term: "plumbers", Location: "Austin, TX"})
	if err != nil || len(pages) != 0 {
		t.Errorf("empty result: pages = %d, err = %v", len(pages), err)
	}
	if _, err := providerstest.Pages(f.Client.Search, yelp.Query{Term: "plumbers"}); !providers.IsInvalid(err) {
		t.Errorf("no location: err = %v, want invalid", err)
	}
	if _, err := providerstest.Pages(f.Client.WithKey("").Search, yelp.Query{Term: "plumbers", Location: "Austin, TX"}); !providers.IsNoAPIKey(err) {
		t.Errorf("no key: err = %v", err)
	}
	if n := f.SB.RequestCount(sandbox.Yelp); n != 1 {
		t.Errorf("requests = %d, want 1 (the checks above send nothing)", n)
	}
}

func TestDocumentedResponseDecodes(t *testing.T) {
	t.Parallel()
	var resp yelp.SearchResponse
	providerstest.DecodeStrict(t, "search_response.json", &resp)
	b := resp.Businesses[0]
	if resp.Total != 485 || b.Phone != "+15125550142" || b.Location.ZipCode != "78702" || b.Location.Address3 != "" ||
		b.Price != "$$" || b.ReviewCount != 120 || *b.Coordinates.Latitude != 30.2649 || b.Location.DisplayAddress[1] != "Austin, TX 78702" {
		t.Errorf("decoded %+v", resp)
	}
}
