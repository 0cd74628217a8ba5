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
