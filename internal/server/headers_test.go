package server_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/prospectorhq/prospector/internal/server"
)

func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	routes := func(mux *http.ServeMux, on server.Access) {
		mux.Handle("GET /open", on.Public(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hi") }))
		mux.Handle("GET /mine", on.User(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "mine") }))
		// A surface with its own policy keeps it.
		mux.Handle("GET /page", on.Public(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'self'")
			w.Header().Set("Referrer-Policy", "same-origin")
			io.WriteString(w, "page")
		}))
	}
	plain := serve(t, server.Config{PublicOrigin: "http://127.0.0.1:8080"}, routes)
	secure := serve(t, server.Config{PublicOrigin: "https://prospector.example"}, routes)
	cases := []struct {
		name, base, path string
		referrer, hsts   string
		csp              string
	}{
		{"public route", plain, "/open", "strict-origin-when-cross-origin", "", ""},
		{"refused user route", plain, "/mine", "strict-origin-when-cross-origin", "", ""},
		{"unknown path", plain, "/nowhere", "strict-origin-when-cross-origin", "", ""},
		{"surface's own policy", plain, "/page", "same-origin", "", "default-src 'self'"},
		{"https public url", secure, "/open", "strict-origin-when-cross-origin", "max-age=31536000; includeSubDomains", ""},
		{"https, refused", secure, "/mine", "strict-origin-when-cross-origin", "max-age=31536000; includeSubDomains", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := http.Get(c.base + c.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
				"Referrer-Policy": c.referrer, "Strict-Transport-Security": c.hsts, "Content-Security-Policy": c.csp} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s %s: %s = %q, want %q", c.path, resp.Status, k, got, want)
				}
			}
		})
	}
}
