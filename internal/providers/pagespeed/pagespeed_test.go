package pagespeed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/googleapi"
	"github.com/prospectorhq/prospector/internal/providers/pagespeed"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

const (
	testKey = "AIzaSyTEST-pagespeed-SECRET-0123456789"
	site    = "https://lonestarplumbing.example.com/"
	// basePath is the PAGESPEED_BASE_URL path under the fake's root.
	basePath = "/pagespeedonline/v5"
)

// newFake speaks PageSpeed Insights v5 on loopback: it answers a wrong key
// with Google's API_KEY_INVALID error and hands the rest to h.
func newFake(t *testing.T, h http.HandlerFunc) *providerstest.Server {
	t.Helper()
	keyInvalid := providerstest.Testdata(t, "error_api_key_invalid.json")
	return providerstest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != basePath+"/runPagespeed" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("key") != testKey {
			writeBody(w, http.StatusBadRequest, keyInvalid)
			return
		}
		h(w, r)
	})
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func file(t *testing.T, status int, name string) http.HandlerFunc {
	body := providerstest.Testdata(t, name)
	return func(w http.ResponseWriter, r *http.Request) { writeBody(w, status, body) }
}

// edited serves the documented example after edit changed it.
func edited(t *testing.T, edit func(*pagespeed.RunPagespeedResponse)) http.HandlerFunc {
	var resp pagespeed.RunPagespeedResponse
	if err := json.Unmarshal(providerstest.Testdata(t, "run_response.json"), &resp); err != nil {
		t.Fatal(err)
	}
	edit(&resp)
	body, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, r *http.Request) { writeBody(w, http.StatusOK, body) }
}

func googleError(status int, gstatus, message string) http.HandlerFunc {
	body, _ := json.Marshal(googleapi.ErrorResponse{Error: googleapi.ErrorBody{Code: status, Message: message, Status: gstatus}})
	return func(w http.ResponseWriter, r *http.Request) { writeBody(w, status, body) }
}

func withRetryAfter(v string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", v)
		h(w, r)
	}
}

