package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestHealthAndReadiness(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c := srv.Client(t)
		if resp := c.Get("/healthz"); resp.Status != 200 {
			t.Errorf("healthz = %d", resp.Status)
		}
		if resp := c.Get("/readyz"); resp.Status != 200 {
			t.Errorf("readyz = %d %s", resp.Status, resp.Body)
		}
	})
}

func TestUnknownRoutesAnswerInTheErrorShape(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c, _ := srv.SignUp(t)
		if resp := c.Get("/api/nope"); resp.Status != 404 || resp.ErrorCode(t) != "not_found" {
			t.Errorf("GET /api/nope = %d %s", resp.Status, resp.Body)
		}
		if resp := c.JSON("PUT", "/api/campaigns", "{}"); resp.Status != 405 || resp.ErrorCode(t) != "method_not_allowed" {
			t.Errorf("PUT /api/campaigns = %d %s", resp.Status, resp.Body)
		}
	})
}

func TestRequestIDIsEchoed(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	c := srv.Client(t)
	c.Header.Set("X-Request-ID", "support-ticket-42")
	if got := c.Get("/healthz").Header.Get("X-Request-ID"); got != "support-ticket-42" {
		t.Errorf("X-Request-ID = %q, want the caller's", got)
	}
	c.Header.Set("X-Request-ID", "bad id\twith spaces")
	if got := c.Get("/healthz").Header.Get("X-Request-ID"); got == "" || strings.ContainsAny(got, " \t") {
		t.Errorf("X-Request-ID = %q, want a fresh id instead of the unsafe one", got)
	}
}

// TestLogsHoldNoSecrets drives the auth flow and checks that nothing a user
// would consider secret or personal reaches the log.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{LogTo: &logs})
	c := srv.Client(t)
	email, password := "secret-person@example.test", "hunter2-but-longer"
	resp := c.JSON("POST", "/api/auth/signup", map[string]any{"email": email, "password": password})
	if resp.Status != http.StatusCreated {
		t.Fatalf("signup = %d", resp.Status)
	}
	g := resp.Map(t)
	c.JSON("POST", "/api/auth/login", map[string]any{"email": email, "password": "wrong-password-here"})
	c.JSON("POST", "/api/auth/refresh", map[string]any{"refresh_token": g["refresh_token"]})
	c.JSON("POST", "/api/auth/refresh", map[string]any{"refresh_token": g["refresh_token"]}) // reuse: logged as a warning
	c.Get("/api/prospects?q=" + email)

	out := logs.String()
	if !strings.Contains(out, "http request") {
		t.Fatalf("no access log captured:\n%s", out)
	}
	for _, secret := range []string{email, "secret-person", password, "wrong-password-here", g["access_token"].(string), g["refresh_token"].(string), srv.Env["SECRET_KEY"]} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}

// Issue 9: the Authorization scheme is case-insensitive (RFC 7235), but
// "bearer" in lower case was refused as unauthorized.
func TestBearerSchemeInAnyCase(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	_, u := srv.SignUp(t)
	for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
		c := srv.Client(t)
		c.Header.Set("Authorization", scheme+" "+u.AccessToken)
		if resp := c.Get("/api/auth/me"); resp.Status != http.StatusOK {
			t.Errorf("GET /api/auth/me with %q = %d %s, want 200", scheme, resp.Status, resp.Body)
		}
	}
}

// Issue 9: paths outside /api and oversized headers were answered in
// net/http's plain text; now /api answers in the contract's error shape
// and other paths with a small HTML page.
func TestNotFoundAndOversizedHeadersAnswerInTheirSurfacesShape(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	signedIn, _ := srv.SignUp(t)
	page := func(what string, resp *apptest.Response, status int) {
		t.Helper()
		if resp.Status != status || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(string(resp.Body), "<!doctype html>") {
			t.Errorf("%s = %d %q %s, want %d and an HTML page with nosniff", what, resp.Status, resp.Header.Get("Content-Type"), resp.Body, status)
		}
	}
	page("GET /no/such/page", srv.Client(t).Get("/no/such/page"), http.StatusNotFound)
	page("POST /healthz", srv.Client(t).JSON("POST", "/healthz", "{}"), http.StatusMethodNotAllowed)
	if resp := signedIn.Get("/api/nope"); resp.Status != 404 || resp.ErrorCode(t) != "not_found" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("GET /api/nope = %d %s, want the JSON not_found", resp.Status, resp.Body)
	}

	oversized := func() *apptest.Client {
		c := srv.Client(t)
		c.Token = signedIn.Token
		c.Header.Set("X-Filler", strings.Repeat("x", 100<<10))
		return c
	}
	for _, path := range []string{"/api/auth/me", "/api/nope"} {
		resp := oversized().Get(path)
		if resp.Status != http.StatusRequestHeaderFieldsTooLarge || resp.ErrorCode(t) != "header_too_large" {
			t.Errorf("GET %s with 100 KiB of headers = %d %s, want 431 header_too_large in the error shape", path, resp.Status, resp.Body)
		}
	}
	page("GET /no/such/page with 100 KiB of headers", oversized().Get("/no/such/page"), http.StatusRequestHeaderFieldsTooLarge)
}
