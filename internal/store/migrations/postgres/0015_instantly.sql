-- Sending through Instantly. A Prospector campaign with provider instantly
-- has one Instantly campaign: its id once created, the status last
-- mirrored to it (active or paused), the last error Instantly answered (the
-- campaign's sending_problems show it), and a lease so that one sync at a
-- time talks to Instantly for it (two would create two campaigns). Each
-- pushed sequence keeps its Instantly lead id.
CREATE TABLE instantly_campaigns (
  campaign_id  UUID PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
  user_id      UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  instantly_id TEXT,
  mirrored     TEXT NOT NULL DEFAULT '',
  last_error   TEXT,
  leased_until TIMESTAMPTZ,
  updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_instantly_campaigns_user ON instantly_campaigns(user_id);
ALTER TABLE outreach_sequences ADD COLUMN instantly_lead_id TEXT;

-- Tenant isolation, as for every tenant table (0002_row_level_security.sql).
ALTER TABLE instantly_campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE instantly_campaigns FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON instantly_campaigns
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
