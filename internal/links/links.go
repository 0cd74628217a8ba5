// Package links is the surface of the public links in outgoing mail: the
// unsubscribe page and, with tracking, the open pixel and click redirects. Anyone
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
	"net/netip"
	"strconv"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/server"
	"github.com/prospectorhq/prospector/internal/tracking"
)

// maxFormBytes bounds a one-click body ("List-Unsubscribe=One-Click").
const maxFormBytes = 64 << 10

// Unsubscriber is what the unsubscribe page needs of the sending rules.
type Unsubscriber interface {
	Unsubscribing(ctx context.Context, token string) (tracking.UnsubscribePage, error)
	Unsubscribe(ctx context.Context, token string) error
}

// Tracker is what the open and click links need of the sending rules.
type Tracker interface {
	Opened(ctx context.Context, token string, v tracking.Visit) error
	Clicked(ctx context.Context, token string, v tracking.Visit) (string, error)
}

// Surface serves the public links.
type Surface struct {
	Unsubscribes Unsubscriber
	// Tracking serves the open pixel and the click redirects.
	Tracking Tracker
}

// Routes implements server.Surface.
func (s Surface) Routes(mux *http.ServeMux, on server.Access) {
	mux.Handle("GET /u/{token}", on.Public(s.confirmPage))
	mux.Handle("POST /u/{token}", on.Public(s.unsubscribe))
	// GET patterns answer HEAD too: a scanner's HEAD is recorded as a
	// machine's.
	mux.Handle("GET /t/o/{token}", on.Public(s.openPixel))
	mux.Handle("GET /t/c/{token}", on.Public(s.click))
}

// confirmPage asks before unsubscribing: a GET never changes anything,
// because link scanners and previewers open every link in a message.
func (s Surface) confirmPage(w http.ResponseWriter, r *http.Request) {
	page, err := s.Unsubscribes.Unsubscribing(r.Context(), r.PathValue("token"))
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
	if err := s.Unsubscribes.Unsubscribe(r.Context(), r.PathValue("token")); err != nil {
		s.Fail(w, r, err)
		return
	}
	writePage(w, http.StatusOK, "You are unsubscribed", "<p>You will not receive any more emails from this sender.</p>")
}

// pixel is a 1×1 transparent GIF (GIF89a: one two-colour palette, a
// graphic control extension making colour 0 transparent, one image of one
// pixel, LZW minimum code size 2).
var pixel = []byte{
	'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, // header, 1×1, global palette of 2
	0, 0, 0, 0xff, 0xff, 0xff, // palette: black, white
	0x21, 0xf9, 4, 1, 0, 0, 0, 0, // graphic control: colour 0 transparent
	0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, // image at 0,0, 1×1
	2, 2, 0x44, 1, 0, // LZW data: clear, 0, end
	0x3b, // trailer
}

// openPixel records an open and answers the pixel, never from a cache (a
// cached pixel is an open nobody sees).
func (s Surface) openPixel(w http.ResponseWriter, r *http.Request) {
	if err := s.Tracking.Opened(r.Context(), r.PathValue("token"), visitOf(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/gif")
	h.Set("Content-Length", strconv.Itoa(len(pixel)))
	noCache(h)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(pixel)
	}
}

// click records a click and sends the reader on to the link it was made
// for. The token names a link of the message, never an address: nobody
// can make this redirect go anywhere else.
func (s Surface) click(w http.ResponseWriter, r *http.Request) {
	target, err := s.Tracking.Clicked(r.Context(), r.PathValue("token"), visitOf(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	noCache(w.Header())
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusFound)
}

// visitOf is what a request tells of who made it.
func visitOf(r *http.Request) tracking.Visit {
	addr, _ := netip.ParseAddr(server.ClientAddr(r.Context()))
	return tracking.Visit{UserAgent: r.UserAgent(), Addr: addr, Head: r.Method == http.MethodHead}
}

func noCache(h http.Header) {
	h.Set("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "0")
	h.Set("Referrer-Policy", "no-referrer") // the token is in the URL
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
