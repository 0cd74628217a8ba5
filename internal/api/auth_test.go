package api_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/burst"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestSignupLoginMe(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c := srv.Client(t)

		resp := c.JSON("POST", "/api/auth/signup", map[string]any{
			"email": "  Owner@Example.TEST ", "password": "a long enough password", "full_name": "Ada Owner", "company_name": "Ada Web",
		})
		if resp.Status != http.StatusCreated {
			t.Fatalf("signup = %d %s", resp.Status, resp.Body)
		}
		body := resp.Map(t)
		user := body["user"].(map[string]any)
		if user["email"] != "owner@example.test" || user["plan"] != "starter" || user["lead_credits"] != float64(500) ||
			user["full_name"] != "Ada Owner" || user["company_name"] != "Ada Web" {
			t.Errorf("user = %v", user)
		}
		for _, k := range []string{"id", "email", "full_name", "company_name", "plan", "lead_credits", "credits_reset_at", "created_at"} {
			if _, ok := user[k]; !ok {
				t.Errorf("user lacks %q", k)
			}
		}
		if _, leaked := user["password_hash"]; leaked {
			t.Error("user exposes password_hash")
		}
		if body["expires_in"] != float64(900) || body["access_token"] == "" || body["refresh_token"] == "" {
			t.Errorf("grant = %v", body)
		}
		setCookie := resp.Header.Get("Set-Cookie")
		if !strings.Contains(setCookie, "prospector_session=") || !strings.Contains(setCookie, "HttpOnly") ||
			!strings.Contains(setCookie, "SameSite=Lax") {
			t.Errorf("Set-Cookie = %q, want an HttpOnly SameSite=Lax session cookie", setCookie)
		}

		// The cookie alone authenticates the browser.
		if me := c.Get("/api/auth/me"); me.Status != http.StatusOK {
			t.Errorf("me with cookie = %d %s", me.Status, me.Body)
		}
		// And the Bearer token alone authenticates an API client.
		bearer := srv.Client(t)
		bearer.Token = body["access_token"].(string)
		if me := bearer.Get("/api/auth/me"); me.Status != http.StatusOK || me.Map(t)["user"].(map[string]any)["email"] != "owner@example.test" {
			t.Errorf("me with bearer = %d %s", me.Status, me.Body)
		}

		// Same email again, in another case: taken.
		resp = srv.Client(t).JSON("POST", "/api/auth/signup", map[string]any{"email": "OWNER@example.test", "password": "another long password"})
		if resp.Status != http.StatusConflict || resp.ErrorCode(t) != "email_taken" {
			t.Errorf("duplicate signup = %d %s", resp.Status, resp.Body)
		}

		resp = srv.Client(t).JSON("POST", "/api/auth/login", map[string]any{"email": "owner@example.test", "password": "a long enough password"})
		if resp.Status != http.StatusOK || resp.Map(t)["access_token"] == "" {
			t.Errorf("login = %d %s", resp.Status, resp.Body)
		}
	})
}

func TestSignupValidation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c := srv.Client(t)
		tests := []struct {
			name       string
			body       string
			ct         string
			wantStatus int
			wantCode   string
			wantField  string
		}{
			{"malformed JSON", `{"email":`, "application/json", 400, "invalid_json", ""},
			{"not an object", `[1,2]`, "application/json", 400, "invalid_json", ""},
			{"unknown field", `{"email":"a@b.test","password":"0123456789","admin":true}`, "application/json", 400, "invalid_json", ""},
			{"wrong type", `{"email":42,"password":"0123456789"}`, "application/json", 400, "validation_failed", "email"},
			{"bad email", `{"email":"not-an-email","password":"0123456789"}`, "application/json", 400, "validation_failed", "email"},
			{"short password", `{"email":"a@b.test","password":"short"}`, "application/json", 400, "validation_failed", "password"},
			{"long password", `{"email":"a@b.test","password":"` + strings.Repeat("x", 257) + `"}`, "application/json", 400, "validation_failed", "password"},
			{"empty body", ``, "application/json", 400, "invalid_json", ""},
			{"two objects", `{"email":"a@b.test","password":"0123456789"}{}`, "application/json", 400, "invalid_json", ""},
			{"form body", `email=a@b.test`, "application/x-www-form-urlencoded", 415, "unsupported_media_type", ""},
			{"oversize", `{"email":"a@b.test","password":"0123456789","full_name":"` + strings.Repeat("x", 1<<20) + `"}`, "application/json", 413, "payload_too_large", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := c.Do("POST", "/api/auth/signup", tt.ct, strings.NewReader(tt.body))
				if resp.Status != tt.wantStatus || resp.ErrorCode(t) != tt.wantCode {
					t.Fatalf("= %d %s, want %d %s", resp.Status, resp.Body, tt.wantStatus, tt.wantCode)
				}
				if tt.wantField != "" {
					fields, _ := resp.Map(t)["error"].(map[string]any)["fields"].(map[string]any)
					if _, ok := fields[tt.wantField]; !ok {
						t.Errorf("fields = %v, want %q named", fields, tt.wantField)
					}
				}
			})
		}
	})
}

