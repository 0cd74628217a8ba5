package txn

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound means no row matched, for the caller's tenant. Callers answer
// 404 alike for rows that do not exist and rows of another tenant.
var ErrNotFound = errors.New("store: not found")

// ErrInsufficientCredits means a charge would take lead credits below zero.
var ErrInsufficientCredits = errors.New("store: insufficient lead credits")

// ConflictError is a unique constraint violation, naming the constraint (or,
// on SQLite, the columns) so callers can tell which rule was broken.
type ConflictError struct {
	Constraint string
	err        error
}

func (e *ConflictError) Error() string { return "store: conflict on " + e.Constraint }
func (e *ConflictError) Unwrap() error { return e.err }

// IsConflict reports whether err is a unique violation whose constraint
// mentions hint ("" matches any).
func IsConflict(err error, hint string) bool {
	var c *ConflictError
	return errors.As(err, &c) && strings.Contains(c.Constraint, hint)
}

// MapError turns the drivers' no-rows and unique-violation errors into
// ErrNotFound and *ConflictError.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return &ConflictError{Constraint: pgErr.ConstraintName, err: err}
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			// "UNIQUE constraint failed: users.email"
			msg := liteErr.Error()
			if i := strings.LastIndex(msg, ": "); i >= 0 {
				msg = msg[i+2:]
			}
			return &ConflictError{Constraint: msg, err: err}
		}
	}
	return err
}

// Wrap adds context to an error unless it is a sentinel callers test for.
func Wrap(err error, format string, args ...any) error {
	if err == nil || errors.Is(err, ErrNotFound) {
		return err
	}
	var c *ConflictError
	if errors.As(err, &c) {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
