-- Substring search over prospects (GET /api/prospects?q=): a trigram index,
-- so that a search need not test company_name, website and city of every row
-- of a campaign.
--
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may
-- create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The index cannot be on prospects itself. prospects has forced row-level
-- security, and PostgreSQL applies a query's own conditions after the
-- policy's unless they are leakproof. ILIKE is not (only a superuser can mark
-- a function so), so the planner never uses an index for it there, nor the
-- column statistics to estimate it.
--
-- prospect_search holds, per prospect, the three columns lowercased one by
-- one and joined by newlines, under the trigram index. A term without a
-- newline is in doc exactly when it is in one of the columns, case aside, and
-- x ILIKE p is lower(x) LIKE lower(p) in a UTF-8 database: so the store asks
-- doc LIKE lower(p) where the list asked ILIKE, and gets the same rows.
--
-- Row-level security is enabled here but not forced: its policy binds every
-- other role, while the application's role, the owner, can use the index.
-- The store reads this table only for candidate ids, scoped to the tenant,
-- which the list then reads from prospects, where the forced policy applies.
CREATE TABLE prospect_search (
  id      UUID PRIMARY KEY,
  user_id UUID NOT NULL,
  doc     TEXT NOT NULL
);

ALTER TABLE prospect_search ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON prospect_search
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);

CREATE FUNCTION prospect_search_doc(company_name TEXT, website TEXT, city TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN lower(company_name) || E'\n' || lower(coalesce(website, '')) || E'\n' || lower(coalesce(city, ''));

-- Triggers keep prospect_search in step with prospects. A foreign key would
-- follow deletes too, but its check of every inserted row doubled the cost of
-- an import. Rows come and go in batches (an import inserts hundreds per
-- statement; deleting a campaign cascades to all its prospects in one), so
-- inserts and deletes are copied once per statement from its transition table.
CREATE FUNCTION prospect_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO prospect_search (id, user_id, doc)
  SELECT id, user_id, prospect_search_doc(company_name, website, city) FROM inserted;
  RETURN NULL;
END
$$;
CREATE TRIGGER prospect_search_insert AFTER INSERT ON prospects
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION prospect_search_insert();

CREATE FUNCTION prospect_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM prospect_search s USING deleted d WHERE s.id = d.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER prospect_search_delete AFTER DELETE ON prospects
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION prospect_search_delete();

CREATE FUNCTION prospect_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE prospect_search SET user_id = NEW.user_id, doc = prospect_search_doc(NEW.company_name, NEW.website, NEW.city)
  WHERE id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER prospect_search_update AFTER UPDATE OF company_name, website, city, user_id ON prospects
  FOR EACH ROW
  WHEN (OLD.company_name IS DISTINCT FROM NEW.company_name OR OLD.website IS DISTINCT FROM NEW.website
     OR OLD.city IS DISTINCT FROM NEW.city OR OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION prospect_search_update();

-- Copy the prospects that exist already, tenant by tenant: this script runs
-- with no tenant, and the forced policy shows a tenant's prospects only to a
-- transaction that names it. No write slips between the copy and the
-- triggers: creating them locked prospects against writes until commit.
DO $$
DECLARE
  tenant UUID;
BEGIN
  FOR tenant IN SELECT id FROM users LOOP
    PERFORM set_config('app.user_id', tenant::text, true);
    INSERT INTO prospect_search (id, user_id, doc)
    SELECT id, user_id, prospect_search_doc(company_name, website, city) FROM prospects WHERE user_id = tenant;
  END LOOP;
  PERFORM set_config('app.user_id', '', true);
END
$$;

-- Built after the copy, which is faster than growing it row by row. Its
-- pending list, where new entries wait to be merged into the index, is kept
-- small: every search reads all of it, and the planner counts it in.
CREATE INDEX idx_prospect_search_doc ON prospect_search USING gin (doc gin_trgm_ops) WITH (gin_pending_list_limit = 256);
