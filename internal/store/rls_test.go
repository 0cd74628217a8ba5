package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// openOwnerPostgres opens a migrated store on a fresh PostgreSQL database as
// TEST_DATABASE_URL's role, which owns its tables (no DATABASE_OWNER_URL).
func openOwnerPostgres(t *testing.T) *store.Store {
	t.Helper()
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL not set: row-level security exists only on PostgreSQL")
	}
	return storetest.Open(t, storetest.Engine{Name: store.Postgres, URL: storetest.FreshPostgresURL})
}

// rawTx runs fn in a transaction on the store's pool (the application's
// role), as userID when not empty: plain SQL, with nothing but row-level
// security to scope it.
func rawTx(t *testing.T, s *store.Store, userID string, fn func(pgx.Tx) error) error {
	t.Helper()
	ctx := context.Background()
	return pgx.BeginTxFunc(ctx, s.PGPool(), pgx.TxOptions{}, func(tx pgx.Tx) error {
		if userID != "" {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", userID); err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

// rlsTenants creates two tenants, each with a campaign, a prospect (and so
// its contact and search row) and an API key, and returns their ids and
// campaigns' ids.
func rlsTenants(t *testing.T, s *store.Store) (users, campaigns []string) {
	t.Helper()
	ctx := context.Background()
	for range 2 {
		id := storetest.NewUser(t, s, storetest.UserParams{}).ID
		write(t, s, id, func(tx *store.Tx) error {
			c, err := tx.CreateCampaign(ctx, store.CampaignParams{Name: "c", BusinessType: "b", TargetLocation: "l", TargetCriteria: json.RawMessage(`{}`)})
			if err != nil {
				return err
			}
			campaigns = append(campaigns, c.ID)
			_, err = tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: c.ID, CompanyName: "Secret Plumbing " + id,
				Website: ptr("https://secret.example"), City: ptr("Austin"), Source: "manual", SourceID: "x",
				Contact: &store.NewContact{Source: "manual"}}})
			if err != nil {
				return err
			}
			return tx.SetAPIKey(ctx, "anthropic", "v1:sealed", "abcd")
		})
		users = append(users, id)
	}
	return users, campaigns
}

// TestRowLevelSecurityHidesRowsWithoutTenant proves the second line of
// tenancy on PostgreSQL: a raw SELECT with no WHERE clause, run by the
// application's own role, sees nothing without a tenant, and only the
// tenant's rows with one, on every tenant table and on the search index's
// side table, which holds their names, websites and cities. It holds for a
// role that owns the tables (forced row-level security) and for one that
// does not (DATABASE_OWNER_URL).
func TestRowLevelSecurityHidesRowsWithoutTenant(t *testing.T) {
	for _, c := range []struct {
		name string
		open func(t *testing.T) *store.Store
	}{{"owner", openOwnerPostgres}, {"application role", func(t *testing.T) *store.Store { return storetest.OpenSplit(t) }}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			checkRowSecurity(t, c.open(t))
		})
	}
}

