package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/jackc/pgx/v5"
)

// querier is the little that the queries need from either driver. Queries
// are written with PostgreSQL's $N placeholders; sqlQuerier rebinds them.
type querier interface {
	exec(ctx context.Context, query string, args ...any) (int64, error)
	query(ctx context.Context, query string, args ...any) (rows, error)
	queryRow(ctx context.Context, query string, args ...any) row
}

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type row interface {
	Scan(dest ...any) error
}

type sqlQuerier struct{ tx *sql.Tx }

func (q sqlQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	query, args = rebind(query, args)
	res, err := q.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, mapError(err)
	}
	return res.RowsAffected()
}

func (q sqlQuerier) query(ctx context.Context, query string, args ...any) (rows, error) {
	query, args = rebind(query, args)
	r, err := q.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	return sqlRows{r}, nil
}

func (q sqlQuerier) queryRow(ctx context.Context, query string, args ...any) row {
	query, args = rebind(query, args)
	return mappedRow{q.tx.QueryRowContext(ctx, query, args...)}
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close()              { r.Rows.Close() }
func (r sqlRows) Err() error          { return mapError(r.Rows.Err()) }
func (r sqlRows) Scan(d ...any) error { return mapError(r.Rows.Scan(d...)) }

type pgQuerier struct{ tx pgx.Tx }

func (q pgQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.tx.Exec(ctx, query, args...)
	if err != nil {
		return 0, mapError(err)
	}
	return tag.RowsAffected(), nil
}

func (q pgQuerier) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := q.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	return pgRows{r}, nil
}

func (q pgQuerier) queryRow(ctx context.Context, query string, args ...any) row {
	return mappedRow{q.tx.QueryRow(ctx, query, args...)}
}

type pgRows struct{ pgx.Rows }

func (r pgRows) Err() error          { return mapError(r.Rows.Err()) }
func (r pgRows) Scan(d ...any) error { return mapError(r.Rows.Scan(d...)) }

type mappedRow struct{ row }

func (r mappedRow) Scan(dest ...any) error { return mapError(r.row.Scan(dest...)) }

// rebind turns $N placeholders into plain ? ones, repeating and reordering
// the arguments to match. modernc's SQLite accepts $N, but binds each named
// parameter by searching for it, which is quadratic in a multi-row INSERT
// (500 rows took 0.5 s instead of a few ms). Our queries never hold a $ in
// a string literal, which this relies on.
func rebind(query string, args []any) (string, []any) {
	if !strings.Contains(query, "$") {
		return query, args
	}
	var sb strings.Builder
	sb.Grow(len(query))
	out := make([]any, 0, len(args))
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c != '$' || i+1 >= len(query) || query[i+1] < '0' || query[i+1] > '9' {
			sb.WriteByte(c)
			continue
		}
		j := i + 1
		n := 0
		for j < len(query) && query[j] >= '0' && query[j] <= '9' {
			n = n*10 + int(query[j]-'0')
			j++
		}
		sb.WriteByte('?')
		if n >= 1 && n <= len(args) {
			out = append(out, args[n-1])
		}
		i = j - 1
	}
	return sb.String(), out
}
