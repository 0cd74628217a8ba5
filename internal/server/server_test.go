package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
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
		mux.Handle("GET /door", on.Visitor(who))
		mux.Handle("POST /door", on.Visitor(who))
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
		// Visitor: anyone, signed in or not; cross-site posts refused
		// even without a cookie (login CSRF).
		{"visitor", withToken, "GET", "/door", nil, 200, "hello "},
		{"visitor signed in", withToken, "GET", "/door", map[string]string{"Cookie": server.SessionCookie + "=good"}, 200, "hello user-1"},
		{"visitor with a stale cookie", withToken, "POST", "/door", map[string]string{"Cookie": server.SessionCookie + "=bad"}, 200, "hello "},
		{"visitor posting same-origin", withToken, "POST", "/door", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200, "hello "},
		{"visitor posting cross-site", withToken, "POST", "/door", map[string]string{"Sec-Fetch-Site": "cross-site"}, 418, apperr.CodeForbidden},
		{"visitor posting from another origin", withToken, "POST", "/door", map[string]string{"Origin": "http://evil.example"}, 418, apperr.CodeForbidden},
		{"visitor reading cross-site", withToken, "GET", "/door", map[string]string{"Sec-Fetch-Site": "cross-site"}, 200, "hello "},
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

// addrServer answers GET /addr with the client address the server settled on.
func addrServer(t *testing.T, trusted ...string) http.Handler {
	t.Helper()
	var prefixes []netip.Prefix
	for _, p := range trusted {
		prefixes = append(prefixes, netip.MustParsePrefix(p))
	}
	srv, err := server.New(server.Config{Logger: slog.New(slog.DiscardHandler), Auth: oneUser{}, TrustedProxies: prefixes})
	if err != nil {
		t.Fatal(err)
	}
	srv.Mount(surface(func(mux *http.ServeMux, on server.Access) {
		mux.Handle("GET /addr", on.Public(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, server.ClientAddr(r.Context()))
		}))
	}))
	return srv.Handler()
}