func checkRowSecurity(t *testing.T, s *store.Store) {
	ctx := context.Background()
	var super, bypass bool
	if err := s.PGPool().QueryRow(ctx, "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user").Scan(&super, &bypass); err != nil {
		t.Fatal(err)
	}
	if super || bypass {
		t.Fatalf("the test role must be a plain role (superuser=%v bypassrls=%v), or RLS proves nothing", super, bypass)
	}
	users, _ := rlsTenants(t, s)

	tables := []string{"profiles", "campaigns", "prospects", "contacts", "enrichments", "lead_scores", "outreach_sequences", "api_usage",
		"user_api_keys", "prospect_search"}
	count := func(userID, table string) int {
		t.Helper()
		var n int
		err := rawTx(t, s, userID, func(tx pgx.Tx) error { return tx.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n) })
		if err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		return n
	}
	for _, table := range tables {
		if n := count("", table); n != 0 {
			t.Errorf("SELECT count(*) FROM %s without a tenant = %d, want 0", table, n)
		}
	}
	for _, table := range []string{"profiles", "campaigns", "prospects", "contacts", "user_api_keys", "prospect_search"} {
		if n := count(users[0], table); n != 1 {
			t.Errorf("SELECT count(*) FROM %s as one tenant = %d, want exactly its own 1", table, n)
		}
	}

	// Writing a row for another tenant is refused by the policy's WITH CHECK.
	err := rawTx(t, s, users[0], func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO campaigns (id, user_id, name, business_type, target_location, created_at, updated_at)
			VALUES ($1, $2, 'x', 'x', 'x', now(), now())`, store.NewID(), users[1])
		return err
	})
	if err == nil {
		t.Error("inserting a campaign for another tenant succeeded; want a row-level security violation")
	}
}

// TestSystemSettingsUnlockNothing: no transaction of the application's role
// can switch on cross-tenant reads. app.role = 'system', which once unlocked
// every campaign and prospect, does nothing; the owner lookups' own setting
// does nothing for an application's role that is not the tables' owner
// (DATABASE_OWNER_URL), and for one that is, shows only the row it names.
// The store's owner lookups find every owner either way.
func TestSystemSettingsUnlockNothing(t *testing.T) {
	for _, c := range []struct {
		name     string
		open     func(t *testing.T) *store.Store
		separate bool
	}{
		{"owner", openOwnerPostgres, false},
		{"application role", func(t *testing.T) *store.Store { return storetest.OpenSplit(t) }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := c.open(t)
			users, campaigns := rlsTenants(t, s)
			visible := func(userID, setting, value string) (n int, ids []string) {
				t.Helper()
				err := rawTx(t, s, userID, func(tx pgx.Tx) error {
					if _, err := tx.Exec(ctx, "SELECT set_config($1, $2, true)", setting, value); err != nil {
						return err
					}
					if err := tx.QueryRow(ctx, "SELECT count(*) FROM prospects").Scan(&n); err != nil {
						return err
					}
					rows, err := tx.Query(ctx, "SELECT id::text FROM campaigns ORDER BY id")
					if err != nil {
						return err
					}
					ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
					return err
				})
				if err != nil {
					t.Fatalf("%s = %q: %v", setting, value, err)
				}
				return n, ids
			}
			if n, ids := visible("", "app.role", "system"); n != 0 || len(ids) != 0 {
				t.Errorf("app.role = system without a tenant: %d prospects, campaigns %q; want none", n, ids)
			}
			if n, ids := visible(users[0], "app.role", "system"); n != 1 || len(ids) != 1 || ids[0] != campaigns[0] {
				t.Errorf("app.role = system as a tenant: %d prospects, campaigns %q; want its own 1 and %q", n, ids, campaigns[0])
			}
			wantOther := []string{campaigns[1]} // the one row named, as the owner
			if c.separate {
				wantOther = nil
			}
			if n, ids := visible("", "app.owner_lookup", campaigns[1]); n != 0 || !slices.Equal(ids, wantOther) {
				t.Errorf("app.owner_lookup = another tenant's campaign: %d prospects, campaigns %q; want 0 and %q", n, ids, wantOther)
			}
			for i := range users {
				if owner, err := s.CampaignOwner(ctx, campaigns[i]); err != nil || owner != users[i] {
					t.Errorf("CampaignOwner(%s) = %q, %v; want %q", campaigns[i], owner, err, users[i])
				}
			}
			if _, err := s.CampaignOwner(ctx, store.NewID()); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("CampaignOwner(unknown id) err = %v, want ErrNotFound", err)
			}
		})
	}
}

// Every table that holds a tenant's rows (a user_id column, and profiles
// itself) has row-level security enabled and forced, so a table added
// later without its policy fails here rather than in an audit. Sessions
// are the exception: they are found by a cookie's or a token's hash before
// anyone knows the tenant, which is what they are for.
func TestEveryTenantTableForcesRowLevelSecurity(t *testing.T) {
	s := openOwnerPostgres(t)
	err := rawTx(t, s, "", func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `
			SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relkind = 'r'
			  AND (c.relname = 'profiles' OR EXISTS (SELECT 1 FROM information_schema.columns col
			        WHERE col.table_schema = n.nspname AND col.table_name = c.relname AND col.column_name = 'user_id'))
			ORDER BY c.relname`)
		if err != nil {
			return err
		}
		defer rows.Close()
		seen := 0
		for rows.Next() {
			var name string
			var enabled, forced bool
			if err := rows.Scan(&name, &enabled, &forced); err != nil {
				return err
			}
			seen++
			if name == "sessions" {
				continue
			}
			if !enabled || !forced {
				t.Errorf("table %s: row-level security enabled=%v forced=%v, want both", name, enabled, forced)
			}
		}
		if seen < 12 {
			t.Errorf("found %d tenant tables, want at least 12 (profiles … messages)", seen)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
