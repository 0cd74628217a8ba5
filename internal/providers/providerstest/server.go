package providerstest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Server is a loopback HTTP server standing in for a service: it keeps a
// copy of every request (without its body) and hands it to its handler.
type Server struct {
	URL  string // the server's root, "http://127.0.0.1:port"
	mu   sync.Mutex
	reqs []*http.Request
}

// NewServer starts a Server answering with h, closed when the test ends.
func NewServer(t *testing.T, h http.HandlerFunc) *Server {
	t.Helper()
	s := &Server{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs = append(s.reqs, r.Clone(context.Background()))
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(ts.Close)
	s.URL = ts.URL
	return s
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.reqs...)
}

// Sequence answers the n-th request with hs[n], and every request after the
// last handler with that one.
func Sequence(hs ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hs[min(n, len(hs)-1)]
		n++
		mu.Unlock()
		h(w, r)
	}
}
