-- One row per email of an approved sequence: what is to be sent, when,
-- through which mailbox, and what became of it. The unique (sequence, step)
-- makes scheduling idempotent; the status moves only forward, and "sending"
-- is committed before the SMTP transaction starts, so a message found
-- "sending" after a crash is "uncertain" and never sent again by itself.
CREATE TABLE messages (
  id              UUID PRIMARY KEY,
  user_id         UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  campaign_id     UUID NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  sequence_id     UUID NOT NULL REFERENCES outreach_sequences(id) ON DELETE CASCADE,
  prospect_id     UUID NOT NULL,
  contact_id      UUID NOT NULL,
  step            INTEGER NOT NULL,
  mailbox_id      UUID REFERENCES mailboxes(id) ON DELETE SET NULL,
  to_email        TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  status          TEXT NOT NULL,
  status_reason   TEXT,
  scheduled_at    TIMESTAMPTZ NOT NULL,
  sent_at         TIMESTAMPTZ,
  message_id      TEXT,
  provider        TEXT NOT NULL,
  provider_id     TEXT,
  opens           INTEGER NOT NULL DEFAULT 0,
  clicks          INTEGER NOT NULL DEFAULT 0,
  first_opened_at TIMESTAMPTZ,
  replied_at      TIMESTAMPTZ,
  created_at      TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX idx_messages_sequence_step ON messages(sequence_id, step);
CREATE INDEX idx_messages_user ON messages(user_id, id);
CREATE INDEX idx_messages_campaign ON messages(campaign_id, user_id, id);
CREATE INDEX idx_messages_mailbox_sent ON messages(mailbox_id, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX idx_messages_to ON messages(user_id, to_email) WHERE status = 'scheduled';

-- Tenant isolation, as for every tenant table (0002_row_level_security.sql).
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messages
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
