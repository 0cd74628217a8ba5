package server

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// pages is the server's own surface: the fallback for every path no other
// surface claims, answering with a small self-contained HTML page (no
// scripts, styles or images from anywhere) instead of net/http's plain text.
// Surfaces with their own shape claim their prefix ("/api/" answers in the
// JSON error shape); more specific patterns always win over "/".
type pages struct{ mux *http.ServeMux }

func (p pages) Routes(mux *http.ServeMux, on Access) {
	mux.Handle("/", on.Public(p.unmatched))
}

// unmatched answers 405 when the path exists under other methods, else 404.
func (p pages) unmatched(w http.ResponseWriter, r *http.Request) {
	if allowed := AllowedMethods(p.mux, r, "/"); len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		p.Fail(w, r, apperr.New(apperr.CodeMethodNotAllowed, "This address does not take %s requests.", r.Method))
		return
	}
	p.Fail(w, r, apperr.NotFound("page"))
}

// Fail implements Surface: a page for the refusal, with no detail of an
// internal error.
func (pages) Fail(w http.ResponseWriter, r *http.Request, err error) {
	status, title, text := http.StatusInternalServerError, "Something went wrong", "Something went wrong on our side. Please try again."
	switch apperr.CodeOf(err) {
	case apperr.CodeNotFound:
		status, title, text = http.StatusNotFound, "Page not found", "There is no page at this address."
	case apperr.CodeMethodNotAllowed:
		status, title, text = http.StatusMethodNotAllowed, "Method not allowed", "This address does not take "+r.Method+" requests."
	case apperr.CodeHeaderTooLarge:
		status, title, text = http.StatusRequestHeaderFieldsTooLarge, "Request headers too large",
			fmt.Sprintf("The request's headers are larger than %d KiB. Clearing this site's cookies usually helps.", MaxHeaderBytes>>10)
	case apperr.CodeUnauthorized, apperr.CodeInvalidCredentials, apperr.CodeTokenExpired:
		status, title, text = http.StatusUnauthorized, "Sign in to continue", "Sign in to continue."
	case apperr.CodeForbidden:
		status, title, text = http.StatusForbidden, "Not allowed", "This request was refused."
	}
	writePage(w, status, title, text)
}

// writePage sends a minimal HTML page. nosniff keeps browsers from taking
// it for anything else; the text is escaped although ours is fixed.
func writePage(w http.ResponseWriter, status int, title, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>%[1]s · Prospector</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #222">
<h1 style="font-size: 1.5rem">%[1]s</h1>
<p>%[2]s</p>
<p><a href="/">Prospector</a></p>
</body>
</html>
`, html.EscapeString(title), html.EscapeString(text))
}

// AllowedMethods lists the methods r's path is routed for on mux other than
// through the catch-all pattern, for a surface's own catch-all: a path that
// exists under other methods is 405, not 404.
func AllowedMethods(mux *http.ServeMux, r *http.Request, catchAll string) []string {
	var allowed []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != catchAll && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	return allowed
}
