package txn

import (
	"context"
	"strconv"
	"strings"
)

// Page asks for one page of a newest-first list: at most Limit rows with ids
// below After (ids are UUIDv7, so id order is creation order).
type Page struct {
	Limit int
	After string
}

func (p Page) LimitPlusOne() string { return strconv.Itoa(p.Limit + 1) }

// TrimPage drops the probe row fetched beyond the limit and returns the
// cursor for the next page, "" on the last one. A limit of 0 or less is
// no limit: every row is the one page.
func TrimPage[T any](items []T, limit int, id func(T) string) ([]T, string) {
	if limit <= 0 || len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, id(items[limit-1])
}

// Where builds a conjunction with $N placeholders numbered in order; write
// conditions with "?" and Add numbers them.
type Where struct {
	conds []string
	args  []any
}

func (w *Where) Add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// Last is the condition added last, alone (with its placeholders numbered
// as in the whole conjunction).
func (w *Where) Last() string { return w.conds[len(w.conds)-1] }

// Args are the conditions' arguments, in placeholder order.
func (w *Where) Args() []any { return w.args }

func (w *Where) SQL() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}

// EachRow runs query and hands each row, in order, to each: the one loop
// over rows of the store, closing them whatever happens. what names the
// query in errors; the first error of each ends the loop.
func EachRow(ctx context.Context, q Querier, what string, each func(Row) error, query string, args ...any) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return Wrap(err, "%s", what)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return Wrap(err, "%s", what)
		}
	}
	return Wrap(rows.Err(), "%s", what)
}

// QueryAll runs query and scans each row with scan, for every list the
// store answers. what names the list in errors.
func QueryAll[T any](ctx context.Context, q Querier, what string, scan func(Row) (T, error), query string, args ...any) ([]T, error) {
	out := []T{}
	err := EachRow(ctx, q, "list "+what, func(r Row) error {
		v, err := scan(r)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// QueryPage is QueryAll for one page of a newest-first list whose query
// ends in LIMIT page.LimitPlusOne(): it returns the page and the cursor of
// the next ("" on the last).
func QueryPage[T any](ctx context.Context, q Querier, what string, page Page, id func(T) string,
	scan func(Row) (T, error), query string, args ...any) ([]T, string, error) {
	out, err := QueryAll(ctx, q, what, scan, query, args...)
	if err != nil {
		return nil, "", err
	}
	out, next := TrimPage(out, page.Limit, id)
	return out, next, nil
}

// ScanID reads a row of one id.
func ScanID(r Row) (id string, err error) {
	err = r.Scan(&id)
	return id, err
}

// ScanCount reads a row of a key and its count (a GROUP BY's) into counts.
func ScanCount(r Row, counts map[string]int) error {
	var k string
	var n int
	if err := r.Scan(&k, &n); err != nil {
		return err
	}
	counts[k] = n
	return nil
}

// ListTenant is one page of a tenant table, newest first: the list query
// every "GET /api/<things>" runs (a page with no limit is every row). conds
// narrow it further (written with ? and their args, as Where.Add takes
// them).
func ListTenant[T any](ctx context.Context, tx *Tx, table, columns string, page Page, id func(T) string,
	scan func(Row) (T, error), conds ...func(*Where)) ([]T, string, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, "", err
	}
	w := Where{}
	w.Add("user_id = ?", tx.userID)
	for _, c := range conds {
		c(&w)
	}
	if page.After != "" {
		w.Add("id < ?", page.After)
	}
	q := `SELECT ` + columns + ` FROM ` + table + ` WHERE ` + w.SQL() + ` ORDER BY id DESC`
	if page.Limit > 0 {
		q += ` LIMIT ` + page.LimitPlusOne()
	}
	return QueryPage(ctx, tx, table, page, id, scan, q, w.args...)
}
