package store

import (
	"context"
	"encoding/json"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// ExistingProspect is what discovery needs of a prospect already in a
// campaign to recognise it again.
type ExistingProspect struct {
	ID          string
	CompanyName string
	Website     *string
	Domain      *string
	Phone       *string
	Address     *string
	City        *string
	State       *string
	Zip         *string
	Source      string
	SourceID    *string
	SourceData  json.RawMessage
}

// CampaignProspectsForDedup lists a campaign's prospects for de-duplication.
func (tx *Tx) CampaignProspectsForDedup(ctx context.Context, campaignID string) ([]ExistingProspect, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	return txn.QueryAll(ctx, tx, "prospects for dedup", func(r txn.Row) (p ExistingProspect, err error) {
		var data []byte
		err = r.Scan(&p.ID, &p.CompanyName, &p.Website, &p.Domain, &p.Phone, &p.Address, &p.City, &p.State, &p.Zip,
			&p.Source, &p.SourceID, &data)
		p.SourceData = data
		return p, err
	}, `SELECT id, company_name, website, domain, phone, address, city, state, zip, source, source_id, source_data
		 FROM prospects WHERE campaign_id = $1 AND user_id = $2 ORDER BY id`, campaignID, tx.UserID())
}

// CountDiscovered counts a campaign's prospects that came from discovery
// sources (not imports), which max_results bounds.
func (tx *Tx) CountDiscovered(ctx context.Context, campaignID string) (int, error) {
	if err := tx.RequireTenant(); err != nil {
		return 0, err
	}
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM prospects WHERE campaign_id = $1 AND user_id = $2 AND source <> 'manual'`,
		campaignID, tx.UserID()).Scan(&n)
	return n, txn.Wrap(err, "count discovered")
}

// ProspectListing is the listing data discovery may improve when a later
// source knows more about a saved prospect.
type ProspectListing struct {
	Website, Domain, Phone, Address, City, State, Zip *string
	SourceData                                        json.RawMessage
}

// UpdateProspectListing replaces a prospect's listing fields.
func (tx *Tx) UpdateProspectListing(ctx context.Context, id string, l ProspectListing) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx,
		`UPDATE prospects SET website = $3, domain = $4, phone = $5, address = $6, city = $7, state = $8, zip = $9, source_data = $10
		 WHERE id = $1 AND user_id = $2`,
		id, tx.UserID(), l.Website, l.Domain, l.Phone, l.Address, l.City, l.State, l.Zip, txn.JSONArg(l.SourceData))
	return txn.Wrap(err, "update prospect listing %s", id)
}

// SetDiscoverySources stores the per-source results of a discovery run.
func (tx *Tx) SetDiscoverySources(ctx context.Context, campaignID string, sources json.RawMessage) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE campaigns SET discovery_sources = $3, updated_at = $4 WHERE id = $1 AND user_id = $2`,
		campaignID, tx.UserID(), txn.JSONArg(sources), tx.Now())
	return txn.Wrap(err, "set discovery sources")
}
