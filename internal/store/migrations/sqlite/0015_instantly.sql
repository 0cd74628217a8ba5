-- Sending through Instantly. A Prospector campaign with provider instantly
-- has one Instantly campaign: its id once created, the status last
-- mirrored to it (active or paused), the last error Instantly answered (the
-- campaign's sending_problems show it), and a lease so that one sync at a
-- time talks to Instantly for it (two would create two campaigns). Each
-- pushed sequence keeps its Instantly lead id.
CREATE TABLE instantly_campaigns (
  campaign_id  TEXT PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
  user_id      TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  instantly_id TEXT,
  mirrored     TEXT NOT NULL DEFAULT '',
  last_error   TEXT,
  leased_until TIMESTAMP,
  updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX idx_instantly_campaigns_user ON instantly_campaigns(user_id);
ALTER TABLE outreach_sequences ADD COLUMN instantly_lead_id TEXT;
