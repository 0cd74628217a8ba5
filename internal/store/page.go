package store

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

func (p Page) limitPlusOne() string { return strconv.Itoa(p.Limit + 1) }

// trimPage drops the probe row fetched beyond the limit and returns the
// cursor for the next page, "" on the last one. A limit of 0 or less is
// no limit: every row is the one page.
func trimPage[T any](items []T, limit int, id func(T) string) ([]T, string) {
	if limit <= 0 || len(items) <= limit {
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

// eachRow runs query and hands each row, in order, to each: the one loop
// over rows of the store, closing them whatever happens. what names the
// query in errors; the first error of each ends the loop.
func eachRow(ctx context.Context, q querier, what string, each func(row) error, query string, args ...any) error {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return wrap(err, "%s", what)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return wrap(err, "%s", what)
		}
	}
	return wrap(rows.Err(), "%s", what)
}

// queryAll runs query and scans each row with scan, for every list the
// store answers. what names the list in errors.
func queryAll[T any](ctx context.Context, q querier, what string, scan func(row) (T, error), query string, args ...any) ([]T, error) {
	out := []T{}
	err := eachRow(ctx, q, "list "+what, func(r row) error {
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

// queryPage is queryAll for one page of a newest-first list whose query
// ends in LIMIT page.limitPlusOne(): it returns the page and the cursor of
// the next ("" on the last).
func queryPage[T any](ctx context.Context, q querier, what string, page Page, id func(T) string,
	scan func(row) (T, error), query string, args ...any) ([]T, string, error) {
	out, err := queryAll(ctx, q, what, scan, query, args...)
	if err != nil {
		return nil, "", err
	}
	out, next := trimPage(out, page.Limit, id)
	return out, next, nil
}

// scanID reads a row of one id.
func scanID(r row) (id string, err error) {
	err = r.Scan(&id)
	return id, err
}

// scanCount reads a row of a key and its count (a GROUP BY's) into counts.
func scanCount(r row, counts map[string]int) error {
	var k string
	var n int
	if err := r.Scan(&k, &n); err != nil {
		return err
	}
	counts[k] = n
	return nil
}

// listTenant is one page of a tenant table, newest first: the list query
// every "GET /api/<things>" runs (a page with no limit is every row). conds
// narrow it further (written with ? and their args, as where.add takes
// them).
func listTenant[T any](ctx context.Context, tx *Tx, table, columns string, page Page, id func(T) string,
	scan func(row) (T, error), conds ...func(*where)) ([]T, string, error) {
	if err := tx.requireTenant(); err != nil {
		return nil, "", err
	}
	w := where{}
	w.add("user_id = ?", tx.userID)
	for _, c := range conds {
		c(&w)
	}
	if page.After != "" {
		w.add("id < ?", page.After)
	}
	q := `SELECT ` + columns + ` FROM ` + table + ` WHERE ` + w.sql() + ` ORDER BY id DESC`
	if page.Limit > 0 {
		q += ` LIMIT ` + page.limitPlusOne()
	}
	return queryPage(ctx, tx.q, table, page, id, scan, q, w.args...)
}
