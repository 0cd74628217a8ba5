// Package storetest opens migrated stores for tests, on SQLite always and on
// PostgreSQL when TEST_DATABASE_URL is set, so one behaviour suite runs on
// both engines.
package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/store"
)

// Engine is a database engine a test can run on.
type Engine struct {
	Name store.Engine
	// URL returns a database URL for one test. SQLite gets a fresh file per
	// test; PostgreSQL shares one fresh database per test binary, and tests
	// isolate themselves by creating their own users (tenancy does the rest).
	URL func(t testing.TB) string
}

// Engines lists SQLite and, when TEST_DATABASE_URL is set, PostgreSQL.
func Engines() []Engine {
	engines := []Engine{{Name: store.SQLite, URL: SQLiteURL}}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		engines = append(engines, Engine{Name: store.Postgres, URL: SharedPostgresURL})
	}
	return engines
}

// Run runs fn as a subtest per engine.
func Run(t *testing.T, fn func(t *testing.T, e Engine)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(string(e.Name), func(t *testing.T) { fn(t, e) })
	}
}

// SQLiteURL is a fresh database file in the test's temporary folder.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

var shared struct {
	once sync.Once
	url  string
	err  error
}

// SharedPostgresURL is a database created once per test binary on the server
// named by TEST_DATABASE_URL (the role needs CREATEDB). Databases left by
// earlier runs more than a day old are dropped on the way.
func SharedPostgresURL(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() { shared.url, shared.err = createDatabase() })
	if shared.err != nil {
		t.Fatalf("postgres test database: %v", shared.err)
	}
	return shared.url
}

// FreshPostgresURL creates a database just for this test, dropped after it.
func FreshPostgresURL(t testing.TB) string {
	t.Helper()
	u, err := createDatabase()
	if err != nil {
		t.Fatalf("postgres test database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(u) })
	return u
}

const dbPrefix = "prospector_t_"

func createDatabase() (string, error) {
	base := os.Getenv("TEST_DATABASE_URL")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	dropStale(ctx, conn)
	name := fmt.Sprintf("%s%d_%06d", dbPrefix, time.Now().Unix(), rand.IntN(1_000_000))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func dropStale(ctx context.Context, conn *pgx.Conn) {
	rows, err := conn.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE $1", dbPrefix+"%")
	if err != nil {
		return
	}
	names, _ := pgx.CollectRows(rows, pgx.RowTo[string])
	for _, n := range names {
		ts, _, _ := strings.Cut(strings.TrimPrefix(n, dbPrefix), "_")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err == nil && time.Since(time.Unix(sec, 0)) > 24*time.Hour {
			conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{n}.Sanitize()+" WITH (FORCE)") //nolint:errcheck
		}
	}
}

func dropDatabase(dbURL string) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return
	}
	name := strings.TrimPrefix(u.Path, "/")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, os.Getenv("TEST_DATABASE_URL"))
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)") //nolint:errcheck
}

// Open opens and migrates a store on e for one test and closes it after.
func Open(t testing.TB, e Engine) *store.Store {
	t.Helper()
	return OpenWith(t, e, store.Options{})
}

// OpenWith is Open with options (an injected clock).
func OpenWith(t testing.TB, e Engine, opts store.Options) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), e.URL(t), opts)
	if err != nil {
		t.Fatalf("open %s store: %v", e.Name, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", e.Name, err)
	}
	return s
}

// UserParams are optional fields for NewUser.
type UserParams struct {
	Email       string
	LeadCredits int
}

// NewUser creates an account with a unique email and returns its profile.
func NewUser(t testing.TB, s *store.Store, p UserParams) store.Profile {
	t.Helper()
	id := store.NewID()
	if p.Email == "" {
		p.Email = "user-" + id + "@example.test"
	}
	if p.LeadCredits == 0 {
		p.LeadCredits = 500
	}
	var prof store.Profile
	err := s.Write(context.Background(), id, func(tx *store.Tx) error {
		var err error
		prof, err = tx.CreateUser(context.Background(), store.CreateUserParams{
			ID: id, Email: p.Email, PasswordHash: "not-a-real-hash", Plan: "starter", LeadCredits: p.LeadCredits,
		})
		return err
	})
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return prof
}
