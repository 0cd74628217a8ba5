package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prospectorhq/prospector/internal/store/txn"
)

//go:embed migrations/*/*.sql
var migrationFS embed.FS

// Migration is one numbered SQL file.
type Migration struct {
	Version   int
	Name      string
	AppliedAt *time.Time
}

type migrationFile struct {
	Migration
	sql string
}

func (s *Store) migrationFiles() ([]migrationFile, error) {
	dir := path.Join("migrations", string(s.engine))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var files []migrationFile
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", name)
		}
		body, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		files = append(files, migrationFile{Migration{Version: version, Name: strings.TrimSuffix(name, ".sql")}, string(body)})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Version < files[j].Version })
	return files, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TIMESTAMP NOT NULL
)`

// Migrate applies every pending migration, each in its own transaction, and
// returns the ones it applied. On PostgreSQL an advisory lock keeps two
// instances starting together from racing, and with an owner
// (Options.OwnerURL) everything runs as the owner, which then grants the
// application's role what it needs (roles.go).
func (s *Store) Migrate(ctx context.Context) ([]Migration, error) {
	files, err := s.migrationFiles()
	if err != nil {
		return nil, err
	}
	if s.engine == Postgres {
		conn, err := s.PGOwnerPool().Acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		defer conn.Release()
		const lockKey = 7283451 // any constant unique to Prospector's migrations
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey) //nolint:errcheck
	}
	if err := s.ownerWrite(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, createMigrationsTable)
		return err
	}); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	applied, err := s.appliedVersions(ctx, s.ownerWrite)
	if err != nil {
		return nil, err
	}
	var done []Migration
	for _, f := range files {
		if _, ok := applied[f.Version]; ok {
			continue
		}
		raced := false
		err := s.ownerWrite(ctx, func(tx *Tx) error {
			// Another process on the same SQLite file (a worker started
			// beside the server) may have applied it since the list was
			// read: the single writer makes this check and the script one
			// step. (PostgreSQL's advisory lock already serializes them.)
			var n int
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM schema_migrations WHERE version = $1", f.Version).Scan(&n); err != nil {
				return err
			}
			if raced = n > 0; raced {
				return nil
			}
			if err := tx.execScript(ctx, f.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				f.Version, f.Name, tx.Now())
			return err
		})
		if err != nil {
			return done, fmt.Errorf("migrate %s: %w", f.Name, err)
		}
		if raced {
			continue
		}
		s.log.InfoContext(ctx, "migration applied", slog.Int("version", f.Version), slog.String("name", f.Name))
		done = append(done, f.Migration)
	}
	if s.engine == Postgres {
		if err := s.ownerWrite(ctx, func(tx *Tx) error { return tx.pointOwnerLookups(ctx) }); err != nil {
			return done, fmt.Errorf("migrate: %w", err)
		}
	}
	if s.owner != nil {
		if err := s.ownerWrite(ctx, func(tx *Tx) error { return tx.grantApp(ctx, s.appRole) }); err != nil {
			return done, fmt.Errorf("migrate: grant %s: %w", s.appRole, err)
		}
	}
	return done, nil
}

// ownerWrite runs fn in a transaction without a tenant as the role that owns
// the tables: the owner's pool on PostgreSQL, the writer on SQLite.
func (s *Store) ownerWrite(ctx context.Context, fn func(*Tx) error) error {
	if s.engine == Postgres {
		return s.pgTx(ctx, s.PGOwnerPool(), "", false, fn)
	}
	return s.Write(ctx, "", fn)
}

// execScript runs a multi-statement SQL file. pgx runs a whole script in one
// simple-protocol Exec; modernc's Exec runs every statement too.
func (tx *Tx) execScript(ctx context.Context, script string) error {
	if ptx, ok := tx.Raw().(pgx.Tx); ok {
		_, err := ptx.Exec(ctx, script)
		return txn.MapError(err)
	}
	_, err := tx.Exec(ctx, script)
	return err
}

// appliedVersions reads schema_migrations in a transaction run by inTx.
func (s *Store) appliedVersions(ctx context.Context, inTx func(context.Context, func(*Tx) error) error) (map[int]time.Time, error) {
	applied := map[int]time.Time{}
	err := inTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT version, applied_at FROM schema_migrations")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v int
			var at time.Time
			if err := rows.Scan(&v, &at); err != nil {
				return err
			}
			applied[v] = at
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return applied, nil
}

// systemRead runs fn in a read-only transaction without a tenant.
func (s *Store) systemRead(ctx context.Context, fn func(*Tx) error) error { return s.Read(ctx, "", fn) }

// MigrationStatus lists every known migration with when it was applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]Migration, error) {
	files, err := s.migrationFiles()
	if err != nil {
		return nil, err
	}
	applied := map[int]time.Time{}
	exists, err := s.tableExists(ctx, "schema_migrations")
	if err != nil {
		return nil, err
	}
	if exists {
		if applied, err = s.appliedVersions(ctx, s.systemRead); err != nil {
			return nil, err
		}
	}
	out := make([]Migration, len(files))
	for i, f := range files {
		out[i] = f.Migration
		if at, ok := applied[f.Version]; ok {
			out[i].AppliedAt = &at
		}
	}
	return out, nil
}

// ErrSchemaOutdated means migrations are pending: the server must not serve.
var ErrSchemaOutdated = errors.New("database schema is not current: run `prospector migrate up`")

// CheckSchema returns ErrSchemaOutdated when a migration is pending.
func (s *Store) CheckSchema(ctx context.Context) error {
	status, err := s.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	for _, m := range status {
		if m.AppliedAt == nil {
			return ErrSchemaOutdated
		}
	}
	return nil
}

func (s *Store) tableExists(ctx context.Context, name string) (bool, error) {
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
	if s.engine == Postgres {
		q = "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1"
	}
	var n int
	err := s.Read(ctx, "", func(tx *Tx) error { return tx.QueryRow(ctx, q, name).Scan(&n) })
	if err != nil {
		return false, fmt.Errorf("look up table %s: %w", name, err)
	}
	return n > 0, nil
}
