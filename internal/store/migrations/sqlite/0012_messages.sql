-- One row per email of an approved sequence: what is to be sent, when,
-- through which mailbox, and what became of it. The unique (sequence, step)
-- makes scheduling idempotent; the status moves only forward, and "sending"
-- is committed before the SMTP transaction starts, so a message found
-- "sending" after a crash is "uncertain" and never sent again by itself.
CREATE TABLE messages (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  campaign_id     TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  sequence_id     TEXT NOT NULL REFERENCES outreach_sequences(id) ON DELETE CASCADE,
  prospect_id     TEXT NOT NULL,
  contact_id      TEXT NOT NULL,
  step            INTEGER NOT NULL,
  mailbox_id      TEXT REFERENCES mailboxes(id) ON DELETE SET NULL,
  to_email        TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  status          TEXT NOT NULL,
  status_reason   TEXT,
  scheduled_at    TIMESTAMP NOT NULL,
  sent_at         TIMESTAMP,
  message_id      TEXT,
  provider        TEXT NOT NULL,
  provider_id     TEXT,
  opens           INTEGER NOT NULL DEFAULT 0,
  clicks          INTEGER NOT NULL DEFAULT 0,
  first_opened_at TIMESTAMP,
  replied_at      TIMESTAMP,
  created_at      TIMESTAMP NOT NULL,
  updated_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX idx_messages_sequence_step ON messages(sequence_id, step);
CREATE INDEX idx_messages_user ON messages(user_id, id);
CREATE INDEX idx_messages_campaign ON messages(campaign_id, user_id, id);
CREATE INDEX idx_messages_mailbox_sent ON messages(mailbox_id, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX idx_messages_to ON messages(user_id, to_email) WHERE status = 'scheduled';
