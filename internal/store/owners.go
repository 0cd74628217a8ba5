package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// CampaignOwner finds who owns a campaign, for service-to-service calls that
// know only its id. On PostgreSQL it runs as a declared system lookup (see
// migration 0004); everything after it runs as the owner.
func (s *Store) CampaignOwner(ctx context.Context, campaignID string) (string, error) {
	return s.ownerLookup(ctx, `SELECT user_id FROM campaigns WHERE id = $1`, campaignID)
}

// ProspectOwner finds who owns a prospect, like CampaignOwner.
func (s *Store) ProspectOwner(ctx context.Context, prospectID string) (string, error) {
	return s.ownerLookup(ctx, `SELECT c.user_id FROM prospects p JOIN campaigns c ON c.id = p.campaign_id WHERE p.id = $1`, prospectID)
}

func (s *Store) ownerLookup(ctx context.Context, q, id string) (string, error) {
	if !ValidID(id) {
		return "", ErrNotFound
	}
	var owner string
	if s.engine == Postgres {
		err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(ptx pgx.Tx) error {
			if _, err := ptx.Exec(ctx, "SELECT set_config('app.role', 'system', true)"); err != nil {
				return err
			}
			return ptx.QueryRow(ctx, q, strings.ToLower(id)).Scan(&owner)
		})
		return owner, wrap(mapError(err), "owner lookup")
	}
	err := s.Read(ctx, "", func(tx *Tx) error { return tx.q.queryRow(ctx, q, strings.ToLower(id)).Scan(&owner) })
	return owner, wrap(err, "owner lookup")
}
