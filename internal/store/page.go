package store

import (
	"strconv"
	"strings"
)

// Page asks for one page of a newest-first list: at most Limit rows with ids
// below After (ids are UUIDv7, so id order is creation order).
type Page struct {
	Limit int
	After string
}

func (p Page) limitPlusOne() string { return strconv.Itoa(p.Limit + 1) }

// trimPage drops the probe row fetched beyond the limit and returns the
// cursor for the next page, "" on the last one.
func trimPage[T any](items []T, limit int, id func(T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, id(items[limit-1])
}

// where builds a conjunction with $N placeholders numbered in order; write
// conditions with "?" and add numbers them.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}
