package store

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
