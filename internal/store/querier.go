package store

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
)

// querier is the little that the queries need from either driver. Both accept
// $1-style placeholders (modernc's SQLite binds $N by number).
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
	res, err := q.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, mapError(err)
	}
	return res.RowsAffected()
}

func (q sqlQuerier) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := q.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	return sqlRows{r}, nil
}

func (q sqlQuerier) queryRow(ctx context.Context, query string, args ...any) row {
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
