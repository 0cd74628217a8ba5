package txn

import (
	"context"
	"errors"
	"time"
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// String returns the engine name.
func (e Engine) String() string { return string(e) }

// Tx is a transaction scoped to one tenant (or to none, for the auth tables
// and maintenance). Every query that touches tenant data filters by UserID.
type Tx struct {
	q      Querier
	engine Engine
	userID string
	now    time.Time
	raw    any // *sql.Tx or pgx.Tx, for River's InsertTx
	// obs and committed: what to tell the store's observer after commit.
	obs       Observer
	committed []func()
}

// New is the transaction of q on engine for userID ("" for system work),
// whose clock reads now; raw is the driver's transaction and obs, when not
// nil, is told what the transaction recorded once it has committed.
func New(q Querier, engine Engine, userID string, now time.Time, raw any, obs Observer) *Tx {
	return &Tx{q: q, engine: engine, userID: userID, now: now, raw: raw, obs: obs}
}

// UserID is the tenant this transaction acts for ("" for system work, which
// on PostgreSQL sees no tenant table's rows).
func (tx *Tx) UserID() string { return tx.userID }

// Raw returns the driver transaction (*sql.Tx on SQLite, pgx.Tx on
// PostgreSQL) so the job queue can insert jobs in the same transaction.
func (tx *Tx) Raw() any { return tx.raw }

// Now is the transaction's clock reading, so rows written together share it.
func (tx *Tx) Now() time.Time { return tx.now }

// Engine is the engine the transaction runs on.
func (tx *Tx) Engine() Engine { return tx.engine }

// Exec runs a statement and returns the number of rows it changed.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return tx.q.Exec(ctx, query, args...)
}

// Query runs a query of many rows.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	return tx.q.Query(ctx, query, args...)
}

// QueryRow runs a query of one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) Row {
	return tx.q.QueryRow(ctx, query, args...)
}

// ForUpdate is the locking clause for a row the transaction will change:
// NO KEY UPDATE on PostgreSQL, because rows inserted elsewhere take KEY SHARE
// locks through their foreign keys and a full FOR UPDATE would deadlock with
// them; nothing on SQLite, whose single writer serializes changes already.
func (tx *Tx) ForUpdate() string {
	if tx.engine == Postgres {
		return " FOR NO KEY UPDATE"
	}
	return ""
}

// ForUpdateSkipLocked is ForUpdate that passes over a row another
// transaction has locked instead of waiting for it (the row then reads as
// absent); nothing on SQLite, where no other writer can hold one.
func (tx *Tx) ForUpdateSkipLocked() string {
	if tx.engine == Postgres {
		return " FOR NO KEY UPDATE SKIP LOCKED"
	}
	return ""
}

// EqualsOffIndex is "column = ?" written so that the planner cannot walk an
// index on column to answer it, only test it on rows found another way:
// SQLite's unary plus and PostgreSQL's IS TRUE. A query uses it where the
// planner, without statistics (SQLite never has them for most tables),
// takes an index on a column for selective when another index leads to
// far fewer rows.
func (tx *Tx) EqualsOffIndex(column string) string {
	if tx.engine == SQLite {
		return "+" + column + " = ?"
	}
	return "(" + column + " = ?) IS TRUE"
}

// RequireTenant guards tenant queries against being run in a system
// transaction, where SQLite would otherwise see every tenant's rows.
func (tx *Tx) RequireTenant() error {
	if tx.userID == "" {
		return errors.New("store: tenant query in a transaction without a tenant")
	}
	return nil
}
