package store

import (
	"context"
	"encoding/json"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// LeadRow is what the lead table shows of a prospect besides its own
// columns: its primary contact and its overall score.
type LeadRow struct {
	ContactName       *string
	ContactEmail      *string
	ContactEmailState *string
	OverallScore      *int
}

// LeadRowsOf reads the primary contact and score of the tenant's prospects
// ids (one page of a list), by prospect id; a prospect with neither is
// missing from the map. One query, whatever the page's size, so a list
// stays as fast as the page it reads.
func (tx *Tx) LeadRowsOf(ctx context.Context, ids []string) (map[string]LeadRow, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	out := make(map[string]LeadRow, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	w := &txn.Where{}
	if tx.Engine() == SQLite {
		// The unary plus keeps SQLite off the user_id index (it would walk
		// every one of the tenant's prospects): the page's ids lead.
		w.Add("+p.user_id = ?", tx.UserID())
		list, _ := json.Marshal(ids) // a []string always marshals
		w.Add("p.id IN (SELECT value FROM json_each(?))", string(list))
	} else {
		w.Add("p.user_id = ?", tx.UserID())
		w.Add("p.id = ANY (?::uuid[])", ids)
	}
	err := txn.EachRow(ctx, tx, "lead rows", func(r txn.Row) error {
		var id string
		var lr LeadRow
		var first, last *string
		if err := r.Scan(&id, &lr.ContactName, &first, &last, &lr.ContactEmail, &lr.ContactEmailState, &lr.OverallScore); err != nil {
			return err
		}
		if lr.ContactName == nil && (first != nil || last != nil) {
			name := joinName(first, last)
			lr.ContactName = &name
		}
		out[id] = lr
		return nil
	}, `SELECT p.id, c.name, c.first_name, c.last_name, c.email, c.email_verification_status, s.overall_score
		FROM prospects p
		LEFT JOIN contacts c ON c.prospect_id = p.id AND c.is_primary
		LEFT JOIN lead_scores s ON s.prospect_id = p.id
		WHERE `+w.SQL(), w.Args()...)
	return out, err
}

func joinName(first, last *string) string {
	var s string
	if first != nil {
		s = *first
	}
	if last != nil && *last != "" {
		if s != "" {
			s += " "
		}
		s += *last
	}
	return s
}
