package store

import "github.com/prospectorhq/prospector/internal/store/txn"

// The names of txn that callers use through store: the engines, ids, the
// errors they test for, pages and the optional-column helpers.

// Engine names a database engine.
type Engine = txn.Engine

const (
	SQLite   = txn.SQLite
	Postgres = txn.Postgres
)

// Page asks for one page of a newest-first list (txn.Page).
type Page = txn.Page

// ConflictError is a unique constraint violation (txn.ConflictError).
type ConflictError = txn.ConflictError

var (
	// ErrNotFound means no row matched, for the caller's tenant.
	ErrNotFound = txn.ErrNotFound
	// ErrInsufficientCredits means a charge would take lead credits below zero.
	ErrInsufficientCredits = txn.ErrInsufficientCredits
)

// NewID returns a time-ordered UUIDv7 (txn.NewID).
func NewID() string { return txn.NewID() }

// ValidID reports whether s is a canonical UUID (txn.ValidID).
func ValidID(s string) bool { return txn.ValidID(s) }

// IsConflict reports whether err is a unique violation whose constraint
// mentions hint (txn.IsConflict).
func IsConflict(err error, hint string) bool { return txn.IsConflict(err, hint) }

// NullIfEmpty returns nil for "", so an empty value is stored as NULL.
func NullIfEmpty(s string) *string { return txn.NullIfEmpty(s) }

// OrEmpty is the text of an optional column, "" for NULL.
func OrEmpty(s *string) string { return txn.OrEmpty(s) }

// Observer is told of what committed transactions recorded (txn.Observer).
type Observer = txn.Observer
