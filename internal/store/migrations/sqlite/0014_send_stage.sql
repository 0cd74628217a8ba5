-- The send stage. A mailbox remembers when it may send next (the random gap
-- between its sends, reserved in the transaction that claims a message, so
-- two workers never send from it back to back) and may sign with DKIM (the
-- private key sealed like its passwords). A message counts its temporary
-- failures and since when it has been retrying (4xx answers are retried for
-- up to three days). A sequence says why it ended. Events record what
-- happened to each message, for its page and the campaign's counters.
ALTER TABLE mailboxes ADD COLUMN next_send_at TIMESTAMP;
ALTER TABLE mailboxes ADD COLUMN dkim_selector TEXT;
ALTER TABLE mailboxes ADD COLUMN dkim_private_key TEXT;
ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN retrying_since TIMESTAMP;
ALTER TABLE outreach_sequences ADD COLUMN status_reason TEXT;

CREATE TABLE events (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  message_id  TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  type        TEXT NOT NULL,
  occurred_at TIMESTAMP NOT NULL,
  machine     INTEGER NOT NULL DEFAULT 0,
  detail      TEXT,
  created_at  TIMESTAMP NOT NULL
);
CREATE INDEX idx_events_message ON events(message_id, id);
CREATE INDEX idx_events_user ON events(user_id, id);
CREATE INDEX idx_events_campaign ON events(campaign_id, user_id, id);

-- The campaign-wide daily limit counts a campaign's sends of the last 24
-- hours; waking a campaign or a mailbox finds its scheduled messages.
CREATE INDEX idx_messages_campaign_sent ON messages(campaign_id, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX idx_messages_status ON messages(user_id, status, campaign_id);
