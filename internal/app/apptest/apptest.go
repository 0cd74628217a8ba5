// Package apptest boots the whole program for tests: real configuration,
// real database (SQLite, or PostgreSQL with TEST_DATABASE_URL), real HTTP on
// a loopback port, and a small client to drive it.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/api"
	"github.com/prospectorhq/prospector/internal/app"
	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
	"github.com/prospectorhq/prospector/internal/web"
)

// Server is a running Prospector.
type Server struct {
	URL    string
	App    *app.App
	Engine store.Engine
	Env    map[string]string
	// Sandbox is the running sandbox when Options.Sandbox was set.
	Sandbox *sandbox.Sandbox

	stop     context.CancelFunc
	stopped  sync.WaitGroup
	stopOnce sync.Once
}

// Stop shuts the server down the way SIGTERM does and waits for it.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		s.stop()
		s.stopped.Wait()
		s.App.Close()
	})
}

// Options tune Start.
type Options struct {
	Env map[string]string // extra environment
	Now func() time.Time
	// LogTo captures the full info-level log (safe for concurrent writes).
	LogTo io.Writer
	// Sandbox, when set, starts the sandbox with these options and points
	// the external clients at it (Server.Sandbox).
	Sandbox *sandbox.Options
	// SeparateOwner (PostgreSQL) connects as a role with only the grants the
	// application needs, and migrates as the database's owner
	// (DATABASE_OWNER_URL; see storetest.SplitPostgresURLs).
	SeparateOwner bool
	// Live times the live progress streams (zero: the server's defaults).
	Live api.LiveOptions
}

// Start boots Prospector on e and stops it when the test ends.
func Start(t testing.TB, e storetest.Engine, opts Options) *Server {
	t.Helper()
	dbURL := e.URL
	if e.Name == store.Postgres {
		// Each server gets its own database: River instances sharing one
		// would work each other's jobs with their own configuration.
		dbURL = storetest.FreshPostgresURL
	}
	env := map[string]string{
		"DATA_DIR": t.TempDir(),
		// Keyless services default to the real internet; tests never go there.
		"NOMINATIM_URL": "http://127.0.0.1:1",
		"OVERPASS_URL":  "http://127.0.0.1:1/api/interpreter",
		"LISTEN_ADDR":   "127.0.0.1:0",
		"SECRET_KEY":    "test-secret-key-that-is-long-enough-0123456789",
		"LOG_LEVEL":     "error",
		// Tests poll the API far faster than a person clicks; the limit has
		// its own tests, which set this (internal/api/ratelimit_test.go).
		"RATE_LIMIT_PER_MINUTE": "0",
	}
	if e.Name == store.Postgres && opts.SeparateOwner {
		env["DATABASE_URL"], env["DATABASE_OWNER_URL"] = storetest.SplitPostgresURLs(t)
	} else {
		env["DATABASE_URL"] = dbURL(t)
	}
	var sb *sandbox.Sandbox
	if opts.Sandbox != nil {
		var err error
		so := *opts.Sandbox
		so.WebsitePorts = true
		if so.SlowSiteDelay == 0 {
			so.SlowSiteDelay = 50 * time.Millisecond // the 3 s default is for people watching the demo
		}
		if sb, err = sandbox.Start(context.Background(), so); err != nil {
			t.Fatalf("start sandbox: %v", err)
		}
		t.Cleanup(func() { sb.Close() })
		if _, err := sb.WriteCA(env["DATA_DIR"]); err != nil {
			t.Fatalf("sandbox CA: %v", err)
		}
		for k, v := range sb.Env() {
			env[k] = v
		}
	}
	for k, v := range opts.Env {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	logger := testLogger(t)
	if opts.LogTo != nil {
		logger = slog.New(slog.NewTextHandler(&lockedWriter{w: opts.LogTo}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	var sandboxMail func() []web.SandboxMessage
	if sb != nil {
		sandboxMail = app.SandboxMail(sb)
	}
	a, err := app.New(ctx, cfg, app.Options{Serve: true, Work: true, Now: opts.Now, Logger: logger, SandboxMail: sandboxMail,
		// Tests stop servers with jobs still running (a paused campaign's
		// discovery, say): a short grace keeps the suite quick.
		ShutdownGrace: time.Second, Live: opts.Live})
	if err != nil {
		cancel()
		t.Fatalf("start app: %v", err)
	}
	srv := &Server{URL: "http://" + a.Addr(), App: a, Engine: e.Name, Env: env, Sandbox: sb, stop: cancel}
	if sb != nil {
		// The sandbox's payment page delivers Stripe's webhooks here.
		sb.Stripe().SetWebhook(srv.URL + "/api/webhooks/stripe")
	}
	srv.stopped.Add(1)
	go func() {
		defer srv.stopped.Done()
		if err := a.Run(ctx); err != nil {
			t.Errorf("app run: %v", err)
		}
	}()
	t.Cleanup(srv.Stop)
	return srv
}

// Client talks to a Server as one user (or none).
type Client struct {
	t      testing.TB
	s      *Server
	HTTP   *http.Client
	Token  string // Bearer access token, when set
	Header http.Header
}

// Client returns an anonymous client with its own cookie jar.
func (s *Server) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, s: s, HTTP: &http.Client{Jar: jar, Timeout: 60 * time.Second}, Header: http.Header{}}
}

// Response is a finished HTTP exchange.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it is not JSON.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.Body)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// ErrorCode returns error.code of an error body ("" if none).
func (r *Response) ErrorCode(t testing.TB) string {
	t.Helper()
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	r.JSON(t, &e)
	return e.Error.Code
}

// Do sends a request with a raw body and content type.
func (c *Client) Do(method, path, contentType string, body io.Reader) *Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.s.URL+path, body)
	if err != nil {
		c.t.Fatalf("new request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// JSON sends v (a string is sent verbatim) as a JSON body.
func (c *Client) JSON(method, path string, v any) *Response {
	c.t.Helper()
	var body io.Reader
	switch b := v.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			c.t.Fatalf("marshal: %v", err)
		}
		body = bytes.NewReader(raw)
	}
	ct := ""
	if body != nil {
		ct = "application/json"
	}
	return c.Do(method, path, ct, body)
}

// Get is a GET.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	return c.Do(http.MethodGet, path, "", nil)
}

