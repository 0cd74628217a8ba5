-- A campaign's prospects counted by status and by tier, kept by triggers in
-- the same transaction as every INSERT, UPDATE and DELETE of prospects (the
-- cascades from campaigns and profiles fire them too), so that a campaign's
-- stats read a handful of rows instead of grouping every prospect (issue 15:
-- 0.9 s at a million), and CompleteCampaignIfDone knows whether anything
-- waits for enrichment or scoring without walking the campaign after every
-- job. kind is 'status' (value a status), 'tier' (value a tier) or
-- 'qualified' (value the tier of prospects in status qualified, which wait
-- for a draft when their tier gets outreach).
--
-- Unlike SQLite (one writer, so one row per count updated in place), here
-- the counts are deltas: each statement that changes prospects INSERTs its
-- changes summed per key, and a count is the sum of its key's rows. An
-- INSERT without a unique key locks nothing another transaction waits for:
-- one row per count, updated in place, was a row every job of a campaign
-- locked until it committed, in whatever order its statements came, and
-- concurrent jobs deadlocked on it against the campaign's row (issue 15;
-- TestDiscoveryFindsDedupsAndCharges went from 15–30 s to 110–120 s). There
-- is no foreign key for the same reason (its check takes a share lock on the
-- campaign's row, which CompleteCampaignIfDone locks FOR UPDATE): deleting a
-- campaign deletes its rows by trigger instead. prospect_counts_compact
-- folds a campaign's rows into one per key, skipping rows another
-- transaction is folding, so it never waits either; the triggers run it
-- after one statement in 16 or so, which keeps a campaign's rows few however
-- many changes it sees (a sum over about a hundred rows). A rolled-back transaction takes its
-- deltas back with it, and retried jobs change a prospect once
-- (AdvanceProspect's guard): the counts stay exact, which tests check
-- against a recount after randomized and concurrent runs.
CREATE TABLE campaign_prospect_counts (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  campaign_id UUID NOT NULL,
  user_id     UUID NOT NULL,
  kind        TEXT NOT NULL,
  value       TEXT NOT NULL,
  n           BIGINT NOT NULL
);
CREATE INDEX idx_campaign_prospect_counts_campaign ON campaign_prospect_counts(campaign_id, kind, value) INCLUDE (n);
-- A user's counts across campaigns (the dashboard's prospects by tier).
CREATE INDEX idx_campaign_prospect_counts_user ON campaign_prospect_counts(user_id, kind, value) INCLUDE (n);

-- Folds campaign c's rows into one per key (none for a sum of 0). It takes
-- only rows no other transaction is folding (SKIP LOCKED) and inserts
-- without a unique key: it never waits for a lock, so it can run inside any
-- transaction. A concurrent reader sees the old rows or, once this commits,
-- the folded ones, never both. As the invoker, under the forced policy: the
-- tenant's rows only.
CREATE FUNCTION prospect_counts_compact(c UUID) RETURNS void LANGUAGE sql AS $$
  WITH folded AS (
    DELETE FROM campaign_prospect_counts WHERE id IN (
      SELECT id FROM campaign_prospect_counts WHERE campaign_id = c FOR UPDATE SKIP LOCKED)
    RETURNING user_id, kind, value, n)
  INSERT INTO campaign_prospect_counts (campaign_id, user_id, kind, value, n)
  SELECT c, user_id, kind, value, sum(n) FROM folded GROUP BY user_id, kind, value HAVING sum(n) <> 0;
$$;

-- Once per statement, from its transition tables (an import inserts
-- hundreds of rows per statement): the changes summed per key, as the
-- tenant whose prospects changed (the forced policy on prospects made sure
-- of that). A delete whose campaign is gone (its cascade) adds nothing: the
-- campaign's trigger below removes its rows.
CREATE FUNCTION prospect_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO campaign_prospect_counts (campaign_id, user_id, kind, value, n)
    SELECT r.campaign_id, r.user_id, k.kind, k.value, count(*)
    FROM new_rows r CROSS JOIN LATERAL (VALUES ('status', r.status), ('tier', r.tier),
      ('qualified', CASE WHEN r.status = 'qualified' THEN r.tier END)) AS k(kind, value)
    WHERE k.value IS NOT NULL
    GROUP BY r.campaign_id, r.user_id, k.kind, k.value;
    IF random() < 0.0625 THEN
      PERFORM prospect_counts_compact(r.campaign_id) FROM (SELECT DISTINCT campaign_id FROM new_rows) r;
    END IF;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO campaign_prospect_counts (campaign_id, user_id, kind, value, n)
    SELECT d.campaign_id, d.user_id, k.kind, k.value, sum(d.d)
    FROM (SELECT campaign_id, user_id, status, tier, 1 AS d FROM new_rows
          UNION ALL SELECT campaign_id, user_id, status, tier, -1 FROM old_rows) AS d
    CROSS JOIN LATERAL (VALUES ('status', d.status), ('tier', d.tier),
      ('qualified', CASE WHEN d.status = 'qualified' THEN d.tier END)) AS k(kind, value)
    WHERE k.value IS NOT NULL
    GROUP BY d.campaign_id, d.user_id, k.kind, k.value HAVING sum(d.d) <> 0;
    IF FOUND AND random() < 0.0625 THEN
      PERFORM prospect_counts_compact(r.campaign_id) FROM (SELECT DISTINCT campaign_id FROM new_rows) r;
    END IF;
  ELSE
    INSERT INTO campaign_prospect_counts (campaign_id, user_id, kind, value, n)
    SELECT r.campaign_id, r.user_id, k.kind, k.value, -count(*)
    FROM old_rows r CROSS JOIN LATERAL (VALUES ('status', r.status), ('tier', r.tier),
      ('qualified', CASE WHEN r.status = 'qualified' THEN r.tier END)) AS k(kind, value)
    WHERE k.value IS NOT NULL AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = r.campaign_id)
    GROUP BY r.campaign_id, r.user_id, k.kind, k.value;
    IF FOUND AND random() < 0.0625 THEN
      PERFORM prospect_counts_compact(r.campaign_id) FROM (SELECT DISTINCT campaign_id FROM old_rows) r;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER prospect_counts_insert AFTER INSERT ON prospects REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION prospect_counts_apply();
