package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
)

// maxLogged bounds the request log; Requests returns the most recent ones.
const maxLogged = 2000

// wrap logs the request, labels the answer, applies latency and picks the
// fault for this request, which handlers read with fake.FaultOf.
func (s *Sandbox) wrap(svc Service, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(1 << 20)
		if svc == Anthropic || svc == Instantly {
			// Prompts carry whole pages, lead uploads up to 1,000
			// sequences; the fakes read this much.
			limit = 32 << 20
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		header := r.Header.Clone()
		if svc == Websites {
			header.Set("Host", r.Host) // which site was asked for
		}
		f, latency := s.record(Request{Service: svc, Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: header, Body: body})

		w.Header().Set("X-Sandbox", "fictional")
		if !fake.Sleep(r.Context(), latency) {
			return
		}
		h.ServeHTTP(w, r.WithContext(fake.WithFault(r.Context(), f)))
	})
}

// record logs a request and picks the fault that applies to it, with the
// latency to wait before answering.
func (s *Sandbox) record(req Request) (Fault, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[req.Service]++
	s.log = append(s.log, req)
	if len(s.log) > maxLogged {
		s.log = append([]Request(nil), s.log[len(s.log)-maxLogged/2:]...)
	}
	f, ok := s.faults[req.Service]
	if ok && f.Times > 0 {
		f.Times--
		if f.Times == 0 {
			delete(s.faults, req.Service)
		} else {
			s.faults[req.Service] = f
		}
	}
	return f, s.latency + f.Latency
}
