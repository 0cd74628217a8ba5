// Package links is the surface of the public links in outgoing mail: the
// unsubscribe page (and, with tracking, the open and click links). Anyone
// may follow them without logging in; the signed token in the path is the
// only key, and a forged one is a plain 404. Handlers are thin: the rules
// are sending.Service's.
package links

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/server"
)

// maxFormBytes bounds a one-click body ("List-Unsubscribe=One-Click").
const maxFormBytes = 64 << 10

// Unsubscriber is what the unsubscribe page needs of the sending rules.
type Unsubscriber interface {
	Unsubscribing(ctx context.Context, token string) (sending.UnsubscribePage, error)
	Unsubscribe(ctx context.Context, token string) error
}

// Surface serves the public links.
type Surface struct {
	Sending Unsubscriber
}

// Routes implements server.Surface.
func (s Surface) Routes(mux *http.ServeMux, on server.Access) {
	mux.Handle("GET /u/{token}", on.Public(s.confirmPage))
	mux.Handle("POST /u/{token}", on.Public(s.unsubscribe))
}

// confirmPage asks before unsubscribing: a GET never changes anything,
// because link scanners and previewers open every link in a message.
func (s Surface) confirmPage(w http.ResponseWriter, r *http.Request) {
	page, err := s.Sending.Unsubscribing(r.Context(), r.PathValue("token"))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	writePage(w, http.StatusOK, "Unsubscribe",
		fmt.Sprintf(`<p>Stop receiving emails from %s?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>`, html.EscapeString(page.From)))
}

// unsubscribe is the one-click POST (RFC 8058: a mail client sends
// List-Unsubscribe=One-Click, urlencoded or multipart) and the page's form
// alike: the POST itself is the request, whatever its body says.
func (s Surface) unsubscribe(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err := s.Sending.Unsubscribe(r.Context(), r.PathValue("token")); err != nil {
		s.Fail(w, r, err)
		return
	}
	writePage(w, http.StatusOK, "You are unsubscribed", "<p>You will not receive any more emails from this sender.</p>")
}

// Fail implements server.Surface: a page, with no detail of an internal
// error; an unknown or forged link is not found.
func (Surface) Fail(w http.ResponseWriter, r *http.Request, err error) {
	if apperr.CodeOf(err) == apperr.CodeNotFound {
		writePage(w, http.StatusNotFound, "Link not found", "<p>This link is not valid. If you copied it, check that it is complete.</p>")
		return
	}
	writePage(w, http.StatusInternalServerError, "Something went wrong", "<p>Something went wrong on our side. Please try the link again.</p>")
}

// writePage sends a small self-contained page; body is trusted markup
// (what it quotes is escaped by the caller).
func writePage(w http.ResponseWriter, status int, title, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the token is in the URL
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>%[1]s</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #222">
<h1 style="font-size: 1.5rem">%[1]s</h1>
%[2]s
</body>
</html>
`, html.EscapeString(title), body)
}