-- PostgreSQL refuses a column list on a trigger with transition tables:
-- this one runs after every UPDATE of prospects, and adds nothing when no
-- status, tier or campaign changed (the sums are all 0).
CREATE TRIGGER prospect_counts_update AFTER UPDATE ON prospects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION prospect_counts_apply();
CREATE TRIGGER prospect_counts_delete AFTER DELETE ON prospects REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION prospect_counts_apply();

-- A deleted campaign's counts go with it. AFTER triggers fire in name
-- order and the cascade's ("RI_…") comes first, so its prospects' deltas
-- are already in (none: their campaign is gone) when these rows go.
CREATE FUNCTION prospect_counts_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM campaign_prospect_counts c USING old_rows o WHERE c.campaign_id = o.id;
  RETURN NULL;
END $$;
CREATE TRIGGER prospect_counts_forget AFTER DELETE ON campaigns REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION prospect_counts_forget();

-- Count the prospects that exist already, tenant by tenant: this script runs
-- with no tenant, and the forced policy shows a tenant's prospects only to a
-- transaction that names it (as in 0003). Creating the triggers locked
-- prospects against writes until commit.
DO $$
DECLARE
  tenant UUID;
BEGIN
  FOR tenant IN SELECT id FROM users LOOP
    PERFORM set_config('app.user_id', tenant::text, true);
    INSERT INTO campaign_prospect_counts (campaign_id, user_id, kind, value, n)
    SELECT r.campaign_id, r.user_id, k.kind, k.value, count(*)
    FROM prospects r CROSS JOIN LATERAL (VALUES ('status', r.status), ('tier', r.tier),
      ('qualified', CASE WHEN r.status = 'qualified' THEN r.tier END)) AS k(kind, value)
    WHERE r.user_id = tenant AND k.value IS NOT NULL
    GROUP BY r.campaign_id, r.user_id, k.kind, k.value;
  END LOOP;
  PERFORM set_config('app.user_id', '', true);
END
$$;

-- Tenant isolation, as for every tenant table (0002_row_level_security.sql).
ALTER TABLE campaign_prospect_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_prospect_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON campaign_prospect_counts
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
