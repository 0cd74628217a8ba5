package providers_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

var t0 = providerstest.Epoch

// reply is one scripted answer of the test server.
type reply struct {
	status     int
	retryAfter string
	body       string
}

// scriptServer answers the n-th request with replies[n] (the last one
// repeats) and keeps what each request carried.
type scriptServer struct {
	*httptest.Server
	mu      sync.Mutex
	bodies  []string
	agents  []string
	replies []reply
}

func newScriptServer(t *testing.T, replies ...reply) *scriptServer {
	t.Helper()
	s := &scriptServer{replies: replies}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.bodies)
		s.bodies = append(s.bodies, string(b))
		s.agents = append(s.agents, r.Header.Get("User-Agent"))
		rep := s.replies[min(n, len(s.replies)-1)]
		s.mu.Unlock()
		if rep.retryAfter != "" {
			w.Header().Set("Retry-After", rep.retryAfter)
		}
		w.WriteHeader(rep.status)
		io.WriteString(w, rep.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *scriptServer) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

type bundle struct {
	clock *providerstest.Clock
	rec   *providerstest.Recorder
}

func newDoer(t *testing.T, p providers.Policy, s providers.Settings) (*providers.Doer, bundle) {
	t.Helper()
	b := bundle{clock: providerstest.NewClock(t0), rec: &providerstest.Recorder{}}
	if p.Service == "" {
		p.Service = "test"
	}
	if s.Clock == nil {
		s.Clock = b.clock
	}
	s.Recorder = b.rec
	s.UserAgent = providerstest.UserAgent
	s.Jitter = func() float64 { return 0.5 }
	return providers.NewDoer(p, s), b
}

func TestDoerRetries(t *testing.T) {
	t.Parallel()
	ok := reply{status: 200, body: `{}`}
	tests := []struct {
		name         string
		replies      []reply
		minWait429   time.Duration
		wantRequests int
		wantSleeps   []time.Duration
		wantKind     providers.Kind // KindUnknown: success expected
		wantStatus   int
		wantRA       time.Duration
	}{
		{name: "success", replies: []reply{ok}, wantRequests: 1},
		{name: "503 then success uses jittered backoff", replies: []reply{{status: 503}, ok},
			wantRequests: 2, wantSleeps: []time.Duration{250 * time.Millisecond}},
		{name: "502 and 500 then success doubles the ceiling", replies: []reply{{status: 502}, {status: 500}, ok},
			wantRequests: 3, wantSleeps: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}},
		{name: "500 until attempts run out", replies: []reply{{status: 500, body: "boom"}},
			wantRequests: 4, wantSleeps: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second},
			wantKind: providers.KindUnavailable, wantStatus: 500},
		{name: "429 with Retry-After seconds", replies: []reply{{status: 429, retryAfter: "7"}, ok},
			wantRequests: 2, wantSleeps: []time.Duration{7 * time.Second}},
		{name: "429 with Retry-After date", replies: []reply{{status: 429, retryAfter: t0.Add(12 * time.Second).Format(http.TimeFormat)}, ok},
			wantRequests: 2, wantSleeps: []time.Duration{12 * time.Second}},
		{name: "429 with Retry-After beyond the cap gives up at once", replies: []reply{{status: 429, retryAfter: "120"}},
			wantRequests: 1, wantKind: providers.KindRateLimited, wantStatus: 429, wantRA: 120 * time.Second},
		{name: "429 without Retry-After waits the service minimum", replies: []reply{{status: 429}, ok}, minWait429: 30 * time.Second,
			wantRequests: 2, wantSleeps: []time.Duration{30 * time.Second}},
		{name: "429 asking for less than the minimum waits the minimum", replies: []reply{{status: 429, retryAfter: "2"}, ok}, minWait429: 30 * time.Second,
			wantRequests: 2, wantSleeps: []time.Duration{30 * time.Second}},
		{name: "429 without Retry-After nor minimum backs off", replies: []reply{{status: 429}, ok},
			wantRequests: 2, wantSleeps: []time.Duration{250 * time.Millisecond}},
		{name: "401 is not retried", replies: []reply{{status: 401}},
			wantRequests: 1, wantKind: providers.KindAuth, wantStatus: 401},
		{name: "400 is not retried", replies: []reply{{status: 400}},
			wantRequests: 1, wantKind: providers.KindInvalid, wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newScriptServer(t, tt.replies...)
			d, b := newDoer(t, providers.Policy{MinWaitAfter429: tt.minWait429}, providers.Settings{})
			resp, err := d.Do(context.Background(), providers.Request{URL: srv.URL + "/x", Endpoint: "x"})
			if got := srv.requests(); got != tt.wantRequests {
				t.Errorf("requests = %d, want %d", got, tt.wantRequests)
			}
			b.clock.CheckSleeps(t, tt.wantSleeps...)
			if tt.wantKind == providers.KindUnknown {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				if resp.Status != 200 || string(resp.Body) != "{}" {
					t.Errorf("response = %d %q", resp.Status, resp.Body)
				}
				return
			}
			perr, ok := providers.AsError(err)
			if !ok {
				t.Fatalf("err = %v, want *providers.Error", err)
			}
			if perr.Kind != tt.wantKind || perr.Status != tt.wantStatus || perr.RetryAfter != tt.wantRA {
				t.Errorf("err = kind %v status %d retry-after %v, want %v %d %v", perr.Kind, perr.Status, perr.RetryAfter, tt.wantKind, tt.wantStatus, tt.wantRA)
			}
			if perr.Service != "test" {
				t.Errorf("err.Service = %q", perr.Service)
			}
		})
	}
}

