package server

import (
	"net/http"
	"strings"
)

// withSecurityHeaders sets the headers every answer carries, whatever
// surface writes it: no content sniffing, no framing, no full referrer to
// other origins, and HSTS when the public origin is https. A surface may set
// stricter or additional ones (the dashboard adds its nonce-based
// Content-Security-Policy); these are set before it runs, so it can override.
func withSecurityHeaders(publicOrigin string, next http.Handler) http.Handler {
	hsts := strings.HasPrefix(strings.ToLower(publicOrigin), "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}
