package store

import (
	"context"
	"strings"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// AdvanceProspect moves a prospect to status if it is currently in one of
// from, stamping the matching timestamp, and reports whether it moved. The
// guard keeps statuses from going backwards and makes retried jobs count once.
func (tx *Tx) AdvanceProspect(ctx context.Context, id string, from []string, to string) (bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return false, err
	}
	w := txn.Where{}
	w.Add("id = ?", id)
	w.Add("user_id = ?", tx.UserID())
	ph := make([]any, len(from))
	marks := make([]string, len(from))
	for i, f := range from {
		ph[i], marks[i] = f, "?"
	}
	w.Add("status IN ("+strings.Join(marks, ", ")+")", ph...)
	args := append(w.Args(), to)
	set := "status = $" + itoa(len(args))
	if col := statusTimestamp[to]; col != "" {
		args = append(args, tx.Now())
		set += ", " + col + " = $" + itoa(len(args))
	}
	n, err := tx.Exec(ctx, `UPDATE prospects SET `+set+` WHERE `+w.SQL(), args...)
	return n == 1, txn.Wrap(err, "advance prospect %s to %s", id, to)
}

// statusTimestamp names the column stamped when a prospect reaches a status.
var statusTimestamp = map[string]string{
	ProspectEnriched:     "enriched_at",
	ProspectQualified:    "qualified_at",
	ProspectDisqualified: "qualified_at",
	ProspectContacted:    "contacted_at",
}

// ProspectIDsWithStatus lists a campaign's prospects in a status, oldest first.
func (tx *Tx) ProspectIDsWithStatus(ctx context.Context, campaignID, status string) ([]string, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	return txn.QueryAll(ctx, tx, "prospects with status", txn.ScanID,
		`SELECT id FROM prospects WHERE campaign_id = $1 AND user_id = $2 AND status = $3 ORDER BY id`, campaignID, tx.UserID(), status)
}

// CampaignsOfProspects maps prospect ids to their campaign ids.
func (tx *Tx) CampaignsOfProspects(ctx context.Context, prospectIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if err := tx.RequireTenant(); err != nil {
		return out, err
	}
	for start := 0; start < len(prospectIDs); start += 500 {
		chunk := prospectIDs[start:min(start+500, len(prospectIDs))]
		w := txn.Where{}
		w.Add("user_id = ?", tx.UserID())
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = "?", id
		}
		w.Add("id IN ("+strings.Join(marks, ", ")+")", args...)
		err := txn.EachRow(ctx, tx, "campaigns of prospects", func(r txn.Row) error {
			var id, c string
			if err := r.Scan(&id, &c); err != nil {
				return err
			}
			out[id] = c
			return nil
		}, `SELECT id, campaign_id FROM prospects WHERE `+w.SQL(), w.Args()...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
