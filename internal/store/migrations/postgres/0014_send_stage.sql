-- The send stage. A mailbox remembers when it may send next (the random gap
-- between its sends, reserved in the transaction that claims a message, so
-- two workers never send from it back to back) and may sign with DKIM (the
-- private key sealed like its passwords). A message counts its temporary
-- failures and since when it has been retrying (4xx answers are retried for
-- up to three days). A sequence says why it ended. Events record what
-- happened to each message, for its page and the campaign's counters.
ALTER TABLE mailboxes ADD COLUMN next_send_at TIMESTAMPTZ;
ALTER TABLE mailboxes ADD COLUMN dkim_selector TEXT;
ALTER TABLE mailboxes ADD COLUMN dkim_private_key TEXT;
ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN retrying_since TIMESTAMPTZ;
ALTER TABLE outreach_sequences ADD COLUMN status_reason TEXT;

CREATE TABLE events (
  id          UUID PRIMARY KEY,
  user_id     UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  campaign_id UUID NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  message_id  UUID NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  type        TEXT NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  machine     BOOLEAN NOT NULL DEFAULT FALSE,
  detail      TEXT,
  created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_events_message ON events(message_id, id);
CREATE INDEX idx_events_user ON events(user_id, id);
CREATE INDEX idx_events_campaign ON events(campaign_id, user_id, id);

-- The campaign-wide daily limit counts a campaign's sends of the last 24
-- hours; waking a campaign or a mailbox finds its scheduled messages.
CREATE INDEX idx_messages_campaign_sent ON messages(campaign_id, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX idx_messages_status ON messages(user_id, status, campaign_id);

-- Tenant isolation, as for every tenant table (0002_row_level_security.sql).
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
