package txn

import "github.com/google/uuid"

// NewID returns a time-ordered UUIDv7, so ordering by id is ordering by
// creation and cursors are simply the last id seen.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ValidID reports whether s is a canonical UUID, so ids from URLs can be
// rejected before they reach a uuid column (PostgreSQL would error).
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}
