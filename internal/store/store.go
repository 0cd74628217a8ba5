// Package store keeps Prospector's data in SQLite (the embedded default) or
// PostgreSQL. Queries are written once; the two engines differ only in how
// they are opened, how a transaction carries the tenant, and their migration
// files. Every tenant query takes the caller's user id from the transaction,
// and on PostgreSQL row-level security, forced on every tenant table and on
// the search's side table, enforces the same scope a second time.
//
// On PostgreSQL the tables may belong to a role other than the
// application's (Options.OwnerURL, DATABASE_OWNER_URL): migrations, ANALYZE
// and owner lookups then run over a small pool of the owner's, and the
// application's role, with only row access, cannot lift row-level security
// (roles.go). No setting a transaction can make unlocks other tenants' rows:
// an owner lookup names its one row, and only the owner's role may make one.
//
// The queries are kept in packages by tables, each one file per table or
// concern, all written with txn (the tenant-carrying transaction, the
// drivers' querier, errors, pages), and all reached through this package's
// Tx, which embeds the others' query types:
//   - store (here): users.go, campaigns.go (and stats.go for their
//     counters), prospects.go (list, search, insert), prospect_status.go
//     (status moves), discovery.go (what a discovery run reads and writes),
//     enrichments.go, contacts.go, scores.go, completion.go (when a campaign
//     is done), billing_owners.go and owners.go (cross-tenant lookups for
//     webhooks and system jobs), roles.go (the owner's and the application's
//     PostgreSQL roles), export.go, erased.go (contacts of erased
//     addresses), retry.go (transactions run again after a deadlock);
//   - mailstore: the outreach mail tables (sequences, messages, sends,
//     mailboxes, sender profiles, suppressions, Instantly links, events,
//     answers, IMAP state, webhook receipts);
//   - billingstore: plans and Stripe state, the credit ledger, api_usage;
//   - accountstore: sessions, provider keys, and the account as a whole
//     (its tables read from the schema, export, deletion, erasure).
//
// Business rules are not decided here: callers pass them in (e.g.
// CompletionRules).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/txn"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Store is an open database. It is safe for concurrent use.
type Store struct {
	engine Engine
	log    *slog.Logger
	now    func() time.Time
	obs    Observer

	// SQLite: one writer connection (SQLite allows one writer at a time, and
	// River shares it) and a pool of read-only connections.
	writer *sql.DB
	reader *sql.DB
	// checkpoints copies the WAL into the database file (the writer never
	// does: see checkpointer).
	checkpoints *checkpointer
	path        string // the database file, absolute

	// PostgreSQL: pool is the application's role (DATABASE_URL); owner, when
	// DATABASE_OWNER_URL is set, the role that owns the tables, for what the
	// application's role may not do (see roles.go).
	pool    *pgxpool.Pool
	owner   *pgxpool.Pool
	appRole string // the role of pool, when owner is set
}

// Options tune Open. The zero value is fine.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time // for tests; defaults to time.Now
	// MaxConns bounds the PostgreSQL pool or the SQLite read pool.
	MaxConns int
	// OwnerURL (PostgreSQL, DATABASE_OWNER_URL) connects as the role that
	// owns the tables. When set, migrations, planner statistics and owner
	// lookups run as that role, and databaseURL's role gets only the grants
	// the application needs; when empty, databaseURL's role does it all.
	OwnerURL string
	// Observer, when set, is told of events, credit charges and mailbox
	// status changes once their transactions commit (the metrics).
	Observer Observer
}

// Open connects to databaseURL ("sqlite:PATH" or "postgres://…"). It does not
// migrate; call Migrate.
func Open(ctx context.Context, databaseURL string, opts Options) (*Store, error) {
	s := &Store{log: opts.Logger, now: opts.Now, obs: opts.Observer}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	switch {
	case strings.HasPrefix(databaseURL, "sqlite:"):
		if opts.OwnerURL != "" {
			return nil, errors.New("open store: DATABASE_OWNER_URL is for PostgreSQL only")
		}
		return s, s.openSQLite(strings.TrimPrefix(databaseURL, "sqlite:"), opts.MaxConns)
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		return s, s.openPostgres(ctx, databaseURL, opts.OwnerURL, opts.MaxConns)
	default:
		return nil, errors.New("open store: database URL must start with sqlite: or postgres://")
	}
}

