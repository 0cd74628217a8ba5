package api

import (
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/server"
	"github.com/prospectorhq/prospector/internal/store"
)

type signupRequest struct {
	Email       string  `json:"email"`
	Password    string  `json:"password"`
	FullName    *string `json:"full_name"`
	CompanyName *string `json:"company_name"`
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

type grantResponse struct {
	User         store.Profile `json:"user"`
	AccessToken  string        `json:"access_token"`
	RefreshToken string        `json:"refresh_token"`
	ExpiresIn    int           `json:"expires_in"`
}

func (a *API) signup(w http.ResponseWriter, r *http.Request) {
	writeGrant(a, w, r, http.StatusCreated, func(req signupRequest) (auth.Grant, error) {
		return a.auth.Signup(r.Context(), auth.SignupParams{Email: req.Email, Password: req.Password,
			FullName: req.FullName, CompanyName: req.CompanyName, ClientAddr: server.ClientAddr(r.Context())})
	})
}

func (a *API) login(w http.ResponseWriter, r *http.Request) {
	writeGrant(a, w, r, http.StatusOK, func(req loginRequest) (auth.Grant, error) {
		return a.auth.Login(r.Context(), req.Email, req.Password, server.ClientAddr(r.Context()))
	})
}

func (a *API) refresh(w http.ResponseWriter, r *http.Request) {
	writeGrant(a, w, r, http.StatusOK, func(req refreshRequest) (auth.Grant, error) {
		return a.auth.Refresh(r.Context(), req.RefreshToken)
	})
}

// writeGrant decodes the request body, asks grant for a session with it and
// answers the tokens with status; the browser's session cookie is set when
// the grant carries one (signup and login do, a refresh does not).
func writeGrant[T any](a *API, w http.ResponseWriter, r *http.Request, status int, grant func(req T) (auth.Grant, error)) {
	var req T
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	g, err := grant(req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if g.CookieToken != "" {
		server.SetSessionCookie(w, g.CookieToken, g.CookieExpiresAt, a.secureCookies)
	}
	writeJSON(w, status, grantResponse{g.Profile, g.AccessToken, g.RefreshToken, g.ExpiresIn})
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) {
	if err := a.auth.Logout(r.Context(), identityFrom(r.Context()).SessionID); err != nil {
		writeError(w, r, err)
		return
	}
	server.SetSessionCookie(w, "", time.Time{}, a.secureCookies)
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) me(w http.ResponseWriter, r *http.Request) {
	p, err := a.auth.Profile(r.Context(), identityFrom(r.Context()).UserID)
	writeResult(w, r, http.StatusOK, map[string]any{"user": p}, err)
}
