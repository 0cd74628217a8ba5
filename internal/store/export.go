package store

import (
	"context"
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