func (s *Store) openSQLite(path string, maxReaders int) error {
	s.engine = SQLite
	if path == "" {
		return errors.New("open sqlite: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s.path = abs
	// busy_timeout first so that setting WAL waits for other processes
	// instead of failing; immediate transactions take the write lock up front
	// so two writers never deadlock upgrading a read lock.
	pragmas := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)"} {
		pragmas.Add("_pragma", p)
	}
	pragmas.Set("_time_format", "sqlite")
	// The path is a URI's: a "#" or "?" in it (a test's folder named
	// "sqlite#01") would end it there and open another file, without the
	// pragmas, so those and "%" are percent-encoded.
	file := "file:" + uriPathEscaper.Replace(abs)
	checkpointDSN := file + "?" + pragmas.Encode()
	writerDSN := file + "?" + pragmas.Encode() + "&_pragma=" + url.QueryEscape("wal_autocheckpoint(0)") + // the checkpointer's work
		"&_txlock=immediate"
	pragmas.Add("_pragma", "query_only(ON)")
	readerDSN := file + "?" + pragmas.Encode()

	if s.writer, err = sql.Open("sqlite", writerDSN); err != nil {
		return fmt.Errorf("open sqlite writer: %w", err)
	}
	s.writer.SetMaxOpenConns(1)
	s.writer.SetConnMaxIdleTime(0)
	if err := s.writer.Ping(); err != nil {
		s.writer.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if s.reader, err = sql.Open("sqlite", readerDSN); err != nil {
		s.writer.Close()
		return fmt.Errorf("open sqlite reader: %w", err)
	}
	if maxReaders <= 0 {
		maxReaders = max(4, runtime.NumCPU())
	}
	s.reader.SetMaxOpenConns(maxReaders)
	s.reader.SetMaxIdleConns(maxReaders)
	if s.checkpoints, err = startCheckpointer(checkpointDSN, s.log); err != nil {
		s.reader.Close()
		s.writer.Close()
		return err
	}
	return nil
}

func (s *Store) openPostgres(ctx context.Context, databaseURL, ownerURL string, maxConns int) error {
	s.engine = Postgres
	var err error
	if s.pool, err = connectPostgres(ctx, "DATABASE_URL", databaseURL, maxConns); err != nil {
		return err
	}
	if ownerURL == "" {
		return nil
	}
	// Migrate holds one connection for its lock while it works on another;
	// owner lookups and statistics are short and rare.
	if s.owner, err = connectPostgres(ctx, "DATABASE_OWNER_URL", ownerURL, 4); err != nil {
		s.pool.Close()
		return err
	}
	if err := s.checkRoles(ctx); err != nil {
		s.Close()
		return err
	}
	return nil
}

// connectPostgres opens a pool of at most maxConns (at least 10 when 0) and
// checks that it answers. name is the setting the URL came from, for errors.
func connectPostgres(ctx context.Context, name, databaseURL string, maxConns int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %s is not a valid connection string", name)
	}
	if maxConns > 0 {
		cfg.MaxConns = int32(maxConns)
	} else if cfg.MaxConns < 10 {
		cfg.MaxConns = 10
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres (%s): %w", name, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres (%s): %w", name, err)
	}
	return pool, nil
}

// Engine reports which engine this store runs on.
func (s *Store) Engine() Engine { return s.engine }

// SQLiteWriter is the single writer connection pool River shares on SQLite.
func (s *Store) SQLiteWriter() *sql.DB { return s.writer }

// SQLitePath is the absolute path of the SQLite database file ("" on
// PostgreSQL).
func (s *Store) SQLitePath() string { return s.path }

// PGPool is the PostgreSQL pool River shares on PostgreSQL: the
// application's role.
func (s *Store) PGPool() *pgxpool.Pool { return s.pool }

