-- Research provenance: which model and prompt version wrote company_summary,
-- pain_points and personalization_hooks, and the evidence behind any size or
-- revenue estimate.
ALTER TABLE enrichments ADD COLUMN research JSONB;

-- Drafting provenance and edits.
ALTER TABLE outreach_sequences ADD COLUMN prompt_version TEXT;
ALTER TABLE outreach_sequences ADD COLUMN updated_at TIMESTAMPTZ;

-- One open draft per prospect and contact: regenerating replaces it.
CREATE UNIQUE INDEX idx_outreach_open_draft ON outreach_sequences(prospect_id, contact_id) WHERE status = 'draft';
CREATE INDEX idx_outreach_campaign ON outreach_sequences(campaign_id);
