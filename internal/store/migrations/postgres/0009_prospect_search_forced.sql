-- Row-level security on prospect_search was enabled but not forced (0003), so
-- that the application's role, which owned it, could use the trigram index.
-- It could also read every tenant's names, websites and cities from it with
-- no tenant set. Now it is forced, as on every other tenant table.
--
-- Under a policy, the planner cannot use the index for the search's own
-- doc LIKE ...: LIKE is not leakproof, so it runs only after the policy (see
-- 0003). A policy's own conditions do not wait: so the search term goes into
-- one. search_term, restrictive (it narrows tenant_isolation) and for reads
-- only, keeps the rows whose doc is LIKE the transaction's
-- app.search_pattern, and every row when that is empty, as it is outside
-- prospect_search_ids. Setting the pattern can only hide rows.
ALTER TABLE prospect_search FORCE ROW LEVEL SECURITY;

CREATE POLICY search_term ON prospect_search AS RESTRICTIVE FOR SELECT
  USING (doc LIKE coalesce(NULLIF(current_setting('app.search_pattern', true), ''), '%'));

-- The search: the ids of the tenant's rows whose doc is LIKE pattern (already
-- lowercased, and escaped for LIKE's default escape, a backslash), at most
-- max_rows. The pattern is set for this one query and cleared before the
-- function returns, so the statements after it (the triggers' updates and
-- deletes of prospect_search among them) see every row. The query tests the
-- pattern itself too, so that its answer is exact with or without the policy.
CREATE FUNCTION prospect_search_ids(tenant UUID, pattern TEXT, max_rows INTEGER) RETURNS SETOF UUID
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('app.search_pattern', pattern, true);
  RETURN QUERY SELECT s.id FROM prospect_search s WHERE s.user_id = tenant AND s.doc LIKE pattern LIMIT max_rows;
  PERFORM set_config('app.search_pattern', '', true);
END
$$;
