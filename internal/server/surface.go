package server

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/auth"
)

// A Surface is one route table mounted on the server.
type Surface interface {
	// Routes registers the surface's routes on mux, each guarded by one of
	// on's access levels so who may call is visible on its line.
	Routes(mux *http.ServeMux, on Access)
	// Fail answers a request the shared machinery refused or could not
	// finish: an *apperr.Error (unauthorized, forbidden, not found) for a
	// refused caller, any other error for a panic (whose text must not be
	// shown). The surface decides the shape: JSON, a redirect, a page.
	Fail(w http.ResponseWriter, r *http.Request, err error)
}

// Access makes the guards for one surface's routes: who may call, how long
// the handler may take, and the surface's answer when the guard refuses or
// the handler panics.
type Access struct {
	s    *Server
	fail func(w http.ResponseWriter, r *http.Request, err error)
	// deadline replaces the ordinary one when non-zero (Long).
	deadline time.Duration
}

// Long is the same access with Config.LongHandlerTimeout instead of the
// ordinary deadline, for transfers of big files (CSV import and export).
// The longer deadline is set only once the caller is admitted.
func (a Access) Long() Access {
	a.deadline = a.s.longHandlerTimeout
	return a
}

// Public admits anyone.
func (a Access) Public(h http.HandlerFunc) http.Handler {
	return a.guard(func(w http.ResponseWriter, r *http.Request) (*http.Request, error) { return r, nil }, nil, h)
}

// User admits a request with a valid Bearer token or session cookie and
// puts the caller's identity in the context (Identity). Cookie-authenticated
// unsafe requests must also pass the cross-origin check, since a browser
// attaches cookies to requests other sites trigger.
func (a Access) User(h http.HandlerFunc) http.Handler {
	return a.guard(a.s.authenticate, rateKeyOfCaller, h)
}

// Visitor admits anyone, for the pages people use before they are signed
// in (the login and sign-up forms, the front door). Unsafe requests must
// pass the cross-origin check even without a cookie: a login form posted
// from another site would sign the browser into an account the other site
// chose. A valid session cookie, when there is one, puts its identity in
// the context (Identity), so such a page can send a signed-in user on; an
// expired or revoked one leaves a visitor.
func (a Access) Visitor(h http.HandlerFunc) http.Handler {
	return a.guard(a.s.visitor, rateKeyOfCaller, h)
}

// Internal guards service-to-service routes with INTERNAL_API_TOKEN,
// compared in constant time. With no token configured they do not exist
// (not found), so a default install exposes nothing.
func (a Access) Internal(h http.HandlerFunc) http.Handler {
	return a.guard(a.s.checkInternalToken, nil, h)
}

// admit lets a request through (possibly with a richer context) or refuses
// it with an error for the surface's Fail.
type admit func(w http.ResponseWriter, r *http.Request) (*http.Request, error)

// guard runs check, then (when rateKey is set and the server limits rates)
// counts the admitted request against its caller's allowance.
func (a Access) guard(check admit, rateKey func(*http.Request) string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer a.recoverPanic(w, r)
		if headerTooLarge(r.Context()) {
			a.fail(w, r, &apperr.Error{Code: apperr.CodeHeaderTooLarge,
				Message: fmt.Sprintf("The request's headers are larger than %d KiB.", MaxHeaderBytes>>10)})
			return
		}
		r, err := check(w, r)
		if err == nil && rateKey != nil {
			err = a.s.admitRate(r.Context(), rateKey(r))
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if a.deadline > 0 {
			setDeadline(w, a.deadline)
		}
		h(w, r)
	})
}

// recoverPanic turns a panic into the surface's answer to an internal error
// and a log line with the stack. It runs inside the route so the surface
// that owns the route renders it.
func (a Access) recoverPanic(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	a.s.log.ErrorContext(r.Context(), "panic serving request", slog.String("request_id", RequestID(r.Context())),
		slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
	a.fail(w, r, fmt.Errorf("panic: %v", v))
}

func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	var (
		id  auth.Identity
		err error
	)
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := bearerToken(h)
		if !ok {
			return r, apperr.New(apperr.CodeUnauthorized, "Use an Authorization: Bearer <access_token> header.")
		}
		id, err = s.auth.AuthenticateBearer(r.Context(), token)
	} else if s.csrf.Check(r) != nil {
		// Checked with or without a cookie: a browser holds back a Lax
		// session cookie from another site's POST, and that post is
		// refused as what it is rather than answered with the login form.
		return r, apperr.New(apperr.CodeForbidden, "Cross-site request refused.")
	} else if c, cerr := r.Cookie(SessionCookie); cerr == nil && c.Value != "" {
		id, err = s.auth.AuthenticateCookie(r.Context(), c.Value)
	} else {
		err = apperr.New(apperr.CodeUnauthorized, "Sign in to continue.")
	}
	if err != nil {
		return r, err
	}
	return r.WithContext(context.WithValue(r.Context(), identityKey, id)), nil
}

func (s *Server) visitor(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	if err := s.csrf.Check(r); err != nil {
		return r, apperr.New(apperr.CodeForbidden, "Cross-site request refused.")
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return r, nil
	}
	id, err := s.auth.AuthenticateCookie(r.Context(), c.Value)
	if _, refused := apperr.As(err); refused {
		return r, nil // a cookie that no longer signs anyone in
	}
	if err != nil {
		return r, err
	}
	return r.WithContext(context.WithValue(r.Context(), identityKey, id)), nil
}

func (s *Server) checkInternalToken(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	if s.internalToken == "" {
		return r, apperr.NotFound("route")
	}
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.internalToken)) != 1 {
		return r, apperr.New(apperr.CodeUnauthorized, "A valid internal API token is required.")
	}
	return r, nil
}

// bearerToken reads an Authorization header of the Bearer scheme. The
// scheme's name is case-insensitive (RFC 7235 section 2.1), so "bearer" and
// "BEARER" are the same; spaces around the token are not part of it.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}
