package web

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/server"
	"github.com/prospectorhq/prospector/internal/store"
)

//go:embed templates
var templateFiles embed.FS

// views are the parsed pages: each one the layout, the partials and its
// own file, executed from "layout".
type views struct {
	pages map[string]*template.Template
}

// parseViews parses every page under templates/pages once.
func parseViews(a *assets) (*views, error) {
	files, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("web: no page templates (%v)", err)
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := template.New(name).Funcs(templateFuncs(a)).ParseFS(templateFiles,
			"templates/layout.html", "templates/partials.html", f)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("web: %s defines no \"content\"", f)
		}
		v.pages[name] = t
	}
	return v, nil
}

// page is what the layout needs around every screen's own view.
type page struct {
	Title string
	// Nav names the section the page belongs to ("dashboard",
	// "campaigns", "emails"), for the menu's current item.
	Nav string
	// User is the signed-in user; nil on the pages before signing in.
	User *store.Profile
	// Loc is the user's time zone (their sender profile's), for times.
	Loc *time.Location
	// Flash is the message a redirect left for this page.
	Flash *flash
	// Nonce is this answer's Content-Security-Policy nonce.
	Nonce string
	View  any
}

// account fills in the signed-in user of a page: the profile for the
// header and the time zone for the times shown.
func (s *Surface) account(r *http.Request, p *page) error {
	id := userID(r)
	prof, err := s.auth.Profile(r.Context(), id)
	if err != nil {
		return err
	}
	p.User = &prof
	p.Loc = time.UTC
	sender, err := s.sending.Profile(r.Context(), id)
	if err != nil {
		return err
	}
	if loc, err := time.LoadLocation(sender.DefaultTimezone); err == nil && sender.DefaultTimezone != "" {
		p.Loc = loc
	}
	return nil
}

// show renders a signed-in user's page: the account first, then the view.
func (s *Surface) show(w http.ResponseWriter, r *http.Request, status int, view string, p page) {
	if err := s.account(r, &p); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.render(w, r, status, view, p)
}

// render executes a page into memory (a failing template answers a clean
// error page, never half a page) and sends it with the page headers.
func (s *Surface) render(w http.ResponseWriter, r *http.Request, status int, view string, p page) {
	t, ok := s.views.pages[view]
	if !ok {
		s.Fail(w, r, fmt.Errorf("web: no view %q", view))
		return
	}
	nonce, err := newNonce()
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	p.Nonce = nonce
	if p.Loc == nil {
		p.Loc = time.UTC
	}
	if p.Flash == nil {
		p.Flash = takeFlash(w, r, s.secureCookies)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		server.Logger(r.Context()).ErrorContext(r.Context(), "render page", slog.String("request_id", server.RequestID(r.Context())),
			slog.String("view", view), slog.Any("error", err))
		if view != "error" {
			s.renderError(w, r, http.StatusInternalServerError, "Something went wrong", internalText)
		}
		return
	}
	pageHeaders(w.Header(), nonce)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the browser has gone
}

// pageHeaders are every dashboard page's: no caching of pages that hold a
// user's data, no framing, no sniffing, and a policy that runs only our own
// scripts carrying this answer's nonce.
func pageHeaders(h http.Header, nonce string) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", contentSecurityPolicy(nonce))
}

// contentSecurityPolicy allows nothing by default; scripts only from our
// origin and with the nonce, styles, images and fetches only from our
// origin, forms only to it, and no framing. No 'unsafe-inline' anywhere:
// the pages have no inline handlers or style attributes.
func contentSecurityPolicy(nonce string) string {
	return "default-src 'none'; script-src 'self' 'nonce-" + nonce + "'; style-src 'self'; img-src 'self'; " +
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

// newNonce is 128 random bits, base64url (nothing for HTML to escape):
// unguessable per answer.
func newNonce() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("web: nonce: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// internalText is all a user learns of a failure on our side.
const internalText = "Something went wrong on our side. Please try again."

// errorView is the error page's view.
type errorView struct {
	Heading, Text string
}

// renderError answers a page saying what went wrong; the header shows the
// user when the request was signed in.
func (s *Surface) renderError(w http.ResponseWriter, r *http.Request, status int, heading, text string) {
	p := page{Title: heading, View: errorView{heading, text}}
	if userID(r) != "" {
		if prof, err := s.auth.Profile(r.Context(), userID(r)); err == nil {
			p.User = &prof
		}
	}
	s.render(w, r, status, "error", p)
}

// Fail implements server.Surface, and is how every handler answers an
// error it does not show on its own form: a signed-out visitor is sent to
// the login form (back here after signing in, for a page they asked for);
// anything else is a page saying what went wrong, with no detail of an
// internal error.
func (s *Surface) Fail(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := apperr.As(err)
	if !ok {
		server.Logger(r.Context()).ErrorContext(r.Context(), "request failed", slog.String("request_id", server.RequestID(r.Context())),
			slog.String("method", r.Method), slog.String("route", r.Pattern), slog.Any("error", err))
		s.renderError(w, r, http.StatusInternalServerError, "Something went wrong", internalText)
		return
	}
	switch e.Code {
	case apperr.CodeUnauthorized, apperr.CodeTokenExpired, apperr.CodeInvalidCredentials, apperr.CodeTokenReused:
		to := "/login"
		if r.Method == http.MethodGet && safeNext(r.URL.RequestURI()) {
			to += "?next=" + urlQueryEscape(r.URL.RequestURI())
		}
		redirect(w, r, to)
	case apperr.CodeForbidden:
		s.renderError(w, r, http.StatusForbidden, "Request refused",
			"This form was sent from another site, so it was refused. Go back to Prospector and try again there.")
	case apperr.CodeNotFound:
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is nothing here. It may have been deleted, or the address is wrong.")
	case apperr.CodeMethodNotAllowed:
		s.renderError(w, r, http.StatusMethodNotAllowed, "Method not allowed", e.Message)
	case apperr.CodeHeaderTooLarge:
		s.renderError(w, r, http.StatusRequestHeaderFieldsTooLarge, "Request headers too large",
			e.Message+" Clearing this site's cookies usually helps.")
	case apperr.CodePayloadTooLarge:
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "Form too large", e.Message)
	case apperr.CodeRateLimited:
		server.SetRetryAfter(w, e.RetryAfter)
		s.renderError(w, r, http.StatusTooManyRequests, "Too many requests", e.Message)
	default:
		s.renderError(w, r, http.StatusBadRequest, "That did not work", e.Message)
	}
}

// statusOf is the HTTP status a form answers when the domain refused it.
func statusOf(err error) int {
	if status, ok := server.StatusOf(apperr.CodeOf(err)); ok {
		return status
	}
	return http.StatusInternalServerError
}