func TestLoginFailsAlikeAndThrottles(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		_, u := srv.SignUp(t)
		c := srv.Client(t)

		wrong := c.JSON("POST", "/api/auth/login", map[string]any{"email": u.Email, "password": "wrong password!"})
		unknown := c.JSON("POST", "/api/auth/login", map[string]any{"email": "nobody-" + u.ID + "@example.test", "password": "wrong password!"})
		if wrong.Status != 401 || unknown.Status != 401 || wrong.ErrorCode(t) != "invalid_credentials" ||
			string(wrong.Body) != string(unknown.Body) {
			t.Fatalf("wrong password = %d %s; unknown email = %d %s; want identical 401 invalid_credentials",
				wrong.Status, wrong.Body, unknown.Status, unknown.Body)
		}
		// Four more failures for this email make five; the sixth try is refused
		// even with the right password.
		for i := 0; i < 4; i++ {
			c.JSON("POST", "/api/auth/login", map[string]any{"email": u.Email, "password": "wrong password!"})
		}
		resp := c.JSON("POST", "/api/auth/login", map[string]any{"email": u.Email, "password": u.Password})
		if resp.Status != http.StatusTooManyRequests || resp.ErrorCode(t) != "rate_limited" || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("sixth login = %d %s (Retry-After %q), want 429 rate_limited with Retry-After",
				resp.Status, resp.Body, resp.Header.Get("Retry-After"))
		}
	})
}

// Issue 9: the address bound was the account's, so five typos on five
// accounts from one office's address locked every account behind it out for
// 15 minutes. The address now allows 100 failures; spraying guesses over
// many accounts from one address is still stopped there.
func TestLoginThrottlesPerClientAddress(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	c := srv.Client(t)
	login := func(email, password string) *apptest.Response {
		t.Helper()
		return c.JSON("POST", "/api/auth/login", map[string]any{"email": email, "password": password})
	}
	failures := 0
	for i := 0; i < 6; i++ {
		_, u := srv.SignUp(t)
		for j := 0; j < 2; j++ {
			if resp := login(u.Email, "a typo in it!"); resp.Status != 401 {
				t.Fatalf("typo %d on account %d = %d %s, want 401", j+1, i+1, resp.Status, resp.Body)
			}
			failures++
		}
	}
	_, seventh := srv.SignUp(t)
	if resp := login(seventh.Email, seventh.Password); resp.Status != http.StatusOK {
		t.Fatalf("a seventh account after %d typos on six others from one address = %d %s, want 200", failures, resp.Status, resp.Body)
	}
	for ; failures < 100; failures++ {
		if resp := login(fmt.Sprintf("spray%d@example.test", failures), "guess-guess-guess"); resp.Status != 401 {
			t.Fatalf("failure %d from one address = %d %s, want 401", failures+1, resp.Status, resp.Body)
		}
	}
	resp := login(seventh.Email, seventh.Password)
	if resp.Status != http.StatusTooManyRequests || resp.ErrorCode(t) != "rate_limited" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("after 100 failures from one address = %d %s (Retry-After %q), want 429 rate_limited with Retry-After",
			resp.Status, resp.Body, resp.Header.Get("Retry-After"))
	}
}

// Issue 9: the throttle was checked before hashing and counted after, so
// 200 parallel wrong logins for one account were all evaluated (200 × 401,
// 3.8 GiB of argon2 memory at once).
func TestParallelWrongLoginsAreCountedBeforeHashing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		_, u := srv.SignUp(t)
		body := fmt.Sprintf(`{"email":%q,"password":"not the password"}`, u.Email)
		statuses := parallelPosts(t, srv.URL+"/api/auth/login", body, 200)
		if n := statuses[http.StatusUnauthorized]; n < 1 || n > 5 || statuses[http.StatusTooManyRequests] != 200-n {
			t.Fatalf("answers by status %v, want at most 5 × 401 and the rest 429", statuses)
		}
	})
}

