package store

import "context"

// OutreachCounts are a campaign's sequence outcomes.
type OutreachCounts struct {
	// Drafts wait for review; Approved were signed off and wait to send.
	Drafts   int `json:"drafts"`
	Approved int `json:"approved"`
	Sent     int `json:"sent"`
	Opened   int `json:"opened"`
	Clicked  int `json:"clicked"`
	Replied  int `json:"replied"`
	Bounced  int `json:"bounced"`
}

// CampaignStats are the counts behind a campaign's progress.
type CampaignStats struct {
	ByStatus map[string]int
	ByTier   map[string]int
	Outreach OutreachCounts
}

// CampaignStats counts a campaign's prospects by status and tier, and its
// sequences by outcome.
func (tx *Tx) CampaignStats(ctx context.Context, campaignID string) (CampaignStats, error) {
	st := CampaignStats{ByStatus: map[string]int{}, ByTier: map[string]int{}}
	if err := tx.requireTenant(); err != nil {
		return st, err
	}
	for _, g := range []struct {
		col  string
		into map[string]int
	}{{"status", st.ByStatus}, {"tier", st.ByTier}} {
		err := eachRow(ctx, tx.q, "count prospects by "+g.col, func(r row) error { return scanCount(r, g.into) },
			`SELECT `+g.col+`, count(*) FROM prospects
			WHERE campaign_id = $1 AND user_id = $2 AND `+g.col+` IS NOT NULL GROUP BY `+g.col, campaignID, tx.userID)
		if err != nil {
			return st, err
		}
	}
	o := &st.Outreach
	err := tx.q.queryRow(ctx, `SELECT
		coalesce(sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN opens > 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN clicks > 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN replies > 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN status = 'bounced' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN status = 'draft' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), 0)
		FROM outreach_sequences WHERE campaign_id = $1 AND user_id = $2`, campaignID, tx.userID).
		Scan(&o.Sent, &o.Opened, &o.Clicked, &o.Replied, &o.Bounced, &o.Drafts, &o.Approved)
	return st, wrap(err, "count outreach")
}

// RefreshPlannerStats has PostgreSQL re-read the prospect tables' statistics
// after a bulk change; until autovacuum does, a freshly imported campaign gets
// plans that read it whole. SQLite needs nothing. Only the tables' owner may
// ANALYZE them (another role's is skipped with a warning).
func (s *Store) RefreshPlannerStats(ctx context.Context) error {
	if s.engine != Postgres {
		return nil
	}
	_, err := s.PGOwnerPool().Exec(ctx, "ANALYZE prospects, prospect_search")
	return wrap(err, "analyze prospects")
}
