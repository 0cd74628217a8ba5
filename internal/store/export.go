package store

import (
	"context"
	"time"
)

// ExportRow is one prospect with its primary contact and score, flattened
// for CSV.
type ExportRow struct {
	Prospect
	ContactFirstName  *string
	ContactLastName   *string
	ContactTitle      *string
	ContactEmail      *string
	ContactEmailState *string
	OverallScore      *int
	TierReason        *string
}

// ExportProspects streams the tenant's prospects matching f, newest first, to
// fn one row at a time, so memory stays flat however many there are.
func (tx *Tx) ExportProspects(ctx context.Context, f ProspectFilter, fn func(*ExportRow) error) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	w := tx.prospectWhere(ctx, f)
	rows, err := tx.q.query(ctx, `SELECT `+prospectColumns+`,
		c.first_name, c.last_name, c.title, c.email, c.email_verification_status, s.overall_score, s.tier_reason
		FROM prospects p
		LEFT JOIN contacts c ON c.prospect_id = p.id AND c.is_primary
		LEFT JOIN lead_scores s ON s.prospect_id = p.id
		WHERE `+w.sql()+` ORDER BY p.id DESC`, w.args...)
	if err != nil {
		return wrap(err, "export prospects")
	}
	defer rows.Close()
	var r ExportRow
	for rows.Next() {
		r = ExportRow{}
		p, err := scanProspect(rows, &r.ContactFirstName, &r.ContactLastName, &r.ContactTitle, &r.ContactEmail,
			&r.ContactEmailState, &r.OverallScore, &r.TierReason)
		if err != nil {
			return wrap(err, "scan export row")
		}
		r.Prospect = p
		if err := fn(&r); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "export prospects")
}

// Usage is one call to an external service, for cost tracking.
type Usage struct {
	Service      string
	Endpoint     string
	CreditsUsed  int
	CostEstimate float64
	Metadata     []byte // JSON, optional
	At           time.Time
}

// RecordUsage writes an api_usage row for the tenant.
func (tx *Tx) RecordUsage(ctx context.Context, u Usage) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	var meta any
	if len(u.Metadata) > 0 {
		meta = string(u.Metadata)
	}
	at := u.At
	if at.IsZero() {
		at = tx.now
	}
	_, err := tx.q.exec(ctx,
		`INSERT INTO api_usage (id, user_id, service, endpoint, credits_used, cost_estimate, metadata, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		NewID(), tx.userID, u.Service, u.Endpoint, u.CreditsUsed, u.CostEstimate, meta, at.UTC())
	return wrap(err, "record usage")
}
