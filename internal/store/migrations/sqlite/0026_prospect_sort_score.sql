-- The lead table's "best first" order (highest score first, then newest):
-- sort_score is the prospect's lead_scores.overall_score, copied on every
-- scoring in the same transaction (UpsertLeadScore), and -1 before its
-- first, so that prospects not scored yet come last and the order is one
-- index walk on either engine, a page at a time, at a million prospects.
-- It is a sort key only: the score a user reads is lead_scores'.
ALTER TABLE prospects ADD COLUMN sort_score INTEGER NOT NULL DEFAULT -1;
UPDATE prospects SET sort_score = (SELECT s.overall_score FROM lead_scores s WHERE s.prospect_id = prospects.id)
WHERE EXISTS (SELECT 1 FROM lead_scores s WHERE s.prospect_id = prospects.id);
CREATE INDEX idx_prospects_user_campaign_score ON prospects(user_id, campaign_id, sort_score, id);
CREATE INDEX idx_prospects_user_score ON prospects(user_id, sort_score, id);
