package txn

import (
	"encoding/json"
	"strings"
	"time"
)

// The store's optional text columns are *string, nil for NULL. These two
// convert at the edge, so callers keep plain strings and "" means absent.

// NullIfEmpty returns nil for "", so an empty value is stored as NULL.
func NullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// OrEmpty is the text of an optional column, "" for NULL.
func OrEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// The optional time columns are *time.Time, nil for NULL; like the others,
// they leave the store in UTC.

// UTCOptional converts each set optional time to UTC in place.
func UTCOptional(ts ...**time.Time) {
	for _, t := range ts {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
}

// JSONArg is a JSON column's argument: NULL for no bytes, else the text
// (both engines take JSON as text).
func JSONArg(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// EscapeLike escapes s for a LIKE pattern with ESCAPE '\'.
func EscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
