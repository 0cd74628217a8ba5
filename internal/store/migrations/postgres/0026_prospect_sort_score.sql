-- The lead table's "best first" order (highest score first, then newest):
-- sort_score is the prospect's lead_scores.overall_score, copied on every
-- scoring in the same transaction (UpsertLeadScore), and -1 before its
-- first, so that prospects not scored yet come last and the order is one
-- index walk on either engine, a page at a time, at a million prospects.
-- It is a sort key only: the score a user reads is lead_scores'.
ALTER TABLE prospects ADD COLUMN sort_score INTEGER NOT NULL DEFAULT -1;

-- Copy the scores that exist already, tenant by tenant: this script runs
-- with no tenant, and the forced policies show a tenant's rows only to a
-- transaction set to it (as 0025_campaign_prospect_counts.sql).
DO $$
DECLARE
  tenant UUID;
BEGIN
  FOR tenant IN SELECT id FROM users LOOP
    PERFORM set_config('app.user_id', tenant::text, true);
    UPDATE prospects p SET sort_score = s.overall_score
    FROM lead_scores s WHERE s.prospect_id = p.id AND p.user_id = tenant AND s.user_id = tenant;
  END LOOP;
  PERFORM set_config('app.user_id', '', true);
END
$$;

CREATE INDEX idx_prospects_user_campaign_score ON prospects(user_id, campaign_id, sort_score, id);
CREATE INDEX idx_prospects_user_score ON prospects(user_id, sort_score, id);
