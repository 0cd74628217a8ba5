package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/server"
)

// The login form, and logging out. Throttling, the answer for an unknown
// email and the session are auth.Service's, as for POST /api/auth/login.

type loginForm struct {
	Email string
	// Next is the dashboard page to return to (safeNext), or "".
	Next string
}

type loginView struct {
	Form    loginForm
	Problem string
	Errors  fieldErrors
}

func (s *Surface) loginPage(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if signedIn(r) {
		redirect(w, r, nextOr(next))
		return
	}
	if !safeNext(next) {
		next = ""
	}
	s.render(w, r, http.StatusOK, "login", page{Title: "Log in", View: loginView{Form: loginForm{Next: next}}})
}

func (s *Surface) login(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	f := loginForm{Email: strings.TrimSpace(r.PostFormValue("email")), Next: r.PostFormValue("next")}
	if !safeNext(f.Next) {
		f.Next = ""
	}
	g, err := s.auth.Login(r.Context(), f.Email, r.PostFormValue("password"), server.ClientAddr(r.Context()))
	if err != nil {
		fields, problem, ok := formProblem(err)
		if !ok {
			s.Fail(w, r, err)
			return
		}
		if e, _ := apperr.As(err); e.Code == apperr.CodeRateLimited {
			server.SetRetryAfter(w, e.RetryAfter)
		}
		s.render(w, r, statusOf(err), "login", page{Title: "Log in", View: loginView{Form: f, Problem: problem, Errors: fields}})
		return
	}
	s.replaceSession(w, r, g.CookieToken, g.CookieExpiresAt)
	redirect(w, r, nextOr(f.Next))
}

// replaceSession sets the browser's new session cookie and ends the
// session the browser had, if any: signing in again, or as someone else,
// leaves no session behind that nobody holds.
func (s *Surface) replaceSession(w http.ResponseWriter, r *http.Request, cookie string, expires time.Time) {
	if old := server.Identity(r.Context()); old.SessionID != "" {
		if err := s.auth.Logout(r.Context(), old.SessionID); err != nil {
			server.Logger(r.Context()).WarnContext(r.Context(), "end the replaced session", "error", err)
		}
	}
	server.SetSessionCookie(w, cookie, expires, s.secureCookies)
}

// logout ends the session (its cookie, tokens and refresh family) and
// returns to the login form.
func (s *Surface) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.auth.Logout(r.Context(), server.Identity(r.Context()).SessionID); err != nil {
		s.Fail(w, r, err)
		return
	}
	server.SetSessionCookie(w, "", time.Time{}, s.secureCookies)
	s.done(w, r, "/login", "You are logged out.")
}

// nextOr is where a sign-in lands: the page asked for, or the dashboard.
func nextOr(next string) string {
	if safeNext(next) {
		return next
	}
	return "/app"
}
