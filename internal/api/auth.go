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
	var req signupRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	g, err := a.auth.Signup(r.Context(), auth.SignupParams{Email: req.Email, Password: req.Password,
		FullName: req.FullName, CompanyName: req.CompanyName, ClientAddr: server.ClientAddr(r.Context())})
	if err != nil {
		writeError(w, r, err)
		return
	}
	server.SetSessionCookie(w, g.CookieToken, g.CookieExpiresAt, a.secureCookies)
	writeJSON(w, http.StatusCreated, grantResponse{g.Profile, g.AccessToken, g.RefreshToken, g.ExpiresIn})
}

func (a *API) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	g, err := a.auth.Login(r.Context(), req.Email, req.Password, server.ClientAddr(r.Context()))
	if err != nil {
		writeError(w, r, err)
		return
	}
	server.SetSessionCookie(w, g.CookieToken, g.CookieExpiresAt, a.secureCookies)
	writeJSON(w, http.StatusOK, grantResponse{g.Profile, g.AccessToken, g.RefreshToken, g.ExpiresIn})
}

func (a *API) refresh(w http.ResponseWriter, r *http.Request) {
	var req refreshRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	g, err := a.auth.Refresh(r.Context(), req.RefreshToken)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, grantResponse{g.Profile, g.AccessToken, g.RefreshToken, g.ExpiresIn})
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
	var p store.Profile
	err := a.store.Read(r.Context(), identityFrom(r.Context()).UserID, func(tx *store.Tx) error {
		var err error
		p, err = tx.Profile(r.Context())
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": p})
}
