// Package metrics keeps Prospector's Prometheus metrics and serves them on
// their own listener (METRICS_ADDR), apart from the public server, so they
// are never reachable through it. The other packages know nothing of
// Prometheus: each reports through a small interface of its own (the
// server's request observer, the job queue's, the store's, the providers'
// recorder), which *Metrics implements.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one process's metrics, in a registry of its own (no package
// global), safe for concurrent use.
type Metrics struct {
	registry *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	jobs         *prometheus.CounterVec
	jobDuration  *prometheus.HistogramVec
	calls        *prometheus.CounterVec
	callDuration *prometheus.HistogramVec
	events       *prometheus.CounterVec
	mailboxes    *prometheus.CounterVec
	credits      prometheus.Counter
}

// New makes the metrics, with Go's runtime and the process's own.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "prospector_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern (never the raw path) and status.",
	}, []string{"method", "route", "status"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "prospector_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by method and route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"method", "route"})
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "prospector_jobs_total",
		Help: "River jobs worked, by kind and outcome (completed, failed, snoozed, cancelled, panicked).",
	}, []string{"kind", "outcome"})
	m.jobDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "prospector_job_duration_seconds",
		Help:    "Time to work one River job, by kind.",
		Buckets: []float64{.005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600},
	}, []string{"kind"})
	m.calls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "prospector_external_calls_total",
		Help: "HTTP requests to external services (every attempt), by service and status (0: no answer arrived).",
	}, []string{"service", "status"})
	m.callDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "prospector_external_call_duration_seconds",
		Help:    "Time of one attempt of an external call, by service.",
		Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 60},
	}, []string{"service"})
	m.events = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "prospector_message_events_total",
		Help: "What happened to messages, as recorded: type sent, bounced, opened, clicked, replied, auto_replied, unsubscribed; machine is true for opens and clicks by proxies and scanners.",
	}, []string{"type", "machine"})
	m.mailboxes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "prospector_mailbox_status_changes_total",
		Help: "Times a mailbox was set to a status (paused: bounce protection, a refused login or the user; active: resumed).",
	}, []string{"status"})
	m.credits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "prospector_lead_credits_charged_total",
		Help: "Lead credits charged (one per prospect discovery saved).",
	})
	m.registry.MustRegister(m.httpRequests, m.httpDuration, m.jobs, m.jobDuration, m.calls, m.callDuration,
		m.events, m.mailboxes, m.credits,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus's exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// ObserveRequest implements the server's request observer. route is the
// matched pattern ("unmatched" for none), so ids never become labels.
func (m *Metrics) ObserveRequest(method, route string, status int, d time.Duration) {
	m.httpRequests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(method, route).Observe(d.Seconds())
}

// JobWorked implements the job queue's observer.
func (m *Metrics) JobWorked(kind, outcome string, d time.Duration) {
	m.jobs.WithLabelValues(kind, outcome).Inc()
	m.jobDuration.WithLabelValues(kind).Observe(d.Seconds())
}

// ExternalCall counts one attempt of an external call (the providers'
// recorder, through the application).
func (m *Metrics) ExternalCall(service string, status int, d time.Duration) {
	m.calls.WithLabelValues(service, strconv.Itoa(status)).Inc()
	m.callDuration.WithLabelValues(service).Observe(d.Seconds())
}

// EventRecorded implements the store's observer: called once the event's
// transaction committed.
func (m *Metrics) EventRecorded(typ string, machine bool) {
	m.events.WithLabelValues(typ, strconv.FormatBool(machine)).Inc()
}

// MailboxStatusChanged implements the store's observer.
func (m *Metrics) MailboxStatusChanged(status string) {
	m.mailboxes.WithLabelValues(status).Inc()
}

// CreditsCharged implements the store's observer.
func (m *Metrics) CreditsCharged(n int) { m.credits.Add(float64(n)) }

// Server serves /metrics on its own listener.
type Server struct {
	listener net.Listener
	http     *http.Server
	log      *slog.Logger
	done     chan struct{}
}

// Listen binds addr (METRICS_ADDR) for m's /metrics; Serve starts answering.
func Listen(addr string, m *Metrics, log *slog.Logger) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	return &Server{listener: l, log: log, done: make(chan struct{}), http: &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}}, nil
}

// Addr is the address the listener is bound to.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Serve answers in a goroutine of its own until Shutdown.
func (s *Server) Serve() {
	go func() {
		defer close(s.done)
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("metrics server panicked", slog.Any("panic", v))
			}
		}()
		if err := s.http.Serve(s.listener); !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("metrics server stopped", slog.Any("error", err))
		}
	}()
}

// Shutdown stops the listener and waits for the serving goroutine (when
// Serve ran).
func (s *Server) Shutdown(ctx context.Context, served bool) error {
	err := s.http.Shutdown(ctx)
	if served {
		select {
		case <-s.done:
		case <-ctx.Done():
		}
	}
	return err
}
