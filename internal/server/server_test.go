package server_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/server"
)

// surface is a route table built by each test, answering refusals with the
// error's code as plain text.
type surface func(mux *http.ServeMux, on server.Access)

func (s surface) Routes(mux *http.ServeMux, on server.Access) { s(mux, on) }

func (surface) Fail(w http.ResponseWriter, r *http.Request, err error) {
	http.Error(w, apperr.CodeOf(err), http.StatusTeapot)
}

// oneUser admits the Bearer token or cookie "good" as user-1.
type oneUser struct{}

func (oneUser) AuthenticateBearer(_ context.Context, token string) (auth.Identity, error) {
	return check(token)
}

func (oneUser) AuthenticateCookie(_ context.Context, value string) (auth.Identity, error) {
	return check(value)
}

func check(credential string) (auth.Identity, error) {
	if credential != "good" {
		return auth.Identity{}, apperr.New(apperr.CodeUnauthorized, "no")
	}
	return auth.Identity{UserID: "user-1"}, nil
}

// serve runs a server with cfg (logger and authenticator filled in) and s
// mounted, on a real loopback connection: deadlines need one.
func serve(t *testing.T, cfg server.Config, s surface) string {
	t.Helper()
	cfg.Logger = slog.New(slog.DiscardHandler)
	cfg.Auth = oneUser{}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Mount(s)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + l.Addr().String()
}

// slowWrite sleeps for sleep, then writes a body bigger than net/http's
// buffer and flushes it, reporting the first write error.
func slowWrite(sleep time.Duration, before func(w http.ResponseWriter), result chan<- error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if before != nil {
			before(w)
		}
		time.Sleep(sleep)
		_, err := w.Write([]byte(strings.Repeat("x", 64<<10)))
		if err == nil {
			err = http.NewResponseController(w).Flush()
		}
		if err == nil {
			err = r.Context().Err()
		}
		result <- err
	}
}

func TestAHandlerPastItsDeadlineCannotWrite(t *testing.T) {
	result := make(chan error, 1)
	url := serve(t, server.Config{HandlerTimeout: 50 * time.Millisecond}, func(mux *http.ServeMux, on server.Access) {
		mux.Handle("GET /slow", on.Public(slowWrite(200*time.Millisecond, nil, result)))
	})
	resp, err := http.Get(url + "/slow")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Errorf("the client got a whole answer from a handler past its deadline")
	}
	if werr := <-result; !errors.Is(werr, os.ErrDeadlineExceeded) {
		t.Errorf("handler's write error = %v, want the deadline refusing it", werr)
	}
}

func TestLongRoutesAndStreamsOutliveTheOrdinaryDeadline(t *testing.T) {
	long, stream := make(chan error, 1), make(chan error, 1)
	url := serve(t, server.Config{HandlerTimeout: 50 * time.Millisecond, LongHandlerTimeout: 2 * time.Second},
		func(mux *http.ServeMux, on server.Access) {
			mux.Handle("GET /export", on.Long().Public(slowWrite(200*time.Millisecond, nil, long)))
			// A stream extends its own deadline before writing, as an
			// SSE handler does before each event.
			extend := func(w http.ResponseWriter) {
				if err := server.ExtendDeadline(w, 2*time.Second); err != nil {
					t.Errorf("ExtendDeadline: %v", err)
				}
			}
			mux.Handle("GET /events", on.Public(slowWrite(200*time.Millisecond, extend, stream)))
		})
	for path, result := range map[string]chan error{"/export": long, "/events": stream} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || len(body) != 64<<10 {
			t.Errorf("GET %s: read %d bytes, err %v; want the whole body", path, len(body), err)
		}
		if werr := <-result; werr != nil {
			t.Errorf("GET %s: handler's write error = %v", path, werr)
		}
	}
}