// clientAddrOf is the address h settles on for a request from peer carrying
// these X-Forwarded-For lines.
func clientAddrOf(h http.Handler, peer string, xff ...string) string {
	req := httptest.NewRequest("GET", "/addr", nil)
	req.RemoteAddr = peer
	for _, line := range xff {
		req.Header.Add("X-Forwarded-For", line)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.String()
}

func TestClientAddrTrustsForwardedForOnlyWhenConfigured(t *testing.T) {
	for _, trusted := range [][]string{nil, {"192.0.2.1/32"}} {
		got := clientAddrOf(addrServer(t, trusted...), "192.0.2.1:5555", "198.51.100.7, 192.0.2.1")
		want := map[bool]string{false: "192.0.2.1", true: "198.51.100.7"}[trusted != nil]
		if got != want {
			t.Errorf("trusted proxies %v: client address %q, want %q", trusted, got, want)
		}
	}
}

// Issue 9: with proxies trusted, the leftmost X-Forwarded-For entry (which
// the client writes) was taken as the client, so anyone could pick the key
// their login failures counted under.
func TestClientAddrWalksForwardedForFromTheRight(t *testing.T) {
	// The load balancer is 10.0.0.0/8 and a CDN edge 203.0.113.0/24.
	h := addrServer(t, "10.0.0.0/8", "203.0.113.0/24", "2001:db8:cafe::/48")
	cases := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy in front", "198.51.100.1:4000", nil, "198.51.100.1"},
		{"untrusted peer's forwarded-for is ignored", "198.51.100.1:4000", []string{"192.0.2.99"}, "198.51.100.1"},
		{"untrusted peer claiming to be a proxy", "198.51.100.1:4000", []string{"192.0.2.99, 10.0.0.1"}, "198.51.100.1"},
		{"one trusted proxy", "10.0.0.5:4000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"spoofed leftmost entry is ignored", "10.0.0.5:4000", []string{"192.0.2.99, 198.51.100.7"}, "198.51.100.7"},
		{"spoofed trusted-looking entry is ignored", "10.0.0.5:4000", []string{"10.9.9.9, 192.0.2.99, 198.51.100.7"}, "198.51.100.7"},
		{"multi-hop chain", "10.0.0.5:4000", []string{"192.0.2.99, 198.51.100.7, 203.0.113.4, 10.1.1.1"}, "198.51.100.7"},
		{"chain over several header lines", "10.0.0.5:4000", []string{"192.0.2.99, 198.51.100.7", "203.0.113.4", "10.1.1.1"}, "198.51.100.7"},
		{"every entry trusted: the leftmost", "10.0.0.5:4000", []string{"203.0.113.4, 10.1.1.1"}, "203.0.113.4"},
		{"trusted proxy with no header", "10.0.0.5:4000", nil, "10.0.0.5"},
		{"malformed entry: the last trusted hop", "10.0.0.5:4000", []string{"198.51.100.7, not-an-ip, 203.0.113.4"}, "203.0.113.4"},
		{"malformed rightmost entry: the peer", "10.0.0.5:4000", []string{"198.51.100.7, unknown"}, "10.0.0.5"},
		{"empty entry stops the walk", "10.0.0.5:4000", []string{"198.51.100.7,,10.1.1.1"}, "10.1.1.1"},
		{"entries with ports", "10.0.0.5:4000", []string{"198.51.100.7:51000, 10.1.1.1:443"}, "198.51.100.7"},
		{"IPv6 chain", "[2001:db8:cafe::1]:4000", []string{"2001:db8:1::7, [2001:db8:cafe::2]:443"}, "2001:db8:1::7"},
		{"IPv4 written as IPv6 is IPv4", "[::ffff:10.0.0.5]:4000", []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
	}
	for _, c := range cases {
		if got := clientAddrOf(h, c.peer, c.xff...); got != c.want {
			t.Errorf("%s: client address %q, want %q", c.name, got, c.want)
		}
	}
}

// get sends one GET with extra headers and returns the answer, body read.
func get(t *testing.T, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// checkPage asserts resp is a self-contained HTML page with status.
func checkPage(t *testing.T, what string, resp *http.Response, body string, status int) {
	t.Helper()
	if resp.StatusCode != status || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(body, "<!doctype html>") {
		t.Errorf("%s: %d %q nosniff=%q %q, want %d and an HTML page", what, resp.StatusCode, resp.Header.Get("Content-Type"),
			resp.Header.Get("X-Content-Type-Options"), body, status)
	}
	if strings.Contains(body, "src=") || strings.Contains(body, `href="http`) || strings.Contains(body, "<script") {
		t.Errorf("%s: the page loads something from elsewhere: %s", what, body)
	}
}

// Issue 9: paths no surface claims answered net/http's plain-text "404 page
// not found".
func TestUnclaimedPathsAnswerAnHTMLPage(t *testing.T) {
	url := serve(t, server.Config{}, func(mux *http.ServeMux, on server.Access) {
		mux.Handle("GET /open", on.Public(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "open") }))
	})
	resp, body := get(t, url+"/no/such/page", nil)
	checkPage(t, "unknown path", resp, body, http.StatusNotFound)

	req, _ := http.NewRequest("DELETE", url+"/open", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	checkPage(t, "known path, other method", resp, string(b), http.StatusMethodNotAllowed)
	if resp.Header.Get("Allow") != "GET" {
		t.Errorf("Allow = %q, want GET", resp.Header.Get("Allow"))
	}
	if resp, body := get(t, url+"/open", nil); resp.StatusCode != 200 || body != "open" {
		t.Errorf("a claimed path = %d %q", resp.StatusCode, body)
	}
}

// Issue 9: net/http refused oversized headers itself with a plain-text 431
// before any handler; now the route's surface answers, in its own shape,
// before authenticating.
func TestOversizedHeadersAreRefusedByTheSurface(t *testing.T) {
	url := serve(t, server.Config{}, func(mux *http.ServeMux, on server.Access) {
		mux.Handle("GET /open", on.Public(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "open") }))
		mux.Handle("GET /mine", on.User(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "mine") }))
	})
	under := strings.Repeat("x", server.MaxHeaderBytes-1024)
	over := strings.Repeat("x", server.MaxHeaderBytes+1)
	if resp, body := get(t, url+"/open", map[string]string{"X-Filler": under}); resp.StatusCode != 200 || body != "open" {
		t.Errorf("headers under the limit = %d %q, want 200", resp.StatusCode, body)
	}
	// The test surface's Fail answers 418 with the code.
	for _, path := range []string{"/open", "/mine"} {
		resp, body := get(t, url+path, map[string]string{"X-Filler": over, "Authorization": "Bearer good"})
		if resp.StatusCode != http.StatusTeapot || strings.TrimSpace(body) != apperr.CodeHeaderTooLarge {
			t.Errorf("GET %s with headers over the limit = %d %q, want the surface's %s", path, resp.StatusCode, body, apperr.CodeHeaderTooLarge)
		}
	}
	// Split over many headers, it counts the same.
	many := map[string]string{}
	for i := range 80 {
		many[fmt.Sprintf("X-Filler-%d", i)] = strings.Repeat("y", 1<<10)
	}
	if resp, body := get(t, url+"/open", many); resp.StatusCode != http.StatusTeapot {
		t.Errorf("80 headers of 1 KiB = %d %q, want refused", resp.StatusCode, body)
	}
	resp, body := get(t, url+"/no/such/page", map[string]string{"X-Filler": over})
	checkPage(t, "unclaimed path, oversized headers", resp, body, http.StatusRequestHeaderFieldsTooLarge)
}
