package web

import (
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/server"
)

// The sign-up form. What a valid account is, the throttling per client
// address and the answer for a taken email are auth.Service's, as for
// POST /api/auth/signup.

type signupForm struct {
	Email, FullName, CompanyName string
}

type signupView struct {
	Form    signupForm
	Problem string
	Errors  fieldErrors
	// Taken: the email has an account, so the page offers to log in.
	Taken bool
}

func (s *Surface) signupPage(w http.ResponseWriter, r *http.Request) {
	if signedIn(r) {
		redirect(w, r, "/app")
		return
	}
	s.render(w, r, http.StatusOK, "signup", page{Title: "Sign up", View: signupView{}})
}

func (s *Surface) signup(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	f := signupForm{Email: strings.TrimSpace(r.PostFormValue("email")), FullName: r.PostFormValue("full_name"),
		CompanyName: r.PostFormValue("company_name")}
	p := auth.SignupParams{Email: f.Email, Password: r.PostFormValue("password"), ClientAddr: server.ClientAddr(r.Context())}
	if f.FullName != "" {
		p.FullName = &f.FullName
	}
	if f.CompanyName != "" {
		p.CompanyName = &f.CompanyName
	}
	g, err := s.auth.Signup(r.Context(), p)
	if err != nil {
		fields, problem, ok := formProblem(err)
		if !ok {
			s.Fail(w, r, err)
			return
		}
		e, _ := apperr.As(err)
		if e.Code == apperr.CodeRateLimited {
			server.SetRetryAfter(w, e.RetryAfter)
		}
		s.render(w, r, statusOf(err), "signup", page{Title: "Sign up",
			View: signupView{Form: f, Problem: problem, Errors: fields, Taken: e.Code == apperr.CodeEmailTaken}})
		return
	}
	s.replaceSession(w, r, g.CookieToken, g.CookieExpiresAt)
	s.done(w, r, "/app", "Welcome to Prospector! Your account is ready.")
}
