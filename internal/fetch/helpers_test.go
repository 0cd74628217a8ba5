package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const testUA = "Prospector/test (+http://127.0.0.1)"

// dialLog records every address the fetcher dialed.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (l *dialLog) add(addr string) {
	l.mu.Lock()
	l.addrs = append(l.addrs, addr)
	l.mu.Unlock()
}

func (l *dialLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.addrs...)
}

// newFetcher builds a Fetcher whose dials are recorded, and refused unless
// they go to loopback: even a fetcher with a broken address check cannot make
// a test reach past this machine.
func newFetcher(t *testing.T, cfg Config) (*Fetcher, *dialLog) {
	t.Helper()
	if cfg.UserAgent == "" {
		cfg.UserAgent = testUA
	}
	f, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	log := &dialLog{}
	dial := f.dialTCP
	f.dialTCP = func(ctx context.Context, network, addr string) (net.Conn, error) {
		log.add(addr)
		if ap, err := netip.ParseAddrPort(addr); err != nil || !ap.Addr().IsLoopback() {
			t.Errorf("dialed %s: a test may only reach loopback", addr)
			return nil, errors.New("test guard: not a loopback address")
		}
		return dial(ctx, network, addr)
	}
	t.Cleanup(f.Close)
	return f, log
}

// server is a loopback HTTP server counting the requests it was sent.
type server struct {
	*httptest.Server
	hits atomic.Int64
}

func serve(t *testing.T, h http.Handler) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// addr is the server's "127.0.0.1:port", as an allowlist entry.
func (s *server) addr() string { return s.Listener.Addr().String() }

func (s *server) port() string {
	_, port, _ := net.SplitHostPort(s.addr())
	return port
}

// wantErr fails unless err is an *Error of kind whose message contains
// every one of msgs.
func wantErr(t *testing.T, res *Result, err error, kind Kind, msgs ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("fetch succeeded (status %d), want a %s error", res.Status, kind)
	}
	if res != nil {
		t.Errorf("Result is %+v alongside an error, want nil", res)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if fe.Kind != kind {
		t.Errorf("kind = %s (%v), want %s", fe.Kind, err, kind)
	}
	for _, m := range msgs {
		if !strings.Contains(fe.Msg, m) {
			t.Errorf("message %q does not mention %q", fe.Msg, m)
		}
	}
}

// mustGet fetches url and fails the test on error.
func mustGet(t *testing.T, f *Fetcher, url string) *Result {
	t.Helper()
	res, err := f.Get(t.Context(), url)
	if err != nil {
		t.Fatalf("Get(%s): %v", url, err)
	}
	return res
}