// User is a signed-up account.
type User struct {
	ID           string
	Email        string
	Password     string
	AccessToken  string
	RefreshToken string
}

// SignUp creates a fresh account and returns a client authenticated as it
// with a Bearer token.
func (s *Server) SignUp(t testing.TB) (*Client, User) {
	t.Helper()
	c := s.Client(t)
	u := User{Email: "u-" + store.NewID() + "@example.test", Password: "correct horse battery"}
	resp := c.JSON(http.MethodPost, "/api/auth/signup", map[string]any{"email": u.Email, "password": u.Password})
	if resp.Status != http.StatusCreated {
		t.Fatalf("signup: %d %s", resp.Status, resp.Body)
	}
	var g struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	resp.JSON(t, &g)
	u.ID, u.AccessToken, u.RefreshToken = g.User.ID, g.AccessToken, g.RefreshToken
	bearer := s.Client(t)
	bearer.Token = g.AccessToken
	return bearer, u
}

// WaitJobsIdle waits until the job queue holds no job that is waiting,
// running or due for a retry: every stage the test set off has finished.
func (s *Server) WaitJobsIdle(t testing.TB) {
	t.Helper()
	const q = `SELECT count(*) FROM river_job WHERE state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`
	deadline := time.Now().Add(60 * time.Second)
	for {
		var n int
		var err error
		ctx := context.Background()
		if s.Engine == store.Postgres {
			err = s.App.Store.PGPool().QueryRow(ctx, q).Scan(&n)
		} else {
			err = s.App.Store.SQLiteWriter().QueryRowContext(ctx, q).Scan(&n)
		}
		if err != nil {
			t.Fatalf("count queued jobs: %v", err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still queued after 60s", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
