package store

import (
	"context"
	"time"
)

// APIKeyInfo describes a stored key without its value: enough to show the
// user which key is in use.
type APIKeyInfo struct {
	Service   string
	Last4     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SetAPIKey stores the tenant's sealed key for service, replacing any
// earlier one (created_at stays, updated_at moves).
func (tx *Tx) SetAPIKey(ctx context.Context, service, sealed, last4 string) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	_, err := tx.q.exec(ctx,
		`INSERT INTO user_api_keys (user_id, service, sealed, last4, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
		 ON CONFLICT (user_id, service) DO UPDATE SET sealed = excluded.sealed, last4 = excluded.last4,
		   updated_at = excluded.updated_at`,
		tx.userID, service, sealed, last4, tx.now)
	return wrap(err, "set api key %s", service)
}

// APIKey returns the tenant's sealed key for service; ErrNotFound when
// they stored none.
func (tx *Tx) APIKey(ctx context.Context, service string) (string, error) {
	if err := tx.requireTenant(); err != nil {
		return "", err
	}
	var sealed string
	err := tx.q.queryRow(ctx, `SELECT sealed FROM user_api_keys WHERE user_id = $1 AND service = $2`,
		tx.userID, service).Scan(&sealed)
	return sealed, wrap(err, "get api key %s", service)
}

// ListAPIKeys describes the tenant's stored keys, by service. The sealed
// values are not read.
func (tx *Tx) ListAPIKeys(ctx context.Context) ([]APIKeyInfo, error) {
	if err := tx.requireTenant(); err != nil {
		return nil, err
	}
	return queryAll(ctx, tx.q, "api keys", func(r row) (k APIKeyInfo, err error) {
		err = r.Scan(&k.Service, &k.Last4, &k.CreatedAt, &k.UpdatedAt)
		return k, err
	}, `SELECT service, last4, created_at, updated_at FROM user_api_keys WHERE user_id = $1 ORDER BY service`, tx.userID)
}

// DeleteAPIKey removes the tenant's key for service; ErrNotFound when
// there was none.
func (tx *Tx) DeleteAPIKey(ctx context.Context, service string) error {
	return tx.deleteTenant(ctx, "api key "+service, `DELETE FROM user_api_keys WHERE user_id = $1 AND service = $2`, tx.userID, service)
}
