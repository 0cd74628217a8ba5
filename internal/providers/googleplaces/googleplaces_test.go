package googleplaces_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/googleplaces"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
	"github.com/prospectorhq/prospector/internal/sandbox"
)

type fixture = providerstest.Sandboxed[*googleplaces.Client]

type setupOptions struct {
	faults map[sandbox.Service]sandbox.Fault
	tune   func(*providers.Settings) // changes the test settings, when set
	key    string
	frozen bool
}

func setup(t *testing.T, o setupOptions) fixture {
	t.Helper()
	f := providerstest.StartSandboxed[*googleplaces.Client](t, o.faults, o.frozen)
	s := f.Settings()
	if o.tune != nil {
		o.tune(&s)
	}
	key := o.key
	if key == "" {
		key = f.SB.GoogleAPIKey
	}
	var err error
	f.Client, err = googleplaces.New(googleplaces.Config{APIKey: key, BaseURL: f.SB.GooglePlacesURL, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSearchPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		max       int
		wantPages []int
	}{
		{max: 0, wantPages: []int{20, 20, 20}},
		{max: 100, wantPages: []int{20, 20, 20}},
		{max: 25, wantPages: []int{20, 5}},
		{max: 20, wantPages: []int{20}},
		{max: 7, wantPages: []int{7}},
	}
	for _, tt := range tests {
		t.Run("max "+strconv.Itoa(tt.max), func(t *testing.T) {
			t.Parallel()
			f := setup(t, setupOptions{})
			pages, err := providerstest.Pages(f.Client.Search, googleplaces.Query{Text: "plumbers in Austin, TX", Max: tt.max})
			if err != nil {
				t.Fatal(err)
			}
			var sizes []int
			ids := map[string]bool{}
			for _, p := range pages {
				sizes = append(sizes, len(p))
				for _, pl := range p {
					ids[pl.ID] = true
				}
			}
			if !reflect.DeepEqual(sizes, tt.wantPages) {
				t.Errorf("page sizes = %v, want %v", sizes, tt.wantPages)
			}
			total := 0
			for _, n := range tt.wantPages {
				total += n
			}
			if len(ids) != total {
				t.Errorf("distinct places = %d, want %d", len(ids), total)
			}
			if n := f.SB.RequestCount(sandbox.GooglePlaces); n != len(tt.wantPages) {
				t.Errorf("requests = %d, want %d", n, len(tt.wantPages))
			}
			if got, want := f.Rec.TotalCostUSD(), float64(len(tt.wantPages))*googleplaces.CostPerRequestUSD; !closeTo(got, want) {
				t.Errorf("recorded cost = %v, want %v", got, want)
			}
		})
	}
}

func TestSearchSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	if _, err := providerstest.Pages(f.Client.Search, googleplaces.Query{Text: "plumbers in Austin, TX", RegionCode: "us"}); err != nil {
		t.Fatal(err)
	}
	reqs := f.SB.Requests(sandbox.GooglePlaces)
	if len(reqs) != 3 {
		t.Fatalf("requests = %d, want 3", len(reqs))
	}
	var first map[string]any
	for i, r := range reqs {
		if r.Method != "POST" || r.Path != "/google-places/v1/places:searchText" {
			t.Errorf("request %d = %s %s", i, r.Method, r.Path)
		}
		for h, want := range map[string]string{
			"X-Goog-Api-Key": f.SB.GoogleAPIKey, "X-Goog-FieldMask": googleplaces.FieldMask,
			"Content-Type": "application/json", "User-Agent": providerstest.UserAgent,
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("request %d %s = %q, want %q", i, h, got, want)
			}
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		tok, hasToken := body["pageToken"]
		delete(body, "pageToken")
		if i == 0 {
			first = body
			if hasToken {
				t.Error("first request carries a pageToken")
			}
			continue
		}
		if !hasToken || tok == "" {
			t.Errorf("request %d has no pageToken", i)
		}
		if !reflect.DeepEqual(body, first) {
			t.Errorf("request %d parameters %v differ from the first %v", i, body, first)
		}
	}
	if first["pageSize"] != float64(20) || first["textQuery"] != "plumbers in Austin, TX" || first["regionCode"] != "us" {
		t.Errorf("first body = %v", first)
	}
}

