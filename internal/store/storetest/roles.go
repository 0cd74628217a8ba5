package storetest

import (
	"context"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/store"
)

// The PostgreSQL tests of DATABASE_OWNER_URL need a second login role
// beside TEST_DATABASE_URL's: that one owns and migrates the test database,
// the application role connects with only the grants Migrate gives it.
// scripts/pg-test-server.sh creates it as TEST_DATABASE_URL's user with
// "_app" appended and the same password; TEST_DATABASE_APP_URL names another
// (its user and password are used, its database is ignored).

var appRole struct {
	once sync.Once
	user *url.Userinfo
	err  error
}

// appRoleUser returns the application role's credentials, checking once that
// they log in.
func appRoleUser() (*url.Userinfo, error) {
	appRole.once.Do(func() {
		base, err := url.Parse(os.Getenv("TEST_DATABASE_URL"))
		if err != nil {
			appRole.err = err
			return
		}
		if explicit := os.Getenv("TEST_DATABASE_APP_URL"); explicit != "" {
			u, err := url.Parse(explicit)
			if err != nil {
				appRole.err = err
				return
			}
			appRole.user = u.User
		} else {
			password, _ := base.User.Password()
			appRole.user = url.UserPassword(base.User.Username()+"_app", password)
		}
		base.User = appRole.user
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base.String())
		if err != nil {
			appRole.err = err
			return
		}
		appRole.err = conn.Close(ctx)
	})
	return appRole.user, appRole.err
}

// SplitPostgresURLs creates a database for this test, dropped after it, and
// returns two URLs for it: ownerURL as TEST_DATABASE_URL's role, which owns
// it (DATABASE_OWNER_URL), and appURL as the application role
// (DATABASE_URL). The test is skipped without TEST_DATABASE_URL, and when the
// application role cannot log in, unless TEST_DATABASE_APP_URL or CI is set:
// then it fails, so CI never skips these tests quietly.
func SplitPostgresURLs(t testing.TB) (appURL, ownerURL string) {
	t.Helper()
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL not set: DATABASE_OWNER_URL exists only on PostgreSQL")
	}
	user, err := appRoleUser()
	if err != nil {
		msg := "the application role of the DATABASE_OWNER_URL tests cannot log in: %v " +
			"(scripts/pg-test-server.sh creates it; TEST_DATABASE_APP_URL names another)"
		if os.Getenv("TEST_DATABASE_APP_URL") != "" || os.Getenv("CI") != "" {
			t.Fatalf(msg, err)
		}
		t.Skipf(msg, err)
	}
	ownerURL = FreshPostgresURL(t)
	u, err := url.Parse(ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = user
	return u.String(), ownerURL
}

// OpenSplit opens a store on a fresh PostgreSQL database as the application
// role, migrated as its owner (store.Options.OwnerURL), and closes it after
// the test.
func OpenSplit(t testing.TB) *store.Store {
	t.Helper()
	appURL, ownerURL := SplitPostgresURLs(t)
	s, err := store.Open(context.Background(), appURL, store.Options{OwnerURL: ownerURL})
	if err != nil {
		t.Fatalf("open postgres store with an owner: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate as the owner: %v", err)
	}
	return s
}
