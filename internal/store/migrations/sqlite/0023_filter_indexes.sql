-- The prospect list filters by tenant, optionally campaign, and status or
-- tier, newest first (WHERE p.user_id = $1 [AND p.campaign_id = $2] AND
-- p.status = $3 ORDER BY p.id DESC). The old (campaign_id, status, id) and
-- (campaign_id, tier, id) indexes lacked user_id, so the planner preferred
-- (campaign_id, user_id, id) and, for a status or tier with no rows, walked
-- the whole campaign (issue 15: 85 ms at 100k prospects on SQLite, 1.1 s at
-- a million). These lead with the tenant and name every equality of the
-- filter before the id the list pages by, so that a status or tier with no
-- rows is one index probe, with or without planner statistics, and the
-- cross-campaign list (the Leads page without a campaign) has its own.
CREATE INDEX idx_prospects_user_campaign_status ON prospects(user_id, campaign_id, status, id);
CREATE INDEX idx_prospects_user_campaign_tier ON prospects(user_id, campaign_id, tier, id);
CREATE INDEX idx_prospects_user_status ON prospects(user_id, status, id);
CREATE INDEX idx_prospects_user_tier ON prospects(user_id, tier, id);
DROP INDEX idx_prospects_status;
DROP INDEX idx_prospects_tier;
