package txn

import (
	"context"
	"database/sql"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Querier is the little that the queries need from either driver. Queries
// are written with PostgreSQL's $N placeholders; sqlQuerier rebinds them.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Rows are the rows of a query, errors mapped like MapError's.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is the one row of a query, errors mapped like MapError's.
type Row interface {
	Scan(dest ...any) error
}

// SQLQuerier is the Querier of a SQLite transaction.
func SQLQuerier(tx *sql.Tx) Querier { return sqlQuerier{tx} }

type sqlQuerier struct{ tx *sql.Tx }

func (q sqlQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	query, args = rebind(query, args)
	res, err := q.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, MapError(err)
	}
	return res.RowsAffected()
}

func (q sqlQuerier) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	query, args = rebind(query, args)
	r, err := q.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, MapError(err)
	}
	return SQLRows{r}, nil
}

func (q sqlQuerier) QueryRow(ctx context.Context, query string, args ...any) Row {
	query, args = rebind(query, args)
	return mappedRow{q.tx.QueryRowContext(ctx, query, args...)}
}

type SQLRows struct{ *sql.Rows }

func (r SQLRows) Close()              { r.Rows.Close() }
func (r SQLRows) Err() error          { return MapError(r.Rows.Err()) }
func (r SQLRows) Scan(d ...any) error { return MapError(r.Rows.Scan(d...)) }

// PGQuerier is the Querier of a PostgreSQL transaction.
func PGQuerier(tx pgx.Tx) Querier { return pgQuerier{tx} }

type pgQuerier struct{ tx pgx.Tx }

func (q pgQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.tx.Exec(ctx, query, args...)
	if err != nil {
		return 0, MapError(err)
	}
	return tag.RowsAffected(), nil
}

func (q pgQuerier) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	r, err := q.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, MapError(err)
	}
	return PGRows{r}, nil
}

func (q pgQuerier) QueryRow(ctx context.Context, query string, args ...any) Row {
	return mappedRow{q.tx.QueryRow(ctx, query, args...)}
}

type PGRows struct{ pgx.Rows }

func (r PGRows) Err() error          { return MapError(r.Rows.Err()) }
func (r PGRows) Scan(d ...any) error { return MapError(r.Rows.Scan(d...)) }

type mappedRow struct{ Row }

func (r mappedRow) Scan(dest ...any) error { return MapError(r.Row.Scan(dest...)) }

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
