package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/store"
)

// OpenFresh opens and migrates a store on a database of its own (a fresh
// file on SQLite, a fresh database on PostgreSQL) and returns its URL too,
// for tests that look at every row of every table (Mentions).
func OpenFresh(t testing.TB, e Engine) (*store.Store, string) {
	t.Helper()
	u := SQLiteURL(t)
	if e.Name == store.Postgres {
		u = FreshPostgresURL(t)
	}
	return Open(t, Engine{Name: e.Name, URL: func(testing.TB) string { return u }}), u
}

// Mentions counts, per table, the rows of every table in the database
// (tenant or not, River's included) in which needle appears anywhere: in
// any column, as text, JSON or bytes. On PostgreSQL it counts as the
// tables' owner with row-level security lifted (in a transaction that is
// rolled back), so no policy hides a row from it. Tables without a match
// are left out, so an empty map means needle is nowhere.
func Mentions(t testing.TB, s *store.Store, dbURL, needle string) map[string]int {
	t.Helper()
	ctx := context.Background()
	found := map[string]int{}
	if s.Engine() == store.Postgres {
		conn, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			t.Fatalf("mentions: connect: %v", err)
		}
		defer conn.Close(ctx)
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatalf("mentions: begin: %v", err)
		}
		defer tx.Rollback(ctx) //nolint:errcheck // rolled back on purpose: the ALTERs must not stay
		rows, err := tx.Query(ctx, `SELECT c.relname, c.relforcerowsecurity FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`)
		if err != nil {
			t.Fatalf("mentions: tables: %v", err)
		}
		type table struct {
			name   string
			forced bool
		}
		tables, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tb table, err error) {
			return tb, r.Scan(&tb.name, &tb.forced)
		})
		if err != nil {
			t.Fatalf("mentions: tables: %v", err)
		}
		for _, tb := range tables {
			id := pgx.Identifier{tb.name}.Sanitize()
			if tb.forced {
				if _, err := tx.Exec(ctx, "ALTER TABLE "+id+" NO FORCE ROW LEVEL SECURITY"); err != nil {
					t.Fatalf("mentions: lift row-level security on %s (run as the tables' owner): %v", tb.name, err)
				}
			}
			var n int
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+id+" t WHERE strpos(t::text, $1) > 0", needle).Scan(&n); err != nil {
				t.Fatalf("mentions: count %s: %v", tb.name, err)
			}
			if n > 0 {
				found[tb.name] = n
			}
		}
		return found
	}
	db := s.SQLiteWriter()
	tables := sqliteColumns(t, db)
	for name, cols := range tables {
		for _, col := range cols {
			var n int
			q := `SELECT count(*) FROM "` + name + `" WHERE instr(CAST("` + col + `" AS BLOB), CAST(? AS BLOB)) > 0`
			if err := db.QueryRowContext(ctx, q, needle).Scan(&n); err != nil {
				t.Fatalf("mentions: count %s.%s: %v", name, col, err)
			}
			if n > 0 {
				found[name] += n
			}
		}
	}
	return found
}

func sqliteColumns(t testing.TB, db *sql.DB) map[string][]string {
	t.Helper()
	rows, err := db.Query(`SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatalf("mentions: tables: %v", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatalf("mentions: tables: %v", err)
		}
		out[table] = append(out[table], col)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("mentions: tables: %v", err)
	}
	return out
}
