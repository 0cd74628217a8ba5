package store

import (
	"context"
	"strings"
)

// CampaignOwner finds who owns a campaign, for service-to-service calls that
// know only its id. On PostgreSQL it runs as the tables' owner and names the
// one row it reads (migration 0010); everything after it runs as the owner.
func (s *Store) CampaignOwner(ctx context.Context, campaignID string) (string, error) {
	return s.ownerLookup(ctx, `SELECT user_id FROM campaigns WHERE id = $1`, campaignID)
}

// ProspectOwner finds who owns a prospect, like CampaignOwner. A prospect
// carries its campaign's owner.
func (s *Store) ProspectOwner(ctx context.Context, prospectID string) (string, error) {
	return s.ownerLookup(ctx, `SELECT user_id FROM prospects WHERE id = $1`, prospectID)
}

func (s *Store) ownerLookup(ctx context.Context, q, id string) (string, error) {
	if !ValidID(id) {
		return "", ErrNotFound
	}
	id = strings.ToLower(id)
	var owner string
	if s.engine == Postgres {
		// The owner's pool: with DATABASE_OWNER_URL the policies that let a
		// lookup through do not apply to the application's role at all.
		err := s.pgTx(ctx, s.PGOwnerPool(), "", true, func(tx *Tx) error {
			if _, err := tx.q.exec(ctx, "SELECT set_config('app.owner_lookup', $1, true)", id); err != nil {
				return err
			}
			return tx.q.queryRow(ctx, q, id).Scan(&owner)
		})
		return owner, wrap(err, "owner lookup")
	}
	err := s.Read(ctx, "", func(tx *Tx) error { return tx.q.queryRow(ctx, q, id).Scan(&owner) })
	return owner, wrap(err, "owner lookup")
}
