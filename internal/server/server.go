package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/ratelimit"
)

// Default deadlines. Ordinary handlers touch only the database; the long
// one is what a 10 MiB CSV on a slow link needs, as the whole server had.
const (
	DefaultHandlerTimeout     = time.Minute
	DefaultLongHandlerTimeout = 10 * time.Minute
)

// Authenticator checks the credentials the User access level accepts.
type Authenticator interface {
	AuthenticateBearer(ctx context.Context, token string) (auth.Identity, error)
	AuthenticateCookie(ctx context.Context, value string) (auth.Identity, error)
}

// Config is what the server needs.
type Config struct {
	Logger *slog.Logger  // required
	Auth   Authenticator // required: checks User routes' callers
	// InternalToken enables Internal routes when set.
	InternalToken string
	// PublicOrigin (PUBLIC_URL's scheme://host) is trusted for
	// cookie-authenticated unsafe requests.
	PublicOrigin string
	// TrustedProxies are the reverse proxies (TRUSTED_PROXIES) whose
	// X-Forwarded-For entries the client address is traced back through;
	// empty trusts none, and the connection's peer is the client.
	TrustedProxies []netip.Prefix
	// HandlerTimeout bounds reading the body and writing the answer of an
	// ordinary route (default DefaultHandlerTimeout).
	HandlerTimeout time.Duration
	// LongHandlerTimeout is the same for routes guarded through Access.Long
	// (default DefaultLongHandlerTimeout).
	LongHandlerTimeout time.Duration
	// RateLimit, when set, bounds each signed-in user's requests and each
	// client address's requests to the pages used before signing in
	// (RATE_LIMIT_PER_MINUTE); nil admits every request.
	RateLimit ratelimit.Limiter
	// Requests, when set, is told of every answered request: its method,
	// route pattern, status and duration (the metrics).
	Requests RequestObserver
}

// RequestObserver is told of every request the server answered. route is
// the matched pattern ("unmatched" when none), never the raw path.
type RequestObserver interface {
	ObserveRequest(method, route string, status int, d time.Duration)
}

// Server is the HTTP server with its surfaces.
type Server struct {
	log                *slog.Logger
	auth               Authenticator
	csrf               *http.CrossOriginProtection
	internalToken      string
	longHandlerTimeout time.Duration
	mux                *http.ServeMux
	rateLimit          ratelimit.Limiter
	handler            http.Handler
	http               *http.Server
	// stopping closes when Shutdown begins (Stopping).
	stopping chan struct{}
}

// New builds a server with only its own fallback surface: an HTML page for
// paths no surface claims.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		return nil, errors.New("server: Config.Logger is required")
	}
	if cfg.Auth == nil {
		return nil, errors.New("server: Config.Auth is required")
	}
	if cfg.HandlerTimeout <= 0 {
		cfg.HandlerTimeout = DefaultHandlerTimeout
	}
	if cfg.LongHandlerTimeout <= 0 {
		cfg.LongHandlerTimeout = DefaultLongHandlerTimeout
	}
	s := &Server{log: cfg.Logger, auth: cfg.Auth, csrf: http.NewCrossOriginProtection(), internalToken: cfg.InternalToken,
		longHandlerTimeout: cfg.LongHandlerTimeout, mux: http.NewServeMux(), rateLimit: cfg.RateLimit}
	if cfg.PublicOrigin != "" {
		if err := s.csrf.AddTrustedOrigin(cfg.PublicOrigin); err != nil {
			return nil, fmt.Errorf("server: trusted origin: %w", err)
		}
	}
	s.Mount(pages{mux: s.mux})
	var h http.Handler = s.mux
	h = withHeaderLimit(MaxHeaderBytes, h)
	h = withDeadline(cfg.HandlerTimeout, h)
	h = withAccessLog(s.log, cfg.Requests, h)
	h = withLogger(s.log, cfg.TrustedProxies, h)
	h = withRequestID(h)
	h = withSecurityHeaders(cfg.PublicOrigin, h)
	s.stopping = make(chan struct{})
	h = withStopping(s.stopping, h)
	s.handler = h
	s.http = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		// No ReadTimeout or WriteTimeout: each handler's deadline covers
		// both (see the package doc), so streams are not cut.
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: netHTTPMaxHeaderBytes, // ours is lower (withHeaderLimit)
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	// Live streams end when shutdown begins, so it need not wait them out.
	var once sync.Once
	s.http.RegisterOnShutdown(func() { once.Do(func() { close(s.stopping) }) })
	return s, nil
}

// Mount adds a surface's routes. Two surfaces claiming the same pattern
// panic here, at start.
func (s *Server) Mount(sf Surface) {
	sf.Routes(s.mux, Access{s: s, fail: sf.Fail})
}

// Handler is the whole server as a handler, middleware included (tests).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers on l until Shutdown; after Shutdown it returns
// http.ErrServerClosed.
func (s *Server) Serve(l net.Listener) error { return s.http.Serve(l) }

// Shutdown stops accepting and waits for in-flight requests until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error { return s.http.Shutdown(ctx) }

// Route is the pattern of the route that would answer a method request
// for path ("" when none would): which route table entry serves it, for
// tests that hold documentation to the routes.
func (s *Server) Route(method, path string) string {
	r, err := http.NewRequest(method, path, nil)
	if err != nil {
		return ""
	}
	_, pattern := s.mux.Handler(r)
	return pattern
}
