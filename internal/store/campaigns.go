package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Campaign statuses.
const (
	CampaignDraft     = "draft"
	CampaignRunning   = "running"
	CampaignPaused    = "paused"
	CampaignCompleted = "completed"
)

// Campaign is the spec's campaigns row.
type Campaign struct {
	ID             string          `json:"id"`
	UserID         string          `json:"-"`
	Name           string          `json:"name"`
	BusinessType   string          `json:"business_type"`
	TargetLocation string          `json:"target_location"`
	TargetCriteria json.RawMessage `json:"target_criteria"`
	Sending        json.RawMessage `json:"sending"`
	Status         string          `json:"status"`
	StatusReason   *string         `json:"status_reason"`
	LeadsFound     int             `json:"leads_found"`
	LeadsEnriched  int             `json:"leads_enriched"`
	LeadsQualified int             `json:"leads_qualified"`
	OutreachSent   int             `json:"outreach_sent"`
	// DiscoverySources is shown through stats, not on the campaign itself.
	DiscoverySources json.RawMessage `json:"-"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

const campaignColumns = `id, user_id, name, business_type, target_location, target_criteria, sending, status, status_reason,
	leads_found, leads_enriched, leads_qualified, outreach_sent, discovery_sources, created_at, updated_at`

func scanCampaign(r txn.Row) (Campaign, error) {
	var c Campaign
	var criteria, sending, sources []byte
	err := r.Scan(&c.ID, &c.UserID, &c.Name, &c.BusinessType, &c.TargetLocation, &criteria, &sending, &c.Status, &c.StatusReason,
		&c.LeadsFound, &c.LeadsEnriched, &c.LeadsQualified, &c.OutreachSent, &sources, &c.CreatedAt, &c.UpdatedAt)
	c.TargetCriteria = json.RawMessage(criteria)
	c.Sending = json.RawMessage(sending)
	if len(sources) > 0 {
		c.DiscoverySources = json.RawMessage(sources)
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, err
}

// CampaignParams are the user-editable fields of a campaign.
type CampaignParams struct {
	Name           string
	BusinessType   string
	TargetLocation string
	TargetCriteria json.RawMessage
	Sending        json.RawMessage
}

// CreateCampaign inserts a draft campaign for the tenant.
func (tx *Tx) CreateCampaign(ctx context.Context, p CampaignParams) (Campaign, error) {
	if err := tx.RequireTenant(); err != nil {
		return Campaign{}, err
	}
	c, err := scanCampaign(tx.QueryRow(ctx,
		`INSERT INTO campaigns (id, user_id, name, business_type, target_location, target_criteria, sending, status, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING `+campaignColumns,
		NewID(), tx.UserID(), p.Name, p.BusinessType, p.TargetLocation, string(p.TargetCriteria), txn.JSONArg(p.Sending), CampaignDraft, tx.Now()))
	return c, txn.Wrap(err, "create campaign")
}

// Campaign returns one of the tenant's campaigns.
func (tx *Tx) Campaign(ctx context.Context, id string) (Campaign, error) {
	return txn.GetTenant(ctx, tx.Tx, "campaigns", campaignColumns, "campaign", id, false, scanCampaign)
}

// CampaignForUpdate is Campaign, locking the row (see forUpdate) so that two
// requests changing its status serialize.
func (tx *Tx) CampaignForUpdate(ctx context.Context, id string) (Campaign, error) {
	return txn.GetTenant(ctx, tx.Tx, "campaigns", campaignColumns, "campaign", id, true, scanCampaign)
}

// ListCampaigns returns the tenant's campaigns, newest first.
func (tx *Tx) ListCampaigns(ctx context.Context, page Page) ([]Campaign, string, error) {
	return txn.ListTenant(ctx, tx.Tx, "campaigns", campaignColumns, page, func(c Campaign) string { return c.ID }, scanCampaign)
}

// UpdateCampaign replaces the editable fields.
func (tx *Tx) UpdateCampaign(ctx context.Context, id string, p CampaignParams) (Campaign, error) {
	if err := tx.RequireTenant(); err != nil {
		return Campaign{}, err
	}
	c, err := scanCampaign(tx.QueryRow(ctx,
		`UPDATE campaigns SET name = $3, business_type = $4, target_location = $5, target_criteria = $6, sending = $8, updated_at = $7
		 WHERE id = $1 AND user_id = $2 RETURNING `+campaignColumns,
		id, tx.UserID(), p.Name, p.BusinessType, p.TargetLocation, string(p.TargetCriteria), tx.Now(), txn.JSONArg(p.Sending)))
	return c, txn.Wrap(err, "update campaign %s", id)
}

// SetCampaignStatus moves a campaign to status, with an optional reason
// (e.g. "insufficient_credits") shown to the user.
func (tx *Tx) SetCampaignStatus(ctx context.Context, id, status string, reason *string) (Campaign, error) {
	if err := tx.RequireTenant(); err != nil {
		return Campaign{}, err
	}
	c, err := scanCampaign(tx.QueryRow(ctx,
		`UPDATE campaigns SET status = $3, status_reason = $4, updated_at = $5
		 WHERE id = $1 AND user_id = $2 RETURNING `+campaignColumns,
		id, tx.UserID(), status, reason, tx.Now()))
	return c, txn.Wrap(err, "set campaign %s status", id)
}

// DeleteCampaign removes a campaign and, by cascade, everything found for it.
func (tx *Tx) DeleteCampaign(ctx context.Context, id string) error {
	return tx.DeleteTenant(ctx, "campaign "+id, `DELETE FROM campaigns WHERE id = $1 AND user_id = $2`, id, tx.UserID())
}

// CampaignCounters are amounts to add to a campaign's lead counters; a
// negative amount takes some back (a rescore that disqualifies).
type CampaignCounters struct {
	Found, Enriched, Qualified, Sent int
}

// AddCampaignCounters adds to a campaign's lead counters in one statement, so
// concurrent jobs never lose an increment.
func (tx *Tx) AddCampaignCounters(ctx context.Context, id string, add CampaignCounters) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx,
		`UPDATE campaigns SET leads_found = leads_found + $3, leads_enriched = leads_enriched + $4,
		 leads_qualified = leads_qualified + $5, outreach_sent = outreach_sent + $6, updated_at = $7
		 WHERE id = $1 AND user_id = $2`,
		id, tx.UserID(), add.Found, add.Enriched, add.Qualified, add.Sent, tx.Now())
	return txn.Wrap(err, "count campaign %s", id)
}
