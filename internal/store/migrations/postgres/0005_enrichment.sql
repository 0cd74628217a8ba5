-- Enrichment details beyond the spec's columns: the analysis factors and,
-- when a site could not be analysed, why (a finding, not a failure).
ALTER TABLE enrichments ADD COLUMN website_analysis JSONB;
ALTER TABLE enrichments ADD COLUMN updated_at TIMESTAMPTZ;

-- Set when a campaign's discovery run has finished; cleared on start. A
-- running campaign completes once discovery has finished and no prospect is
-- still waiting for a pipeline stage.
ALTER TABLE campaigns ADD COLUMN discovery_finished_at TIMESTAMPTZ;

CREATE UNIQUE INDEX idx_contacts_prospect_email ON contacts(prospect_id, email) WHERE email IS NOT NULL;

-- Service-to-service enrich calls know only a prospect id (see 0004).
CREATE POLICY system_owner_lookup ON prospects FOR SELECT
  USING (current_setting('app.role', true) = 'system');