// Issue 9: signup was not throttled, so anyone could check at full speed
// whether an email is registered.
func TestSignupIsThrottledPerClientAddress(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		_, u := srv.SignUp(t) // the first of this address's twenty
		c := srv.Client(t)
		for i := 0; i < 19; i++ {
			resp := c.JSON("POST", "/api/auth/signup", map[string]any{"email": u.Email, "password": "another long password"})
			if resp.Status != http.StatusConflict || resp.ErrorCode(t) != "email_taken" {
				t.Fatalf("signup %d = %d %s, want 409 email_taken", i+2, resp.Status, resp.Body)
			}
		}
		resp := c.JSON("POST", "/api/auth/signup", map[string]any{"email": u.Email, "password": "another long password"})
		if resp.Status != http.StatusTooManyRequests || resp.ErrorCode(t) != "rate_limited" || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("21st signup from one address = %d %s (Retry-After %q), want 429 rate_limited with Retry-After",
				resp.Status, resp.Body, resp.Header.Get("Retry-After"))
		}
	})
}

// parallelPosts sends n copies of one JSON body at once and counts the
// answers by status (0 for a transport error).
func parallelPosts(t *testing.T, url, body string, n int) map[int]int {
	t.Helper()
	// One connection per request, closed after it: a pooled client leaves
	// spare connections open that hold up the server's shutdown.
	transport := &http.Transport{DisableKeepAlives: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Timeout: 2 * time.Minute, Transport: transport}
	return burst.Tally(n, func(int) int {
		resp, err := client.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After")
		}
		return resp.StatusCode
	})
}

func TestRefreshRotatesAndDetectsReuse(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		_, u := srv.SignUp(t)
		c := srv.Client(t)

		first := c.JSON("POST", "/api/auth/refresh", map[string]any{"refresh_token": u.RefreshToken})
		if first.Status != http.StatusOK {
			t.Fatalf("refresh = %d %s", first.Status, first.Body)
		}
		g := first.Map(t)
		second := g["refresh_token"].(string)
		if second == u.RefreshToken || g["access_token"] == u.AccessToken {
			t.Fatal("refresh returned the same tokens")
		}

		// Presenting the spent token again: reuse, and the family is revoked.
		replay := c.JSON("POST", "/api/auth/refresh", map[string]any{"refresh_token": u.RefreshToken})
		if replay.Status != 401 || replay.ErrorCode(t) != "token_reused" {
			t.Fatalf("replay = %d %s, want 401 token_reused", replay.Status, replay.Body)
		}
		if resp := c.JSON("POST", "/api/auth/refresh", map[string]any{"refresh_token": second}); resp.Status != 401 {
			t.Errorf("newest token after reuse = %d %s, want 401: the family must be revoked", resp.Status, resp.Body)
		}
		newAccess := srv.Client(t)
		newAccess.Token = g["access_token"].(string)
		if resp := newAccess.Get("/api/auth/me"); resp.Status != 401 {
			t.Errorf("access token of a revoked family = %d, want 401", resp.Status)
		}

		for name, body := range map[string]string{
			"garbage token":  `{"refresh_token":"nope"}`,
			"missing token":  `{}`,
			"unknown field":  `{"refresh_token":"x","extra":1}`,
			"malformed JSON": `{"refresh_token":`,
		} {
			resp := c.JSON("POST", "/api/auth/refresh", body)
			if resp.Status != 401 && resp.Status != 400 {
				t.Errorf("%s: %d %s", name, resp.Status, resp.Body)
			}
		}
	})
}

func TestLogoutRevokesEverything(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		bearer, u := srv.SignUp(t)
		if resp := bearer.JSON("POST", "/api/auth/logout", nil); resp.Status != http.StatusNoContent {
			t.Fatalf("logout = %d %s", resp.Status, resp.Body)
		}
		if resp := bearer.Get("/api/auth/me"); resp.Status != 401 || resp.ErrorCode(t) != "unauthorized" {
			t.Errorf("me after logout = %d %s", resp.Status, resp.Body)
		}
		if resp := srv.Client(t).JSON("POST", "/api/auth/refresh", map[string]any{"refresh_token": u.RefreshToken}); resp.Status != 401 {
			t.Errorf("refresh after logout = %d %s", resp.Status, resp.Body)
		}
	})
}

