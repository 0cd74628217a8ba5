package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// erasedPrefix marks a suppression entry that holds an erased address's
// hash instead of the address.
const erasedPrefix = "sha256:"

// ErasedEmailKey is how an erased address (lowercased) is kept: its SHA-256
// in hex, after "sha256:", in the suppression entry's email.
func ErasedEmailKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return erasedPrefix + hex.EncodeToString(sum[:])
}

// withoutErased drops the contacts whose address the tenant has erased:
// a person who asked to be forgotten is not found again by enrichment or
// brought back by an import.
func (tx *Tx) withoutErased(ctx context.Context, cs []NewContact) ([]NewContact, error) {
	var keys []any
	var ph []string
	for _, c := range cs {
		if c.Email != nil && *c.Email != "" {
			keys = append(keys, ErasedEmailKey(*c.Email))
			ph = append(ph, "?")
		}
	}
	if len(keys) == 0 {
		return cs, nil
	}
	w := where{}
	w.add("user_id = ?", tx.userID)
	w.add("email IN ("+strings.Join(ph, ", ")+")", keys...)
	erased, err := queryAll(ctx, tx.q, "erased addresses", func(r row) (s string, err error) { return s, r.Scan(&s) },
		`SELECT email FROM suppressions WHERE `+w.sql(), w.args...)
	if err != nil || len(erased) == 0 {
		return cs, err
	}
	gone := make(map[string]bool, len(erased))
	for _, k := range erased {
		gone[k] = true
	}
	kept := cs[:0:0]
	for _, c := range cs {
		if c.Email == nil || !gone[ErasedEmailKey(*c.Email)] {
			kept = append(kept, c)
		}
	}
	return kept, nil
}