func TestAccessLevels(t *testing.T) {
	routes := func(mux *http.ServeMux, on server.Access) {
		who := func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "hello "+server.Identity(r.Context()).UserID)
		}
		mux.Handle("GET /open", on.Public(who))
		mux.Handle("GET /mine", on.User(who))
		mux.Handle("POST /mine", on.User(who))
		mux.Handle("POST /internal", on.Internal(who))
	}
	withToken := serve(t, server.Config{InternalToken: "s3cret"}, routes)
	withoutToken := serve(t, server.Config{}, routes)

	cases := []struct {
		name, base, method, path string
		header                   map[string]string
		status                   int
		body                     string
	}{
		{"public", withToken, "GET", "/open", nil, 200, "hello "},
		{"user by bearer", withToken, "GET", "/mine", map[string]string{"Authorization": "Bearer good"}, 200, "hello user-1"},
		{"user by cookie", withToken, "GET", "/mine", map[string]string{"Cookie": server.SessionCookie + "=good"}, 200, "hello user-1"},
		{"signed out", withToken, "GET", "/mine", nil, 418, apperr.CodeUnauthorized},
		{"bad bearer", withToken, "GET", "/mine", map[string]string{"Authorization": "Bearer bad"}, 418, apperr.CodeUnauthorized},
		{"not bearer", withToken, "GET", "/mine", map[string]string{"Authorization": "Basic good"}, 418, apperr.CodeUnauthorized},
		// Issue 9: the scheme is case-insensitive (RFC 7235), and
		// "bearer" in lower case was refused.
		{"bearer in lower case", withToken, "GET", "/mine", map[string]string{"Authorization": "bearer good"}, 200, "hello user-1"},
		{"bearer in upper case", withToken, "GET", "/mine", map[string]string{"Authorization": "BEARER good"}, 200, "hello user-1"},
		{"bearer with no token", withToken, "GET", "/mine", map[string]string{"Authorization": "bearer  "}, 418, apperr.CodeUnauthorized},
		{"bearer glued to the token", withToken, "GET", "/mine", map[string]string{"Authorization": "Bearergood"}, 418, apperr.CodeUnauthorized},
		{"cross-site cookie post", withToken, "POST", "/mine", map[string]string{"Cookie": server.SessionCookie + "=good",
			"Sec-Fetch-Site": "cross-site"}, 418, apperr.CodeForbidden},
		{"cross-site bearer post", withToken, "POST", "/mine", map[string]string{"Authorization": "Bearer good",
			"Sec-Fetch-Site": "cross-site"}, 200, "hello user-1"},
		{"internal token", withToken, "POST", "/internal", map[string]string{"Authorization": "Bearer s3cret"}, 200, "hello "},
		{"internal token, scheme in lower case", withToken, "POST", "/internal", map[string]string{"Authorization": "bearer s3cret"}, 200, "hello "},
		{"wrong internal token", withToken, "POST", "/internal", map[string]string{"Authorization": "Bearer s3cre"}, 418, apperr.CodeUnauthorized},
		{"user token is not internal", withToken, "POST", "/internal", map[string]string{"Authorization": "Bearer good"}, 418, apperr.CodeUnauthorized},
		{"no internal token configured", withoutToken, "POST", "/internal", map[string]string{"Authorization": "Bearer "}, 418, apperr.CodeNotFound},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, c.base+c.path, nil)
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || strings.TrimSuffix(string(body), "\n") != c.body {
			t.Errorf("%s: %d %q, want %d %q", c.name, resp.StatusCode, body, c.status, c.body)
		}
	}
}

func TestClientAddrTrustsForwardedForOnlyWhenConfigured(t *testing.T) {
	for _, trust := range []bool{false, true} {
		srv, err := server.New(server.Config{Logger: slog.New(slog.DiscardHandler), Auth: oneUser{}, TrustProxy: trust})
		if err != nil {
			t.Fatal(err)
		}
		srv.Mount(surface(func(mux *http.ServeMux, on server.Access) {
			mux.Handle("GET /addr", on.Public(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, server.ClientAddr(r.Context()))
			}))
		}))
		req := httptest.NewRequest("GET", "/addr", nil)
		req.RemoteAddr = "192.0.2.1:5555"
		req.Header.Set("X-Forwarded-For", "198.51.100.7, 192.0.2.1")
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		want := map[bool]string{false: "192.0.2.1", true: "198.51.100.7"}[trust]
		if got := rec.Body.String(); got != want {
			t.Errorf("TrustProxy %v: client address %q, want %q", trust, got, want)
		}
	}
}