func TestAuthRequired(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		routes := []struct{ method, path string }{
			{"GET", "/api/auth/me"}, {"POST", "/api/auth/logout"},
			{"GET", "/api/campaigns"}, {"POST", "/api/campaigns"},
			{"GET", "/api/campaigns/0195e2a0-0000-7000-8000-000000000000"},
			{"PATCH", "/api/campaigns/0195e2a0-0000-7000-8000-000000000000"},
			{"DELETE", "/api/campaigns/0195e2a0-0000-7000-8000-000000000000"},
			{"POST", "/api/campaigns/0195e2a0-0000-7000-8000-000000000000/import"},
			{"GET", "/api/prospects"}, {"GET", "/api/prospects/0195e2a0-0000-7000-8000-000000000000"},
			{"POST", "/api/prospects/export"},
		}
		for _, auth := range []struct {
			name, header string
		}{{"none", ""}, {"garbage bearer", "Bearer garbage"}, {"basic", "Basic dXNlcjpwYXNz"}} {
			for _, r := range routes {
				c := srv.Client(t)
				if auth.header != "" {
					c.Header.Set("Authorization", auth.header)
				}
				resp := c.JSON(r.method, r.path, "{}")
				if resp.Status != 401 || resp.ErrorCode(t) != "unauthorized" {
					t.Errorf("%s %s with %s auth = %d %s, want 401 unauthorized", r.method, r.path, auth.name, resp.Status, resp.Body)
				}
			}
		}
	})
}

func TestCookieRequestsAreProtectedFromOtherSites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c := srv.Client(t)
		resp := c.JSON("POST", "/api/auth/signup", map[string]any{"email": "csrf-" + srv.Engine.String() + "@example.test", "password": "a long enough password"})
		if resp.Status != 201 {
			t.Fatalf("signup = %d", resp.Status)
		}
		body := map[string]any{"name": "x", "business_type": "plumber", "target_location": "Austin, TX"}

		c.Header.Set("Sec-Fetch-Site", "cross-site")
		c.Header.Set("Origin", "https://evil.example")
		if resp := c.JSON("POST", "/api/campaigns", body); resp.Status != http.StatusForbidden {
			t.Errorf("cross-site cookie POST = %d %s, want 403", resp.Status, resp.Body)
		}
		// Reading is safe and allowed.
		if resp := c.Get("/api/campaigns"); resp.Status != http.StatusOK {
			t.Errorf("cross-site cookie GET = %d, want 200", resp.Status)
		}
		c.Header.Set("Sec-Fetch-Site", "same-origin")
		c.Header.Del("Origin")
		if resp := c.JSON("POST", "/api/campaigns", body); resp.Status != http.StatusCreated {
			t.Errorf("same-origin cookie POST = %d %s, want 201", resp.Status, resp.Body)
		}
	})
}

// Issue 9: behind a proxy every caller had the proxy's address, so one
// office's failures throttled everyone. With TRUSTED_PROXIES, the address
// throttled is the one the proxy saw, and a spoofed leftmost entry is not.
func TestThrottlesKeyOnTheAddressBehindTrustedProxies(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{Env: map[string]string{"TRUSTED_PROXIES": "127.0.0.1"}})
	_, u := srv.SignUp(t) // from the proxy's own address
	signup := func(xff string) *apptest.Response {
		t.Helper()
		c := srv.Client(t)
		c.Header.Set("X-Forwarded-For", xff)
		return c.JSON("POST", "/api/auth/signup", map[string]any{"email": u.Email, "password": "another long password"})
	}
	// Twenty signups behind the proxy from one client, each spoofing a
	// different leftmost entry: they all count for 198.51.100.7.
	for i := 0; i < 20; i++ {
		if resp := signup(fmt.Sprintf("192.0.2.%d, 198.51.100.7", i+1)); resp.Status != http.StatusConflict {
			t.Fatalf("signup %d = %d %s, want 409 email_taken", i+1, resp.Status, resp.Body)
		}
	}
	if resp := signup("192.0.2.200, 198.51.100.7"); resp.Status != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("21st signup from 198.51.100.7 = %d %s, want 429 with Retry-After", resp.Status, resp.Body)
	}
	// Another client behind the same proxy is not affected.
	if resp := signup("198.51.100.8"); resp.Status != http.StatusConflict {
		t.Fatalf("signup from another client behind the proxy = %d %s, want 409 email_taken", resp.Status, resp.Body)
	}
}
