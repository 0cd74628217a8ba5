package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prospectorhq/prospector/internal/app"
	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func forgetNewestMigration(t *testing.T, dbURL string) {
	t.Helper()
	const q = "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)"
	ctx := context.Background()
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
		return
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, q); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := app.Main(ctx, args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DATA_DIR": dir}

	if code, out, _ := run(t, env, "version"); code != 0 || !strings.HasPrefix(out, "prospector ") {
		t.Errorf("version = %d %q", code, out)
	}
	if code, _, errOut := run(t, env, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command = %d %q", code, errOut)
	}
	bad := map[string]string{"DATA_DIR": dir, "LISTEN_ADDR": "nope"}
	code, _, errOut := run(t, bad, "serve")
	if code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "LISTEN_ADDR") {
		t.Errorf("bad config = %d %q, want exit 1 and one line naming LISTEN_ADDR", code, errOut)
	}

	if code, out, _ := run(t, env, "migrate", "status"); code != 3 || !strings.Contains(out, "pending") {
		t.Errorf("status before migrating = %d %q, want 3 with pending migrations", code, out)
	}
	if code, out, errOut := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate up = %d %q %q", code, out, errOut)
	}
	if code, out, _ := run(t, env, "migrate", "status"); code != 0 || strings.Contains(out, "pending") || !strings.Contains(out, "0001_schema") {
		t.Errorf("status after migrating = %d %q", code, out)
	}
	if code, _, _ := run(t, env, "migrate", "sideways"); code != 2 {
		t.Errorf("migrate sideways = %d, want 2", code)
	}
}

func TestReadyzFailsOnOutdatedSchema(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		if e.Name == store.Postgres {
			e.URL = storetest.FreshPostgresURL // this test breaks its schema on purpose
		}
		srv := apptest.Start(t, e, apptest.Options{})
		c := srv.Client(t)
		if resp := c.Get("/readyz"); resp.Status != 200 {
			t.Fatalf("readyz = %d", resp.Status)
		}
		// Forget the newest migration, as if the binary were newer than the database.
		forgetNewestMigration(t, srv.Env["DATABASE_URL"])
		if resp := c.Get("/readyz"); resp.Status != http.StatusServiceUnavailable {
			t.Errorf("readyz with a pending migration = %d, want 503", resp.Status)
		}
		if resp := c.Get("/healthz"); resp.Status != 200 {
			t.Errorf("healthz = %d, want 200 while the process lives", resp.Status)
		}
	})
}

func TestShutdownFinishesInFlightRequests(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	c, u := srv.SignUp(t)
	id := c.JSON("POST", "/api/campaigns", map[string]any{"name": "n", "business_type": "b", "target_location": "Austin, TX"}).Map(t)["id"].(string)

	// An upload still arriving when shutdown begins must still be served.
	body, feed := io.Pipe()
	req, _ := http.NewRequest("POST", srv.URL+"/api/campaigns/"+id+"/import", body)
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+u.AccessToken)
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		resp.Body.Close()
		done <- result{status: resp.StatusCode}
	}()
	io.WriteString(feed, "company_name,website\nFirst Co,first.example\n")
	time.Sleep(200 * time.Millisecond) // let the server start reading the request
	stopped := make(chan struct{})
	go func() { srv.Stop(); close(stopped) }()
	time.Sleep(200 * time.Millisecond) // shutdown is now waiting for the upload
	io.WriteString(feed, "Second Co,second.example\n")
	feed.Close()

	select {
	case r := <-done:
		if r.err != nil || r.status != http.StatusOK {
			t.Errorf("in-flight upload during shutdown = %d, %v; want 200", r.status, r.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("in-flight request never finished")
	}
	<-stopped
	if _, err := http.Get(srv.URL + "/healthz"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}