func TestSearchReturnsMaskedFields(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	pages, err := providerstest.Pages(f.Client.Search, googleplaces.Query{Text: "dentists in Portland, OR", Max: 20})
	if err != nil {
		t.Fatal(err)
	}
	withWebsite := 0
	for _, p := range pages[0] {
		if !strings.HasPrefix(p.ID, "ChIJ") || p.Name() == "" || p.FormattedAddress == "" || p.Location == nil {
			t.Errorf("incomplete place %+v", p)
		}
		if !strings.HasPrefix(p.InternationalPhoneNumber, "+1 ") || !strings.Contains(p.NationalPhoneNumber, "555-01") {
			t.Errorf("phones %q %q are not fictional numbers", p.InternationalPhoneNumber, p.NationalPhoneNumber)
		}
		if p.PrimaryType != "dentist" {
			t.Errorf("primaryType = %q", p.PrimaryType)
		}
		if _, short, ok := p.Component("administrative_area_level_1"); !ok || short != "OR" {
			t.Errorf("state component = %q %v", short, ok)
		}
		if p.WebsiteURI != "" {
			withWebsite++
			if !strings.Contains(p.WebsiteURI, ".example/") {
				t.Errorf("website %q is not under .example", p.WebsiteURI)
			}
		}
	}
	if withWebsite == 0 {
		t.Error("no place has a website")
	}
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		key          string
		fault        *sandbox.Fault
		wantKind     providers.Kind
		wantCode     string
		wantRequests int
		wantDescribe string
	}{
		{name: "invalid key", key: "not-the-key", wantKind: providers.KindAuth, wantCode: "API_KEY_INVALID", wantRequests: 1,
			wantDescribe: "Google Places rejected the API key"},
		{name: "daily quota spent", key: sandbox.QuotaExhaustedKey, wantKind: providers.KindQuota, wantCode: "RATE_LIMIT_EXCEEDED", wantRequests: 1,
			wantDescribe: "Google Places quota exhausted"},
		{name: "API disabled", fault: &sandbox.Fault{Status: 403}, wantKind: providers.KindAuth, wantCode: "PERMISSION_DENIED", wantRequests: 1},
		{name: "bad request", fault: &sandbox.Fault{Status: 400}, wantKind: providers.KindInvalid, wantCode: "INVALID_ARGUMENT", wantRequests: 1},
		{name: "rate limited throughout", fault: &sandbox.Fault{Status: 429}, wantKind: providers.KindRateLimited, wantCode: "RESOURCE_EXHAUSTED", wantRequests: 4},
		{name: "server errors throughout", fault: &sandbox.Fault{Status: 500}, wantKind: providers.KindUnavailable, wantCode: "INTERNAL", wantRequests: 4},
		{name: "unavailable throughout", fault: &sandbox.Fault{Status: 503}, wantKind: providers.KindUnavailable, wantCode: "UNAVAILABLE", wantRequests: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := setupOptions{key: tt.key}
			if tt.fault != nil {
				o.faults = map[sandbox.Service]sandbox.Fault{sandbox.GooglePlaces: *tt.fault}
			}
			f := setup(t, o)
			pages, err := providerstest.Pages(f.Client.Search, googleplaces.Query{Text: "roofers in Denver, CO"})
			if len(pages) != 0 {
				t.Errorf("got %d pages despite the error", len(pages))
			}
			perr, ok := providers.AsError(err)
			if !ok {
				t.Fatalf("err = %v, want *providers.Error", err)
			}
			if perr.Kind != tt.wantKind || perr.Code != tt.wantCode {
				t.Errorf("err = %v (kind %v), want kind %v code %s", err, perr.Kind, tt.wantKind, tt.wantCode)
			}
			if n := f.SB.RequestCount(sandbox.GooglePlaces); n != tt.wantRequests {
				t.Errorf("requests = %d, want %d", n, tt.wantRequests)
			}
			if tt.wantDescribe != "" && providers.Describe(err) != tt.wantDescribe {
				t.Errorf("Describe = %q, want %q", providers.Describe(err), tt.wantDescribe)
			}
			if f.Rec.TotalCostUSD() != 0 {
				t.Errorf("failed calls recorded a cost of %v", f.Rec.TotalCostUSD())
			}
		})
	}
}

func TestSearchWithoutKeySendsNothing(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{})
	_, err := providerstest.Pages(f.Client.WithKey("").Search, googleplaces.Query{Text: "bakeries in Reno, NV"})
	if !providers.IsNoAPIKey(err) || !providers.IsAuth(err) {
		t.Fatalf("err = %v, want no-key error", err)
	}
	if n := f.SB.RequestCount(sandbox.GooglePlaces); n != 0 {
		t.Errorf("requests = %d, want 0", n)
	}
}

func TestSearchRecoversFromTransientErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		fault      sandbox.Fault
		wantSleeps []time.Duration
	}{
		{name: "one 503", fault: sandbox.Fault{Status: 503, Times: 1}, wantSleeps: []time.Duration{250 * time.Millisecond}},
		{name: "two 500", fault: sandbox.Fault{Status: 500, Times: 2}, wantSleeps: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}},
		{name: "429 with Retry-After", fault: sandbox.Fault{Status: 429, RetryAfter: "3", Times: 1}, wantSleeps: []time.Duration{3 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, setupOptions{faults: map[sandbox.Service]sandbox.Fault{sandbox.GooglePlaces: tt.fault}})
			pages, err := providerstest.Pages(f.Client.Search, googleplaces.Query{Text: "florists in Boise, ID", Max: 20})
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) != 1 || len(pages[0]) != 20 {
				t.Errorf("pages = %d", len(pages))
			}
			f.Clock.CheckSleeps(t, tt.wantSleeps...)
			calls := f.Rec.Calls()
			if len(calls) != len(tt.wantSleeps)+1 || calls[len(calls)-1].Status != 200 {
				t.Errorf("recorded calls = %+v", calls)
			}
		})
	}
}

func TestSearchEmptyResult(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{faults: map[sandbox.Service]sandbox.Fault{sandbox.GooglePlaces: {Empty: true}}})
	pages, err := providerstest.Pages(f.Client.Search, googleplaces.Query{Text: "plumbers in Austin, TX"})
	if err != nil || len(pages) != 0 {
		t.Fatalf("pages = %d, err = %v; want none and no error", len(pages), err)
	}
}

func TestSearchCallbackEndsPaging(t *testing.T) {
	t.Parallel()
	paused := errors.New("campaign paused")
	tests := []struct {
		name    string
		ret     error
		wantErr error
	}{
		{name: "ErrStop ends without error", ret: providers.ErrStop, wantErr: nil},
		{name: "other errors are returned", ret: paused, wantErr: paused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, setupOptions{})
			calls := 0
			err := f.Client.Search(context.Background(), googleplaces.Query{Text: "gyms in Tulsa, OK"}, func([]googleplaces.Place) error {
				calls++
				return tt.ret
			})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if calls != 1 || f.SB.RequestCount(sandbox.GooglePlaces) != 1 {
				t.Errorf("callbacks = %d, requests = %d; want 1 and 1", calls, f.SB.RequestCount(sandbox.GooglePlaces))
			}
		})
	}
}

func TestSearchSlowServerTimesOut(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{
		faults: map[sandbox.Service]sandbox.Fault{sandbox.GooglePlaces: {Latency: 5 * time.Second}},
		tune:   func(s *providers.Settings) { s.Timeout, s.MaxAttempts = 30*time.Millisecond, 2 },
	})
	_, err := providerstest.Pages(f.Client.Search, googleplaces.Query{Text: "spas in Miami, FL"})
	perr, ok := providers.AsError(err)
	if !ok || perr.Code != "timeout" || perr.Kind != providers.KindUnavailable {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if n := f.SB.RequestCount(sandbox.GooglePlaces); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

// The limiter belongs to the client and is shared with every WithKey copy,
// so users bringing their own keys cannot multiply the request rate.
func TestRateLimitSharedAcrossKeys(t *testing.T) {
	t.Parallel()
	f := setup(t, setupOptions{frozen: true, tune: func(s *providers.Settings) { s.Rate = providers.Rate{PerSecond: 1, Burst: 1} }})
	other := f.Client.WithKey(f.SB.GoogleAPIKey)
	for _, c := range []*googleplaces.Client{f.Client, other, f.Client} {
		if _, err := providerstest.Pages(c.Search, googleplaces.Query{Text: "bars in Austin, TX", Max: 1}); err != nil {
			t.Fatal(err)
		}
	}
	f.Clock.CheckSleeps(t, time.Second, 2*time.Second)
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"places.googleapis.com", "ftp://x", "://"} {
		if _, err := googleplaces.New(googleplaces.Config{BaseURL: base}); err == nil {
			t.Errorf("New accepted base URL %q", base)
		}
	}
}

func closeTo(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
