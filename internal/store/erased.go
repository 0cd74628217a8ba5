package store

import (
	"context"
	"strings"

	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/txn"
)

// withoutErased drops the contacts whose address the tenant has erased:
// a person who asked to be forgotten is not found again by enrichment or
// brought back by an import.
func (tx *Tx) withoutErased(ctx context.Context, cs []NewContact) ([]NewContact, error) {
	var keys []any
	var ph []string
	for _, c := range cs {
		if c.Email != nil && *c.Email != "" {
			keys = append(keys, mailstore.ErasedEmailKey(*c.Email))
			ph = append(ph, "?")
		}
	}
	if len(keys) == 0 {
		return cs, nil
	}
	w := txn.Where{}
	w.Add("user_id = ?", tx.UserID())
	w.Add("email IN ("+strings.Join(ph, ", ")+")", keys...)
	erased, err := txn.QueryAll(ctx, tx, "erased addresses", func(r txn.Row) (s string, err error) { return s, r.Scan(&s) },
		`SELECT email FROM suppressions WHERE `+w.SQL(), w.Args()...)
	if err != nil || len(erased) == 0 {
		return cs, err
	}
	gone := make(map[string]bool, len(erased))
	for _, k := range erased {
		gone[k] = true
	}
	kept := cs[:0:0]
	for _, c := range cs {
		if c.Email == nil || !gone[mailstore.ErasedEmailKey(*c.Email)] {
			kept = append(kept, c)
		}
	}
	return kept, nil
}
