ALTER TABLE enrichments ADD COLUMN website_analysis TEXT;
ALTER TABLE enrichments ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE campaigns ADD COLUMN discovery_finished_at TIMESTAMP;
CREATE UNIQUE INDEX idx_contacts_prospect_email ON contacts(prospect_id, email) WHERE email IS NOT NULL;
