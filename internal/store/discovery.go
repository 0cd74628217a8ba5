package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/jackc/pgx/v5"
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
	if err := tx.requireTenant(); err != nil {
		return nil, err
	}
	rows, err := tx.q.query(ctx,
		`SELECT id, company_name, website, domain, phone, address, city, state, zip, source, source_id, source_data
		 FROM prospects WHERE campaign_id = $1 AND user_id = $2 ORDER BY id`, campaignID, tx.userID)
	if err != nil {
		return nil, wrap(err, "prospects for dedup")
	}
	defer rows.Close()
	var out []ExistingProspect
	for rows.Next() {
		var p ExistingProspect
		var data []byte
		if err := rows.Scan(&p.ID, &p.CompanyName, &p.Website, &p.Domain, &p.Phone, &p.Address, &p.City, &p.State, &p.Zip,
			&p.Source, &p.SourceID, &data); err != nil {
			return nil, wrap(err, "scan prospect for dedup")
		}
		p.SourceData = data
		out = append(out, p)
	}
	return out, wrap(rows.Err(), "prospects for dedup")
}

// CountDiscovered counts a campaign's prospects that came from discovery
// sources (not imports), which max_results bounds.
func (tx *Tx) CountDiscovered(ctx context.Context, campaignID string) (int, error) {
	if err := tx.requireTenant(); err != nil {
		return 0, err
	}
	var n int
	err := tx.q.queryRow(ctx, `SELECT count(*) FROM prospects WHERE campaign_id = $1 AND user_id = $2 AND source <> 'manual'`,
		campaignID, tx.userID).Scan(&n)
	return n, wrap(err, "count discovered")
}

// ProspectListing is the listing data discovery may improve when a later
// source knows more about a saved prospect.
type ProspectListing struct {
	Website, Domain, Phone, Address, City, State, Zip *string
	SourceData                                        json.RawMessage
}

// UpdateProspectListing replaces a prospect's listing fields.
func (tx *Tx) UpdateProspectListing(ctx context.Context, id string, l ProspectListing) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	_, err := tx.q.exec(ctx,
		`UPDATE prospects SET website = $3, domain = $4, phone = $5, address = $6, city = $7, state = $8, zip = $9, source_data = $10
		 WHERE id = $1 AND user_id = $2`,
		id, tx.userID, l.Website, l.Domain, l.Phone, l.Address, l.City, l.State, l.Zip, jsonArg(l.SourceData))
	return wrap(err, "update prospect listing %s", id)
}

func jsonArg(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// LeadCredits reads the tenant's credit balance, locking it (see forUpdate)
// so a charge that follows in the transaction cannot overdraw it.
func (tx *Tx) LeadCredits(ctx context.Context) (int, error) {
	if err := tx.requireTenant(); err != nil {
		return 0, err
	}
	var n int
	err := tx.q.queryRow(ctx, `SELECT lead_credits FROM profiles WHERE id = $1`+tx.forUpdate(), tx.userID).Scan(&n)
	return n, wrap(err, "lead credits")
}

// ChargeCredits takes n lead credits. It fails rather than go below zero.
func (tx *Tx) ChargeCredits(ctx context.Context, n int) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	changed, err := tx.q.exec(ctx,
		`UPDATE profiles SET lead_credits = lead_credits - $2, updated_at = $3 WHERE id = $1 AND lead_credits >= $2`,
		tx.userID, n, tx.now)
	if err != nil {
		return wrap(err, "charge credits")
	}
	if changed != 1 {
		return ErrInsufficientCredits
	}
	return nil
}

// SetDiscoverySources stores the per-source results of a discovery run.
func (tx *Tx) SetDiscoverySources(ctx context.Context, campaignID string, sources json.RawMessage) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	_, err := tx.q.exec(ctx, `UPDATE campaigns SET discovery_sources = $3, updated_at = $4 WHERE id = $1 AND user_id = $2`,
		campaignID, tx.userID, jsonArg(sources), tx.now)
	return wrap(err, "set discovery sources")
}

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

// SetLeadCredits sets the tenant's credit balance (plan renewals, purchases).
func (tx *Tx) SetLeadCredits(ctx context.Context, n int) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	_, err := tx.q.exec(ctx, `UPDATE profiles SET lead_credits = $2, updated_at = $3 WHERE id = $1`, tx.userID, n, tx.now)
	return wrap(err, "set lead credits")
}

// UsageByService counts the tenant's recorded external calls per service.
func (tx *Tx) UsageByService(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	if err := tx.requireTenant(); err != nil {
		return out, err
	}
	rows, err := tx.q.query(ctx, `SELECT service, count(*) FROM api_usage WHERE user_id = $1 GROUP BY service`, tx.userID)
	if err != nil {
		return out, wrap(err, "usage by service")
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return out, wrap(err, "usage by service")
		}
		out[s] = n
	}
	return out, wrap(rows.Err(), "usage by service")
}

// UsageTotals sums the tenant's api_usage rows of one service: calls,
// credits (for Claude, tokens) and estimated cost in USD.
func (tx *Tx) UsageTotals(ctx context.Context, service string) (calls, credits int, cost float64, err error) {
	if err := tx.requireTenant(); err != nil {
		return 0, 0, 0, err
	}
	err = tx.q.queryRow(ctx, `SELECT count(*), coalesce(sum(credits_used), 0), coalesce(sum(cost_estimate), 0)
		FROM api_usage WHERE user_id = $1 AND service = $2`, tx.userID, service).Scan(&calls, &credits, &cost)
	return calls, credits, cost, wrap(err, "usage totals")
}
