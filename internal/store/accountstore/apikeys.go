package accountstore

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
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
func (tx *Account) SetAPIKey(ctx context.Context, service, sealed, last4 string) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx,
		`INSERT INTO user_api_keys (user_id, service, sealed, last4, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
		 ON CONFLICT (user_id, service) DO UPDATE SET sealed = excluded.sealed, last4 = excluded.last4,
		   updated_at = excluded.updated_at`,
		tx.UserID(), service, sealed, last4, tx.Now())
	return txn.Wrap(err, "set api key %s", service)
}

// APIKey returns the tenant's sealed key for service; ErrNotFound when
// they stored none.
func (tx *Account) APIKey(ctx context.Context, service string) (string, error) {
	if err := tx.RequireTenant(); err != nil {
		return "", err
	}
	var sealed string
	err := tx.QueryRow(ctx, `SELECT sealed FROM user_api_keys WHERE user_id = $1 AND service = $2`,
		tx.UserID(), service).Scan(&sealed)
	return sealed, txn.Wrap(err, "get api key %s", service)
}

// ListAPIKeys describes the tenant's stored keys, by service. The sealed
// values are not read.
func (tx *Account) ListAPIKeys(ctx context.Context) ([]APIKeyInfo, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	return txn.QueryAll(ctx, tx, "api keys", func(r txn.Row) (k APIKeyInfo, err error) {
		err = r.Scan(&k.Service, &k.Last4, &k.CreatedAt, &k.UpdatedAt)
		return k, err
	}, `SELECT service, last4, created_at, updated_at FROM user_api_keys WHERE user_id = $1 ORDER BY service`, tx.UserID())
}

// DeleteAPIKey removes the tenant's key for service; ErrNotFound when
// there was none.
func (tx *Account) DeleteAPIKey(ctx context.Context, service string) error {
	return tx.DeleteTenant(ctx, "api key "+service, `DELETE FROM user_api_keys WHERE user_id = $1 AND service = $2`, tx.UserID(), service)
}
