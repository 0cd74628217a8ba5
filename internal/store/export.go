package store

import (
	"context"
	"strings"

	"github.com/prospectorhq/prospector/internal/store/txn"
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
// fn one row at a time, so memory stays flat however many there are. fn gets
// the same *ExportRow each time, refilled: it must not keep it. The rows
// leave SourceData empty (the CSV has no column for a listing's raw JSON,
// which is the largest value of a row): reading it only made garbage.
func (tx *Tx) ExportProspects(ctx context.Context, f ProspectFilter, fn func(*ExportRow) error) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	w := tx.prospectWhere(ctx, f)
	rows, err := tx.Query(ctx, `SELECT `+strings.Replace(prospectColumns, "p.source_data", "NULL", 1)+`,
		c.first_name, c.last_name, c.title, c.email, c.email_verification_status, s.overall_score, s.tier_reason
		FROM prospects p
		LEFT JOIN contacts c ON c.prospect_id = p.id AND c.is_primary
		LEFT JOIN lead_scores s ON s.prospect_id = p.id
		WHERE `+w.SQL()+` ORDER BY p.id DESC`, w.Args()...)
	if err != nil {
		return txn.Wrap(err, "export prospects")
	}
	defer rows.Close()
	// One row and one list of scan targets for the whole export.
	var r ExportRow
	var data []byte
	p := &r.Prospect
	dest := []any{&p.ID, &p.CampaignID, &p.CompanyName, &p.Website, &p.Phone, &p.Address, &p.City, &p.State, &p.Zip,
		&p.Source, &p.SourceID, &data, &p.Status, &p.Tier, &p.DiscoveredAt, &p.EnrichedAt, &p.QualifiedAt, &p.ContactedAt,
		&r.ContactFirstName, &r.ContactLastName, &r.ContactTitle, &r.ContactEmail, &r.ContactEmailState, &r.OverallScore, &r.TierReason}
	for rows.Next() {
		r = ExportRow{}
		if err := rows.Scan(dest...); err != nil {
			return txn.Wrap(err, "scan export row")
		}
		p.DiscoveredAt = p.DiscoveredAt.UTC()
		txn.UTCOptional(&p.EnrichedAt, &p.QualifiedAt, &p.ContactedAt)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return txn.Wrap(rows.Err(), "export prospects")
}