type fixture struct {
	fake   *providerstest.Server
	client *pagespeed.Client
	clock  *providerstest.Clock
	rec    *providerstest.Recorder
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// setup runs the client against a fake PSI on clock, with the rate limit
// lifted so that only the waits under test show in clock.Sleeps.
func setup(t *testing.T, h http.HandlerFunc, clock *providerstest.Clock) fixture {
	t.Helper()
	f := fixture{fake: newFake(t, h), clock: clock, rec: &providerstest.Recorder{}, logs: &syncBuffer{}}
	s := providerstest.Settings(f.clock, f.rec)
	s.Logger = slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s.Rate = providers.Rate{PerSecond: 1000, Burst: 100}
	var err error
	f.client, err = pagespeed.New(pagespeed.Config{APIKey: testKey, BaseURL: f.fake.URL + basePath, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// checkSecrets fails when the key shows anywhere but the request itself.
func (f fixture) checkSecrets(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error()+providers.Describe(err), testKey) {
		t.Errorf("the key is in the error: %v", err)
	}
	for _, c := range f.rec.Calls() {
		s := fmt.Sprintf("%+v", c)
		if c.Err != nil {
			s += c.Err.Error()
		}
		if strings.Contains(s, testKey) || strings.Contains(s, "key=") {
			t.Errorf("the key is in a recorded call: %s", s)
		}
		if c.Service != pagespeed.Service || c.Endpoint != pagespeed.Endpoint || c.CostUSD != 0 {
			t.Errorf("call = %+v", c)
		}
	}
	if strings.Contains(f.logs.String(), testKey) {
		t.Errorf("the key is in the logs: %s", f.logs.String())
	}
	for _, r := range f.fake.Requests() {
		if r.Header.Get("User-Agent") != providerstest.UserAgent {
			t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestRun(t *testing.T) {
	t.Parallel()
	docMetrics := pagespeed.Metrics{
		FirstContentfulPaintMS: ptr(3120.5), LargestContentfulPaintMS: ptr(7420.1), SpeedIndexMS: ptr(5900.0),
		TotalBlockingTimeMS: ptr(610.0), CumulativeLayoutShift: ptr(0.08),
	}
	tests := []struct {
		name      string
		handler   func(t *testing.T) http.HandlerFunc
		url       string
		strategy  pagespeed.Strategy
		wantQuery url.Values
		want      pagespeed.Result
	}{
		{name: "documented example, mobile", handler: func(t *testing.T) http.HandlerFunc { return file(t, 200, "run_response.json") },
			url: site, strategy: pagespeed.Mobile,
			wantQuery: url.Values{"url": {site}, "strategy": {"mobile"}, "category": {"performance"}, "key": {testKey}},
			want: pagespeed.Result{URL: site, FinalURL: site, Strategy: pagespeed.Mobile, Score: ptr(41), Metrics: docMetrics,
				FieldCategory: "AVERAGE", OriginFieldCategory: "SLOW", LighthouseVersion: "12.x", FetchTime: "2026-09-08T14:03:11.512Z"}},
		{name: "desktop", handler: func(t *testing.T) http.HandlerFunc { return file(t, 200, "run_response.json") },
			url: site, strategy: pagespeed.Desktop,
			wantQuery: url.Values{"url": {site}, "strategy": {"desktop"}, "category": {"performance"}, "key": {testKey}},
			want: pagespeed.Result{URL: site, FinalURL: site, Strategy: pagespeed.Desktop, Score: ptr(41), Metrics: docMetrics,
				FieldCategory: "AVERAGE", OriginFieldCategory: "SLOW", LighthouseVersion: "12.x", FetchTime: "2026-09-08T14:03:11.512Z"}},
		{name: "no strategy means mobile, bare host gets http", handler: func(t *testing.T) http.HandlerFunc { return file(t, 200, "run_response.json") },
			url:       "lonestarplumbing.example.com#top",
			wantQuery: url.Values{"url": {"http://lonestarplumbing.example.com/"}, "strategy": {"mobile"}, "category": {"performance"}, "key": {testKey}},
			want: pagespeed.Result{URL: "http://lonestarplumbing.example.com/", FinalURL: site, Strategy: pagespeed.Mobile, Score: ptr(41), Metrics: docMetrics,
				FieldCategory: "AVERAGE", OriginFieldCategory: "SLOW", LighthouseVersion: "12.x", FetchTime: "2026-09-08T14:03:11.512Z"}},
		{name: "null score, no field data, no audits", handler: func(t *testing.T) http.HandlerFunc {
			return edited(t, func(r *pagespeed.RunPagespeedResponse) {
				r.LoadingExperience, r.OriginLoadingExperience = nil, nil
				r.LighthouseResult.Categories.Performance.Score = nil
				r.LighthouseResult.Audits = nil
				r.LighthouseResult.FinalURL = ""
				r.LighthouseResult.FinalDisplayedURL = "https://www.lonestarplumbing.example.com/"
			})
		},
			url: site, strategy: pagespeed.Mobile,
			wantQuery: url.Values{"url": {site}, "strategy": {"mobile"}, "category": {"performance"}, "key": {testKey}},
			want: pagespeed.Result{URL: site, FinalURL: "https://www.lonestarplumbing.example.com/", Strategy: pagespeed.Mobile,
				LighthouseVersion: "12.x", FetchTime: "2026-09-08T14:03:11.512Z"}},
		{name: "perfect score, audit without a value", handler: func(t *testing.T) http.HandlerFunc {
			return edited(t, func(r *pagespeed.RunPagespeedResponse) {
				r.LighthouseResult.Categories.Performance.Score = ptr(1.0)
				a := r.LighthouseResult.Audits[pagespeed.AuditTotalBlockingTime]
				a.NumericValue = nil
				r.LighthouseResult.Audits[pagespeed.AuditTotalBlockingTime] = a
				delete(r.LighthouseResult.Audits, pagespeed.AuditSpeedIndex)
			})
		},
			url: site, strategy: pagespeed.Mobile,
			wantQuery: url.Values{"url": {site}, "strategy": {"mobile"}, "category": {"performance"}, "key": {testKey}},
			want: pagespeed.Result{URL: site, FinalURL: site, Strategy: pagespeed.Mobile, Score: ptr(100),
				Metrics:       pagespeed.Metrics{FirstContentfulPaintMS: ptr(3120.5), LargestContentfulPaintMS: ptr(7420.1), CumulativeLayoutShift: ptr(0.08)},
				FieldCategory: "AVERAGE", OriginFieldCategory: "SLOW", LighthouseVersion: "12.x", FetchTime: "2026-09-08T14:03:11.512Z"}},
		{name: "Lighthouse's own runtime error inside a 200", handler: func(t *testing.T) http.HandlerFunc {
			return edited(t, func(r *pagespeed.RunPagespeedResponse) {
				r.LighthouseResult.Categories.Performance.Score = nil
				r.LighthouseResult.Audits = nil
				r.LighthouseResult.RuntimeError = &pagespeed.RuntimeError{Code: "PROTOCOL_TIMEOUT", Message: "Waiting for DevTools protocol response has exceeded the allotted time."}
			})
		},
			url: site, strategy: pagespeed.Mobile,
			wantQuery: url.Values{"url": {site}, "strategy": {"mobile"}, "category": {"performance"}, "key": {testKey}},
			want: pagespeed.Result{URL: site, FinalURL: site, Strategy: pagespeed.Mobile, FieldCategory: "AVERAGE", OriginFieldCategory: "SLOW",
				LighthouseVersion: "12.x", FetchTime: "2026-09-08T14:03:11.512Z",
				RuntimeError: &pagespeed.RuntimeError{Code: "PROTOCOL_TIMEOUT", Message: "Waiting for DevTools protocol response has exceeded the allotted time."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.handler(t), providerstest.NewClock(providerstest.Epoch))
			got, err := f.client.Run(context.Background(), tt.url, tt.strategy)
			f.checkSecrets(t, err)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(tt.want)
				t.Errorf("result\n got %s\nwant %s", gj, wj)
			}
			reqs := f.fake.Requests()
			if len(reqs) != 1 || reqs[0].Method != http.MethodGet || !reflect.DeepEqual(reqs[0].URL.Query(), tt.wantQuery) {
				t.Fatalf("requests = %d, query %v, want %v", len(reqs), reqs[0].URL.Query(), tt.wantQuery)
			}
			if calls := f.rec.Calls(); len(calls) != 1 || calls[0].Status != 200 || calls[0].Credits != 1 || calls[0].Err != nil {
				t.Errorf("calls = %+v", calls)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	html503 := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("<html><body>Service Unavailable</body></html>"))
	}
	tests := []struct {
		name         string
		key          string
		handler      func(t *testing.T) http.HandlerFunc
		wantErr      bool
		wantKind     providers.Kind
		wantCode     string
		wantSite     bool
		wantStatuses []int
		wantSleeps   []time.Duration
		wantDescribe string
		frozen       bool
	}{
		{name: "site could not be fetched (400)", handler: func(t *testing.T) http.HandlerFunc { return file(t, 400, "error_failed_document_request.json") },
			wantErr: true, wantKind: providers.KindInvalid, wantCode: "FAILED_DOCUMENT_REQUEST", wantSite: true, wantStatuses: []int{400}},
		{name: "site answered with an error page (500), not retried", handler: func(t *testing.T) http.HandlerFunc {
			return file(t, 500, "error_errored_document_request.json")
		}, wantErr: true, wantKind: providers.KindInvalid, wantCode: "ERRORED_DOCUMENT_REQUEST", wantSite: true, wantStatuses: []int{500}},
		{name: "site never painted, reported inside a 200", handler: func(t *testing.T) http.HandlerFunc {
			return edited(t, func(r *pagespeed.RunPagespeedResponse) {
				r.LighthouseResult.Categories.Performance.Score = nil
				r.LighthouseResult.RuntimeError = &pagespeed.RuntimeError{Code: "NO_FCP", Message: "The page did not paint any content."}
			})
		}, wantErr: true, wantKind: providers.KindInvalid, wantCode: "NO_FCP", wantSite: true, wantStatuses: []int{200}},
		{name: "invalid key (400 API_KEY_INVALID)", key: "AIzaWRONG", handler: func(t *testing.T) http.HandlerFunc { return file(t, 200, "run_response.json") },
			wantErr: true, wantKind: providers.KindAuth, wantCode: "API_KEY_INVALID", wantStatuses: []int{400}, wantDescribe: "rejected the API key"},
		{name: "API not enabled (403)", handler: func(t *testing.T) http.HandlerFunc {
			return googleError(403, "PERMISSION_DENIED", "PageSpeed Insights API has not been used in project 123456789012 before or it is disabled.")
		}, wantErr: true, wantKind: providers.KindAuth, wantCode: "PERMISSION_DENIED", wantStatuses: []int{403}},
		{name: "bad URL parameter (400)", handler: func(t *testing.T) http.HandlerFunc {
			return googleError(400, "INVALID_ARGUMENT", "Invalid value at 'url' (TYPE_STRING), \"notaurl\"")
		}, wantErr: true, wantKind: providers.KindInvalid, wantCode: "INVALID_ARGUMENT", wantStatuses: []int{400}},
		{name: "rate limited (429) with Retry-After, then done", handler: func(t *testing.T) http.HandlerFunc {
			return providerstest.Sequence(withRetryAfter("20", file(t, 429, "error_quota_per_minute.json")), file(t, 200, "run_response.json"))
		}, wantStatuses: []int{429, 200}, wantSleeps: []time.Duration{20 * time.Second}, frozen: true},
		{name: "rate limited (429) without Retry-After waits the minimum", handler: func(t *testing.T) http.HandlerFunc {
			return providerstest.Sequence(file(t, 429, "error_quota_per_minute.json"), file(t, 200, "run_response.json"))
		}, wantStatuses: []int{429, 200}, wantSleeps: []time.Duration{pagespeed.MinWaitAfterRateLimit}, frozen: true},
		{name: "daily quota spent (429), not retried", handler: func(t *testing.T) http.HandlerFunc {
			return googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service 'pagespeedonline.googleapis.com'.")
		}, wantErr: true, wantKind: providers.KindQuota, wantCode: "RESOURCE_EXHAUSTED", wantStatuses: []int{429}, wantDescribe: "quota exhausted"},
		{name: "Lighthouse internal failure (500), retried", handler: func(t *testing.T) http.HandlerFunc {
			return providerstest.Sequence(googleError(500, "INTERNAL", "Lighthouse returned error: Something went wrong."), file(t, 200, "run_response.json"))
		}, wantStatuses: []int{500, 200}, wantSleeps: []time.Duration{250 * time.Millisecond}},
		{name: "unavailable throughout", handler: func(t *testing.T) http.HandlerFunc { return html503 },
			wantErr: true, wantKind: providers.KindUnavailable, wantStatuses: []int{503, 503, 503, 503},
			wantSleeps: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}, wantDescribe: "unavailable right now; try again later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := providerstest.EpochClock(tt.frozen)
			f := setup(t, tt.handler(t), clock)
			c := f.client
			if tt.key != "" {
				c = c.WithKey(tt.key)
			}
			res, err := c.Run(context.Background(), site, pagespeed.Mobile)
			f.checkSecrets(t, err)
			if tt.key != "" && err != nil && strings.Contains(err.Error(), tt.key) {
				t.Errorf("the key is in the error: %v", err)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && (res.Score == nil || *res.Score != 41) {
				t.Errorf("result = %+v", res)
			}
			if tt.wantErr {
				providerstest.CheckError(t, err, pagespeed.Service, tt.wantKind, tt.wantCode)
				if pagespeed.IsSiteNotAnalysable(err) != tt.wantSite {
					t.Errorf("IsSiteNotAnalysable = %v, want %v", !tt.wantSite, tt.wantSite)
				}
				if !strings.HasSuffix(providers.Describe(err), tt.wantDescribe) {
					t.Errorf("Describe = %q, want …%q", providers.Describe(err), tt.wantDescribe)
				}
			}
			if statuses := f.rec.Statuses(); !slices.Equal(statuses, tt.wantStatuses) {
				t.Errorf("recorded statuses = %v, want %v", statuses, tt.wantStatuses)
			}
			f.clock.CheckSleeps(t, tt.wantSleeps...)
		})
	}
}

func TestRunRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		key      string
		url      string
		strategy pagespeed.Strategy
		wantCode string
		wantKind providers.Kind
	}{
		{name: "no key", key: "-", url: site, wantCode: providers.CodeNoAPIKey, wantKind: providers.KindAuth},
		{name: "empty URL", url: " ", wantCode: "invalid_url", wantKind: providers.KindInvalid},
		{name: "not http", url: "ftp://lonestarplumbing.example.com/", wantCode: "invalid_url", wantKind: providers.KindInvalid},
		{name: "no host", url: "https:///path", wantCode: "invalid_url", wantKind: providers.KindInvalid},
		{name: "unknown strategy", url: site, strategy: "tablet", wantCode: "invalid_strategy", wantKind: providers.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, func(w http.ResponseWriter, r *http.Request) { t.Error("request sent") }, providerstest.NewClock(providerstest.Epoch))
			c := f.client
			if tt.key == "-" {
				c = c.WithKey("")
			}
			_, err := c.Run(context.Background(), tt.url, tt.strategy)
			providerstest.CheckError(t, err, pagespeed.Service, tt.wantKind, tt.wantCode)
			if len(f.fake.Requests()) != 0 || len(f.rec.Calls()) != 0 {
				t.Errorf("sent %d requests", len(f.fake.Requests()))
			}
		})
	}
}

// TestTimeoutKeepsTheKeyOut: net/http puts the full URL, key included, in
// its errors; the client's errors, records and logs must not.
func TestTimeoutKeepsTheKeyOut(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	fake := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	rec := &providerstest.Recorder{}
	logs := &syncBuffer{}
	c, err := pagespeed.New(pagespeed.Config{APIKey: testKey, BaseURL: fake.URL + basePath, Timeout: 50 * time.Millisecond, Settings: providers.Settings{
		Recorder: rec, MaxAttempts: 2, Jitter: func() float64 { return 0 }, Clock: providerstest.NewClock(providerstest.Epoch),
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Run(context.Background(), site, pagespeed.Mobile)
	e, ok := providers.AsError(err)
	if !ok || e.Code != "timeout" || !providers.IsUnavailable(err) {
		t.Fatalf("err = %v", err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", rec.Calls()), logs.String()} {
		if strings.Contains(s, testKey) || strings.Contains(s, "key=") {
			t.Errorf("the key leaked: %s", s)
		}
	}
	if calls := rec.Calls(); len(calls) != 2 || calls[0].Status != 0 {
		t.Errorf("calls = %+v", calls)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"ftp://www.googleapis.com/pagespeedonline/v5", "www.googleapis.com", "https://www.googleapis.com/pagespeedonline/v5?key=x"} {
		if _, err := pagespeed.New(pagespeed.Config{BaseURL: base}); err == nil {
			t.Errorf("New accepted base URL %q", base)
		}
	}
	if _, err := pagespeed.New(pagespeed.Config{}); err != nil {
		t.Errorf("default base URL: %v", err)
	}
}
