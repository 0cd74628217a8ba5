package store

import (
	"context"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// prospectCounts are a campaign's prospects counted by status, by tier, and
// by tier among the qualified ones: from campaign_prospect_counts (migration
// 0025), which triggers keep in step with prospects. Counts of 0 are left
// out, as a GROUP BY over the prospects would leave them out.
type prospectCounts struct {
	byStatus, byTier, qualifiedByTier map[string]int
}

// prospectCounts reads a campaign's counts: a few rows of one index, however
// many prospects the campaign has. On SQLite each key has one row; on
// PostgreSQL a key's rows are deltas to sum (few, once compacted).
func (tx *Tx) prospectCounts(ctx context.Context, campaignID string) (prospectCounts, error) {
	c := prospectCounts{byStatus: map[string]int{}, byTier: map[string]int{}, qualifiedByTier: map[string]int{}}
	err := txn.EachRow(ctx, tx, "count prospects", func(r txn.Row) error {
		var kind, value string
		var n int
		if err := r.Scan(&kind, &value, &n); err != nil {
			return err
		}
		switch kind {
		case "status":
			c.byStatus[value] = n
		case "tier":
			c.byTier[value] = n
		case "qualified":
			c.qualifiedByTier[value] = n
		}
		return nil
	}, `SELECT kind, value, CAST(sum(n) AS BIGINT) FROM campaign_prospect_counts WHERE campaign_id = $1 AND user_id = $2
	GROUP BY kind, value HAVING sum(n) > 0`, campaignID, tx.UserID())
	return c, err
}
