-- Per-prospect lookups name both the prospect and the tenant
-- (WHERE prospect_id = $1 AND user_id = $2). With one-column indexes on
-- each, SQLite's planner, which has no statistics on a young database,
-- picked the tenant index and walked every contact of the user: 36% of the
-- CPU of a 10,000-prospect pipeline run. An index on both columns is the
-- obvious best choice for either engine.
CREATE INDEX idx_contacts_prospect_user ON contacts(prospect_id, user_id);
DROP INDEX idx_contacts_prospect;
CREATE INDEX idx_outreach_prospect_user ON outreach_sequences(prospect_id, user_id, id);
DROP INDEX idx_outreach_prospect;

-- The same for a campaign's rows (WHERE campaign_id = $1 AND user_id = $2),
-- kept in id order for pages and for discovery's scan of what it saved.
CREATE INDEX idx_prospects_campaign_user ON prospects(campaign_id, user_id, id);
DROP INDEX idx_prospects_campaign;
CREATE INDEX idx_outreach_campaign_user ON outreach_sequences(campaign_id, user_id, id);
DROP INDEX idx_outreach_campaign;