func TestDoerResendsBodyAndUserAgent(t *testing.T) {
	t.Parallel()
	srv := newScriptServer(t, reply{status: 503}, reply{status: 502}, reply{status: 200})
	d, _ := newDoer(t, providers.Policy{}, providers.Settings{})
	_, err := d.Do(context.Background(), providers.Request{
		Method: http.MethodPost, URL: srv.URL, Endpoint: "x",
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "User-Agent": {"Go-http-client/1.1"}},
		Body:   []byte("data=node%3B+out%3B"),
	})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for i := range srv.bodies {
		if srv.bodies[i] != "data=node%3B+out%3B" {
			t.Errorf("attempt %d body = %q", i+1, srv.bodies[i])
		}
		if srv.agents[i] != providerstest.UserAgent {
			t.Errorf("attempt %d User-Agent = %q", i+1, srv.agents[i])
		}
	}
	if len(srv.bodies) != 3 {
		t.Errorf("attempts = %d, want 3", len(srv.bodies))
	}
}

func TestDoerRecordsEachAttempt(t *testing.T) {
	t.Parallel()
	srv := newScriptServer(t, reply{status: 503}, reply{status: 200})
	d, b := newDoer(t, providers.Policy{Service: "google_maps"}, providers.Settings{})
	_, err := d.Do(context.Background(), providers.Request{
		URL: srv.URL + "/v1?key=SECRET-KEY", Endpoint: "places:searchText", CostUSD: 0.035, Credits: 1,
	})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	calls := b.rec.Calls()
	if len(calls) != 2 {
		t.Fatalf("calls = %d, want 2", len(calls))
	}
	first, second := calls[0], calls[1]
	if first.Status != 503 || first.Err == nil || first.CostUSD != 0 || first.Credits != 0 {
		t.Errorf("first call = %+v, want 503, an error and no cost", first)
	}
	if second.Status != 200 || second.Err != nil || second.CostUSD != 0.035 || second.Credits != 1 {
		t.Errorf("second call = %+v, want 200 with cost", second)
	}
	for _, c := range calls {
		if c.Service != "google_maps" || c.Endpoint != "places:searchText" {
			t.Errorf("call labels = %q %q", c.Service, c.Endpoint)
		}
		if c.Err != nil && strings.Contains(c.Err.Error(), "SECRET") {
			t.Errorf("call error leaks the key: %v", c.Err)
		}
	}
}

