package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/prospectorhq/prospector/internal/store/txn"
)

// With DATABASE_OWNER_URL, PostgreSQL work is split between two roles. The
// owner's creates and migrates the tables, and so could lift their
// row-level security; the application's, which serves every request and
// runs every job, gets from Migrate only SELECT, INSERT, UPDATE and DELETE
// on them (SELECT alone on schema_migrations) and USAGE on their sequences.
// The store keeps a small pool as the owner for what the application's role
// may not do: migrations, ANALYZE after imports, and the owner lookups of
// owners.go, which row-level security lets through for the owner's role only.

// checkRoles refuses an owner that would not keep the application's role
// from its powers, and remembers the application's role for the grants.
func (s *Store) checkRoles(ctx context.Context) error {
	var app, appDB string
	var super, bypass bool
	err := s.pool.QueryRow(ctx, `SELECT current_user, current_database(), rolsuper, rolbypassrls
		FROM pg_roles WHERE rolname = current_user`).Scan(&app, &appDB, &super, &bypass)
	if err != nil {
		return fmt.Errorf("open postgres: read the role of DATABASE_URL: %w", err)
	}
	var owner, ownerDB string
	var member bool
	err = s.owner.QueryRow(ctx, `SELECT current_user, current_database(), pg_has_role($1, current_user, 'MEMBER')`,
		app).Scan(&owner, &ownerDB, &member)
	if err != nil {
		return fmt.Errorf("open postgres: read the role of DATABASE_OWNER_URL: %w", err)
	}
	switch {
	case ownerDB != appDB:
		return fmt.Errorf("open postgres: DATABASE_OWNER_URL names database %q and DATABASE_URL %q: they must name the same", ownerDB, appDB)
	case owner == app:
		return fmt.Errorf("open postgres: DATABASE_OWNER_URL and DATABASE_URL both connect as %q: "+
			"give the application a role of its own, or unset DATABASE_OWNER_URL", app)
	case super || bypass:
		return fmt.Errorf("open postgres: DATABASE_URL's role %q is a superuser or has BYPASSRLS, so row-level security would not bind it", app)
	case member:
		return fmt.Errorf("open postgres: DATABASE_URL's role %q is a member of %q, DATABASE_OWNER_URL's, "+
			"so it could act as the owner: revoke that membership", app, owner)
	}
	s.appRole = app
	return nil
}

// grantApp refuses a table the application's role owns, and gives that role
// what it needs on every table of the schema, now and (default privileges)
// for tables the owner creates later, such as River's, migrated after ours.
// It runs as the owner on every Migrate, so a new table never goes without.
func (tx *Tx) grantApp(ctx context.Context, app string) error {
	var schema, stranger string
	var usage bool
	err := tx.QueryRow(ctx, `SELECT current_schema(), has_schema_privilege($1, current_schema(), 'USAGE'),
		coalesce((SELECT min(tablename) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = $1), '')`,
		app).Scan(&schema, &usage, &stranger)
	if err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	if stranger != "" {
		// The application's role would keep every power over its own tables.
		return fmt.Errorf("table %s is owned by DATABASE_URL's role %q: make DATABASE_OWNER_URL's role the owner of every table "+
			"(e.g. REASSIGN OWNED BY %s TO the owner, run by a role that is both)", stranger, app, pgx.Identifier{app}.Sanitize())
	}
	in, to := pgx.Identifier{schema}.Sanitize(), pgx.Identifier{app}.Sanitize()
	var stmts []string
	if !usage {
		stmts = append(stmts, "GRANT USAGE ON SCHEMA "+in+" TO "+to)
	}
	stmts = append(stmts,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "+in+" TO "+to,
		"REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM "+to,
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "+in+" TO "+to,
		"ALTER DEFAULT PRIVILEGES IN SCHEMA "+in+" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "+to,
		"ALTER DEFAULT PRIVILEGES IN SCHEMA "+in+" GRANT USAGE, SELECT ON SEQUENCES TO "+to,
	)
	for _, stmt := range stmts {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// pointOwnerLookups gives the owner lookups' policies (migration 0010) to
// the role running the migrations, the tables' owner: they were made for the
// role that created them, and should the tables have changed hands since, as
// from one role to two, they must follow the owner rather than stay with the
// application's role. ALTER POLICY locks its table against every reader, so
// only a policy that needs it is altered.
func (tx *Tx) pointOwnerLookups(ctx context.Context) error {
	tables, err := txn.QueryAll(ctx, tx, "owner lookup policies", txn.ScanID, `SELECT c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
		WHERE p.polname = 'owner_lookup' AND c.relnamespace = current_schema()::regnamespace
		AND p.polroles <> ARRAY[(SELECT oid FROM pg_roles WHERE rolname = current_user)]`)
	if err != nil {
		return err
	}
	for _, table := range tables {
		if _, err := tx.Exec(ctx, "ALTER POLICY owner_lookup ON "+pgx.Identifier{table}.Sanitize()+" TO CURRENT_USER"); err != nil {
			return fmt.Errorf("owner lookup policy on %s: %w", table, err)
		}
	}
	return nil
}
