package store

import (
	"context"
	"strings"

	"github.com/prospectorhq/prospector/internal/store/txn"
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
			if _, err := tx.Exec(ctx, "SELECT set_config('app.owner_lookup', $1, true)", id); err != nil {
				return err
			}
			return tx.QueryRow(ctx, q, id).Scan(&owner)
		})
		return owner, txn.Wrap(err, "owner lookup")
	}
	err := s.Read(ctx, "", func(tx *Tx) error { return tx.QueryRow(ctx, q, id).Scan(&owner) })
	return owner, txn.Wrap(err, "owner lookup")
}

// MailboxRef names a mailbox and its owner.
type MailboxRef struct {
	ID, UserID string
}

// MailboxesToRead lists every tenant's mailboxes that have IMAP settings,
// for the poller of replies (a system job that knows no tenant): their ids
// and owners only, oldest first. On PostgreSQL it runs as the tables'
// owner in a transaction that names this list (migration 0016), like the
// owner lookups; everything after it runs as each mailbox's owner.
func (s *Store) MailboxesToRead(ctx context.Context) ([]MailboxRef, error) {
	const q = `SELECT id, user_id FROM mailboxes WHERE imap_host IS NOT NULL AND imap_password IS NOT NULL ORDER BY id`
	scan := func(r txn.Row) (MailboxRef, error) {
		var m MailboxRef
		return m, r.Scan(&m.ID, &m.UserID)
	}
	var out []MailboxRef
	var err error
	if s.engine == Postgres {
		err = s.pgTx(ctx, s.PGOwnerPool(), "", true, func(tx *Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.owner_list', 'imap_mailboxes', true)"); err != nil {
				return err
			}
			out, err = txn.QueryAll(ctx, tx, "mailboxes to read", scan, q)
			return err
		})
	} else {
		err = s.Read(ctx, "", func(tx *Tx) error {
			out, err = txn.QueryAll(ctx, tx, "mailboxes to read", scan, q)
			return err
		})
	}
	return out, txn.Wrap(err, "list mailboxes to read")
}
