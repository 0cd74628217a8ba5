package txn

import "context"

// The one-row read and delete that every tenant table answers the same way
// (the list is listTenant, in page.go): by id, within the tenant, with
// ErrNotFound when the tenant has no such row.

// GetTenant reads the tenant's row of table with id, described as what in
// errors; lock takes the row lock of forUpdate.
func GetTenant[T any](ctx context.Context, tx *Tx, table, columns, what, id string, lock bool, scan func(Row) (T, error)) (T, error) {
	if err := tx.RequireTenant(); err != nil {
		var zero T
		return zero, err
	}
	q := `SELECT ` + columns + ` FROM ` + table + ` WHERE id = $1 AND user_id = $2`
	if lock {
		q += tx.ForUpdate()
	}
	v, err := scan(tx.q.QueryRow(ctx, q, id, tx.userID))
	return v, Wrap(err, "get %s %s", what, id)
}

// DeleteTenant runs query, a tenant's DELETE of one row described as what
// in errors; ErrNotFound when it matched none.
func (tx *Tx) DeleteTenant(ctx context.Context, what, query string, args ...any) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	n, err := tx.q.Exec(ctx, query, args...)
	if err != nil {
		return Wrap(err, "delete %s", what)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