// PGOwnerPool is the PostgreSQL pool of the role that owns the tables, which
// River's migrations run over: DATABASE_OWNER_URL's, or PGPool without one.
func (s *Store) PGOwnerPool() *pgxpool.Pool {
	if s.owner != nil {
		return s.owner
	}
	return s.pool
}

// SeparateOwner reports whether the tables belong to a role other than the
// application's (DATABASE_OWNER_URL is set), so that the application's role
// cannot change or reindex them.
func (s *Store) SeparateOwner() bool { return s.owner != nil }

// Close releases every connection.
func (s *Store) Close() error {
	if s.pool != nil {
		s.pool.Close()
	}
	if s.owner != nil {
		s.owner.Close()
	}
	var errs []error
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if s.writer != nil {
		errs = append(errs, s.writer.Close())
	}
	if s.checkpoints != nil {
		errs = append(errs, s.checkpoints.Close()) // last: see checkpointer
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if s.engine == Postgres {
		return s.pool.Ping(ctx)
	}
	return s.reader.PingContext(ctx)
}

// Tx is a transaction scoped to one tenant (or to none, for the auth tables
// and maintenance). Every method that touches tenant data filters by UserID.
// Its queries are its own methods and those of mailstore.Mail (the
// outreach mail tables), billingstore.Billing (credits, plans, usage) and
// accountstore.Account (sessions, provider keys, data-protection requests),
// over the one txn.Tx they share.
type Tx struct {
	*txn.Tx
	mailstore.Mail
	billingstore.Billing
	accountstore.Account
}

func newTx(q txn.Querier, engine Engine, userID string, now time.Time, raw any, obs Observer) *Tx {
	core := txn.New(q, engine, userID, now, raw, obs)
	return &Tx{Tx: core, Mail: mailstore.On(core), Billing: billingstore.On(core), Account: accountstore.On(core)}
}

// Read runs fn in a read-only transaction for userID.
func (s *Store) Read(ctx context.Context, userID string, fn func(*Tx) error) error {
	return s.inTx(ctx, userID, true, fn)
}

// Write runs fn in a read-write transaction for userID and commits when fn
// returns nil.
func (s *Store) Write(ctx context.Context, userID string, fn func(*Tx) error) error {
	return s.inTx(ctx, userID, false, fn)
}

func (s *Store) inTx(ctx context.Context, userID string, readOnly bool, fn func(*Tx) error) error {
	if s.engine == Postgres {
		return s.pgTx(ctx, s.pool, userID, readOnly, fn)
	}
	now := s.now().UTC()

	db := s.writer
	if readOnly {
		db = s.reader
	}
	stx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", txn.MapError(err))
	}
	defer stx.Rollback() //nolint:errcheck // after Commit this is a no-op
	tx := newTx(txn.SQLQuerier(stx), SQLite, userID, now, stx, s.obs)
	if err := fn(tx); err != nil {
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", txn.MapError(err))
	}
	tx.RunCommitted()
	return nil
}

// pgTx runs fn in a transaction on pool, for userID when it is not empty.
func (s *Store) pgTx(ctx context.Context, pool *pgxpool.Pool, userID string, readOnly bool, fn func(*Tx) error) error {
	now := s.now().UTC()
	mode := pgx.ReadWrite
	if readOnly {
		mode = pgx.ReadOnly
	}
	var tx *Tx
	err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{AccessMode: mode}, func(ptx pgx.Tx) error {
		if userID != "" {
			// Local to this transaction: a pooled connection never carries
			// one tenant into another's request.
			if _, err := ptx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", userID); err != nil {
				return fmt.Errorf("set tenant: %w", err)
			}
		}
		tx = newTx(txn.PGQuerier(ptx), Postgres, userID, now, ptx, s.obs)
		return fn(tx)
	})
	if err == nil && tx != nil {
		tx.RunCommitted()
	}
	return err
}

// uriPathEscaper encodes what would end a SQLite URI's path early.
var uriPathEscaper = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
