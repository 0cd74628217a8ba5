package store

import (
	"context"
	"encoding/json"
	"os"
	"testing"
)

// TestRowLevelSecurityHidesRowsWithoutTenant proves the second line of
// tenancy on PostgreSQL: a raw SELECT with no WHERE clause, run by the
// application's own role (which owns the tables), sees nothing without a
// tenant, and only the tenant's rows with one.
func TestRowLevelSecurityHidesRowsWithoutTenant(t *testing.T) {
	dbURL := os.Getenv("TEST_DATABASE_URL")
	if dbURL == "" {
		t.Skip("TEST_DATABASE_URL not set: row-level security exists only on PostgreSQL")
	}
	ctx := context.Background()
	s, err := Open(ctx, dbURL, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	var super, bypass bool
	if err := s.pool.QueryRow(ctx, "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user").Scan(&super, &bypass); err != nil {
		t.Fatal(err)
	}
	if super || bypass {
		t.Fatalf("the test role must be a plain role (superuser=%v bypassrls=%v), or RLS proves nothing", super, bypass)
	}

	users := []string{NewID(), NewID()}
	for _, id := range users {
		err := s.Write(ctx, id, func(tx *Tx) error {
			if _, err := tx.CreateUser(ctx, CreateUserParams{ID: id, Email: id + "@example.test", PasswordHash: "x", Plan: "starter", LeadCredits: 5}); err != nil {
				return err
			}
			c, err := tx.CreateCampaign(ctx, CampaignParams{Name: "c", BusinessType: "b", TargetLocation: "l", TargetCriteria: json.RawMessage(`{}`)})
			if err != nil {
				return err
			}
			_, err = tx.InsertProspects(ctx, []NewProspect{{CampaignID: c.ID, CompanyName: "p", Source: "manual", SourceID: "x",
				Contact: &NewContact{Source: "manual"}}})
			if err != nil {
				return err
			}
			return tx.SetAPIKey(ctx, "anthropic", "v1:sealed", "abcd")
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	tables := []string{"profiles", "campaigns", "prospects", "contacts", "enrichments", "lead_scores", "outreach_sequences", "api_usage", "user_api_keys"}
	count := func(userID, table string) int {
		t.Helper()
		var n int
		err := s.Read(ctx, userID, func(tx *Tx) error {
			return tx.q.queryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n)
		})
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
	for _, table := range []string{"profiles", "campaigns", "prospects", "contacts", "user_api_keys"} {
		if n := count(users[0], table); n != 1 {
			t.Errorf("SELECT count(*) FROM %s as one tenant = %d, want exactly its own 1", table, n)
		}
	}

	// Writing a row for another tenant is refused by the policy's WITH CHECK.
	err = s.Write(ctx, users[0], func(tx *Tx) error {
		_, err := tx.q.exec(ctx, `INSERT INTO campaigns (id, user_id, name, business_type, target_location, created_at, updated_at)
			VALUES ($1, $2, 'x', 'x', 'x', now(), now())`, NewID(), users[1])
		return err
	})
	if err == nil {
		t.Error("inserting a campaign for another tenant succeeded; want a row-level security violation")
	}
}
