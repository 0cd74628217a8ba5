package web

import (
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"
)

// flashCookie carries one message across a redirect: a form that worked
// says so on the page the browser lands on.
const flashCookie = "prospector_flash"

// maxFlashChars keeps the cookie far below what browsers accept.
const maxFlashChars = 1000

// flash is a message for the next page: done (what worked) or failed.
type flash struct {
	Failed bool
	Text   string
}

// setFlash leaves text for the page the redirect that follows lands on.
func setFlash(w http.ResponseWriter, failed bool, text string, secure bool) {
	if utf8.RuneCountInString(text) > maxFlashChars {
		text = string([]rune(text)[:maxFlashChars-1]) + "…"
	}
	kind := "ok:"
	if failed {
		kind = "error:"
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(kind + text)),
		Path: "/", MaxAge: 60, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// takeFlash reads the message left for this page, if any, and clears it so
// it shows once.
func takeFlash(w http.ResponseWriter, r *http.Request, secure bool) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || !utf8.Valid(raw) {
		return nil
	}
	kind, text, ok := strings.Cut(string(raw), ":")
	if !ok || text == "" || (kind != "ok" && kind != "error") {
		return nil
	}
	return &flash{Failed: kind == "error", Text: text}
}

// done and failed are the flash messages of an action, then the redirect.
func (s *Surface) done(w http.ResponseWriter, r *http.Request, to, text string) {
	setFlash(w, false, text, s.secureCookies)
	redirect(w, r, to)
}

func (s *Surface) failed(w http.ResponseWriter, r *http.Request, to, text string) {
	setFlash(w, true, text, s.secureCookies)
	redirect(w, r, to)
}
