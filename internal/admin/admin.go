// Package admin is the operators' surface of the server: River's job
// dashboard at /admin/jobs, for the addresses in ADMIN_EMAILS only. To
// anyone else, signed in or not, it does not exist (404), so it tells
// nobody that there is something to guess a password for.
package admin

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/server"
	"github.com/prospectorhq/prospector/internal/store"
)

// JobsPath is where the job dashboard is mounted.
const JobsPath = "/admin/jobs"

// Profiles finds a signed-in user's profile (auth.Service).
type Profiles interface {
	Profile(ctx context.Context, userID string) (store.Profile, error)
}

// Surface serves the job dashboard to the operators.
type Surface struct {
	// Jobs is River's dashboard, serving under JobsPath.
	Jobs http.Handler
	// Admins are the operators' addresses (ADMIN_EMAILS), lowercased.
	Admins   []string
	Profiles Profiles
	Logger   *slog.Logger
}

// New checks the surface's parts.
func New(s Surface) (*Surface, error) {
	if s.Jobs == nil || s.Profiles == nil || s.Logger == nil || len(s.Admins) == 0 {
		return nil, errors.New("admin: Jobs, Profiles, Logger and at least one admin address are required")
	}
	return &s, nil
}

// Routes implements server.Surface: the dashboard's pages and API, every
// method (its API cancels, retries and deletes jobs), signed-in operators
// only; cookie requests that change something pass the server's
// cross-origin check like every other.
func (s *Surface) Routes(mux *http.ServeMux, on server.Access) {
	mux.Handle("GET "+JobsPath, on.User(s.only(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, JobsPath+"/", http.StatusMovedPermanently)
	})))
	mux.Handle(JobsPath+"/", on.User(s.only(s.Jobs.ServeHTTP)))
}

// only lets the operators through; anyone else is answered as if the
// route did not exist.
func (s *Surface) only(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.Profiles.Profile(r.Context(), server.Identity(r.Context()).UserID)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				s.Fail(w, r, err)
				return
			}
			notFound(w)
			return
		}
		if !slices.Contains(s.Admins, strings.ToLower(p.Email)) {
			notFound(w)
			return
		}
		h(w, r)
	}
}

// Fail implements server.Surface: a refused caller (not signed in, a
// cross-site request) gets the same 404 as a user who is not an operator;
// a failure of ours is logged with the request id and answered 500.
func (s *Surface) Fail(w http.ResponseWriter, r *http.Request, err error) {
	if e, refused := apperr.As(err); refused {
		if e.Code == apperr.CodeRateLimited {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(e.RetryAfter.Round(time.Second)/time.Second))))
			http.Error(w, "Too many requests.", http.StatusTooManyRequests)
			return
		}
		notFound(w)
		return
	}
	s.Logger.ErrorContext(r.Context(), "admin request failed", slog.String("request_id", server.RequestID(r.Context())),
		slog.String("route", r.Pattern), slog.Any("error", err))
	http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
}

func notFound(w http.ResponseWriter) {
	http.Error(w, "404 page not found", http.StatusNotFound)
}
