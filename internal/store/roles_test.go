package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// TestAppRoleCannotLiftRowLevelSecurity runs the store as the application's
// role with the tables owned by another (DATABASE_OWNER_URL): tenants'
// writes, searches and owner lookups work as usual, but the role cannot
// change a table or a policy, lift row-level security, empty a table or
// become the owner.
func TestAppRoleCannotLiftRowLevelSecurity(t *testing.T) {
	s := storetest.OpenSplit(t)
	ctx := context.Background()
	f := newSearchFixture(t, s, store.Postgres)
	f.checkIndex(t)
	f.expect(t, store.ProspectFilter{Query: "riverbend"}, []string{"Riverbend Plumbing"})
	f.expect(t, store.ProspectFilter{Query: "zeta services 1999"}, []string{"Zeta Services 1999"})
	f.expect(t, store.ProspectFilter{Query: "sewer", CampaignID: f.campaign2}, []string{"Sewer Pros"})
	if owner, err := s.ProspectOwner(ctx, f.ids["Riverbend Plumbing"]); err != nil || owner != f.user {
		t.Errorf("ProspectOwner = %q, %v; want %q", owner, err, f.user)
	}
	if owner, err := s.CampaignOwner(ctx, f.campaign); err != nil || owner != f.user {
		t.Errorf("CampaignOwner = %q, %v; want %q", owner, err, f.user)
	}

	var app, owner string
	if err := s.PGPool().QueryRow(ctx, "SELECT current_user").Scan(&app); err != nil {
		t.Fatal(err)
	}
	if err := s.PGOwnerPool().QueryRow(ctx, "SELECT current_user").Scan(&owner); err != nil {
		t.Fatal(err)
	}
	if app == owner {
		t.Fatalf("both pools connect as %q", app)
	}
	for _, stmt := range []string{
		"ALTER TABLE campaigns NO FORCE ROW LEVEL SECURITY",
		"ALTER TABLE prospects DISABLE ROW LEVEL SECURITY",
		"ALTER TABLE prospect_search NO FORCE ROW LEVEL SECURITY",
		"DROP POLICY tenant_isolation ON campaigns",
		"CREATE POLICY everyone ON prospects USING (true)",
		"TRUNCATE campaigns",
		"DELETE FROM schema_migrations",
		"SET ROLE " + pgx.Identifier{owner}.Sanitize(),
	} {
		_, err := s.PGPool().Exec(ctx, stmt)
		if pgErr := (*pgconn.PgError)(nil); !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("%s, as the application's role: err = %v, want insufficient_privilege (42501)", stmt, err)
		}
	}

	// Statistics are the owner's to gather: the application's role would be
	// skipped with a warning.
	if err := s.RefreshPlannerStats(ctx); err != nil {
		t.Fatal(err)
	}
	var tuples float64
	if err := s.PGPool().QueryRow(ctx, "SELECT reltuples FROM pg_class WHERE oid = 'prospect_search'::regclass").Scan(&tuples); err != nil {
		t.Fatal(err)
	}
	if tuples < 1 {
		t.Errorf("prospect_search has reltuples %v after RefreshPlannerStats, want the rows counted by ANALYZE", tuples)
	}
}

// TestOpenRefusesAnOwnerThatSeparatesNothing: an owner URL for SQLite, for
// the application's own role or for another database is a mistake to stop
// at, not a split to trust.
func TestOpenRefusesAnOwnerThatSeparatesNothing(t *testing.T) {
	ctx := context.Background()
	open := func(dbURL, ownerURL string) error {
		s, err := store.Open(ctx, dbURL, store.Options{OwnerURL: ownerURL})
		if err == nil {
			s.Close()
		}
		return err
	}
	if err := open(storetest.SQLiteURL(t), "postgres://owner@127.0.0.1:1/p"); err == nil || !strings.Contains(err.Error(), "PostgreSQL only") {
		t.Errorf("SQLite with an owner URL: err = %v, want PostgreSQL only", err)
	}
	appURL, ownerURL := storetest.SplitPostgresURLs(t)
	if err := open(ownerURL, ownerURL); err == nil || !strings.Contains(err.Error(), "both connect as") {
		t.Errorf("the same role twice: err = %v, want a refusal", err)
	}
	_, elsewhere := storetest.SplitPostgresURLs(t)
	if err := open(appURL, elsewhere); err == nil || !strings.Contains(err.Error(), "must name the same") {
		t.Errorf("the owner of another database: err = %v, want a refusal", err)
	}
	if err := open(appURL, ownerURL); err != nil {
		t.Errorf("the application's role and the owner: %v", err)
	}
}

// TestMigrateGivesOwnerLookupsToTheOwner: a database that began on one role
// and was handed to an owner (REASSIGN OWNED) keeps policies made for the
// first role, now the application's. Migrate gives the owner lookups' policies
// to the owner, so the application's role loses them and the store's owner
// lookups, made as the owner, work.
func TestMigrateGivesOwnerLookupsToTheOwner(t *testing.T) {
	s := storetest.OpenSplit(t)
	ctx := context.Background()
	user := storetest.NewUser(t, s, storetest.UserParams{}).ID
	campaign := newCampaign(t, s, user, "handed over").ID
	var app string
	if err := s.PGPool().QueryRow(ctx, "SELECT current_user").Scan(&app); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"campaigns", "prospects"} {
		if _, err := s.PGOwnerPool().Exec(ctx, "ALTER POLICY owner_lookup ON "+table+" TO "+pgx.Identifier{app}.Sanitize()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CampaignOwner(ctx, campaign); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("CampaignOwner with the policies on the application's role: err = %v, want ErrNotFound (the test sets up nothing)", err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if owner, err := s.CampaignOwner(ctx, campaign); err != nil || owner != user {
		t.Errorf("CampaignOwner after Migrate = %q, %v; want %q", owner, err, user)
	}
	var n int
	err := pgx.BeginTxFunc(ctx, s.PGPool(), pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.owner_lookup', $1, true)", campaign); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT count(*) FROM campaigns").Scan(&n)
	})
	if err != nil || n != 0 {
		t.Errorf("the application's role naming a campaign after Migrate sees %d, %v; want 0", n, err)
	}
}