func TestDoerNetworkErrorIsRetriedAndHidesTheURL(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more: connection refused
	d, b := newDoer(t, providers.Policy{}, providers.Settings{MaxAttempts: 2})
	_, err = d.Do(context.Background(), providers.Request{URL: "http://" + addr + "/x?api_key=SECRET-KEY", Endpoint: "x"})
	perr, ok := providers.AsError(err)
	if !ok || perr.Kind != providers.KindUnavailable || perr.Code != "network" {
		t.Fatalf("err = %v, want a network *Error", err)
	}
	if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), addr+"/x") {
		t.Errorf("error text leaks the URL: %v", err)
	}
	if n := len(b.rec.Calls()); n != 2 {
		t.Errorf("recorded attempts = %d, want 2", n)
	}
	if got := b.clock.Sleeps(); len(got) != 1 {
		t.Errorf("sleeps = %v, want one back-off", got)
	}
}

func TestDoerPerAttemptTimeout(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; returns once the client gives up
	}))
	t.Cleanup(srv.Close)
	d, _ := newDoer(t, providers.Policy{}, providers.Settings{MaxAttempts: 1, Timeout: 50 * time.Millisecond})
	_, err := d.Do(context.Background(), providers.Request{URL: srv.URL, Endpoint: "x"})
	perr, ok := providers.AsError(err)
	if !ok || perr.Code != "timeout" || !providers.IsUnavailable(err) {
		t.Fatalf("err = %v, want a timeout *Error", err)
	}
}

func TestDoerStopsWhenContextEndsDuringWait(t *testing.T) {
	t.Parallel()
	srv := newScriptServer(t, reply{status: 429, retryAfter: "5"}, reply{status: 200})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := bundle{clock: providerstest.NewClock(t0)}
	d := providers.NewDoer(providers.Policy{Service: "test"}, providers.Settings{
		Clock: b.clock,
		// The caller gives up (a paused campaign) right after the first answer.
		Recorder: providers.RecorderFunc(func(context.Context, providers.Call) { cancel() }),
	})
	_, err := d.Do(ctx, providers.Request{URL: srv.URL, Endpoint: "x"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if srv.requests() != 1 {
		t.Errorf("requests = %d, want 1", srv.requests())
	}
}

func TestDoerServiceClassifier(t *testing.T) {
	t.Parallel()
	srv := newScriptServer(t, reply{status: 429, body: `QUOTA`})
	d, _ := newDoer(t, providers.Policy{Classify: func(r *providers.Response) *providers.Error {
		if string(r.Body) == "QUOTA" {
			return &providers.Error{Kind: providers.KindQuota, Code: "ACCESS_LIMIT_REACHED"}
		}
		return nil
	}}, providers.Settings{})
	_, err := d.Do(context.Background(), providers.Request{URL: srv.URL, Endpoint: "x"})
	if !providers.IsQuota(err) {
		t.Fatalf("err = %v, want quota", err)
	}
	if srv.requests() != 1 {
		t.Errorf("a quota error was retried: %d requests", srv.requests())
	}
}

func TestDoerMaxInFlight(t *testing.T) {
	t.Parallel()
	var cur, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		defer cur.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		// Hold the slot a little so that overlapping requests, if the Doer
		// let them through, would be seen here.
		time.Sleep(20 * time.Millisecond)
	}))
	t.Cleanup(srv.Close)
	d := providers.NewDoer(providers.Policy{Service: "test", MaxInFlight: 1}, providers.Settings{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := d.Do(context.Background(), providers.Request{URL: srv.URL, Endpoint: "x"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p != 1 {
		t.Errorf("peak concurrent requests = %d, want 1", p)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"30", 30 * time.Second, true},
		{" 5 ", 5 * time.Second, true},
		{"-3", 0, false},
		{"soon", 0, false},
		{t0.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{t0.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{strconv.Itoa(1 << 40), 365 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		got, ok := providers.ParseRetryAfter(tt.in, t0)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
