-- Sending, part one: who the mail is from (the sender profile, which
-- CAN-SPAM requires before anything is sent), whom it must never go to
-- (suppressions), and the user's own mailboxes it goes out through.

CREATE TABLE sender_profiles (
  user_id          TEXT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
  sender_name      TEXT NOT NULL DEFAULT '',
  company_name     TEXT NOT NULL DEFAULT '',
  postal_address   TEXT NOT NULL DEFAULT '',
  signature        TEXT NOT NULL DEFAULT '',
  default_timezone TEXT NOT NULL DEFAULT 'UTC',
  created_at       TIMESTAMP NOT NULL,
  updated_at       TIMESTAMP NOT NULL
);

-- One row per suppressed address or domain; exactly one of email and
-- domain is set, both lowercased.
CREATE TABLE suppressions (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  email      TEXT,
  domain     TEXT,
  reason     TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  CHECK ((email IS NULL) <> (domain IS NULL))
);
CREATE UNIQUE INDEX idx_suppressions_email ON suppressions(user_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX idx_suppressions_domain ON suppressions(user_id, domain) WHERE domain IS NOT NULL;
CREATE INDEX idx_suppressions_user ON suppressions(user_id, id);

-- A campaign's sending settings (campaign/settings.Sending), written out
-- with their defaults like target_criteria, so the user sees what will
-- happen; campaigns made before this get the defaults.
ALTER TABLE campaigns ADD COLUMN sending TEXT;
UPDATE campaigns SET sending = '{"provider":"smtp","mailbox_ids":[],"instantly_accounts":[],"schedule":{"timezone":null,"days":[1,2,3,4,5],"start":"09:00","end":"17:00"},"min_gap_seconds":540,"max_gap_seconds":840,"daily_limit":null,"stop_on_reply":true,"stop_for_company":true,"track_opens":false,"track_clicks":false}';

-- A user's SMTP (and optional IMAP) mailbox. Passwords are sealed under
-- SECRET_KEY and bound to the user (internal/keys), never answered.
CREATE TABLE mailboxes (
  id               TEXT PRIMARY KEY,
  user_id          TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  email            TEXT NOT NULL,
  from_name        TEXT NOT NULL DEFAULT '',
  smtp_host        TEXT NOT NULL,
  smtp_port        INTEGER NOT NULL,
  smtp_security    TEXT NOT NULL,
  smtp_username    TEXT NOT NULL,
  smtp_password    TEXT NOT NULL,
  imap_host        TEXT,
  imap_port        INTEGER,
  imap_security    TEXT,
  imap_username    TEXT,
  imap_password    TEXT,
  daily_limit      INTEGER NOT NULL,
  warmup_enabled   BOOLEAN NOT NULL,
  warmup_start     INTEGER NOT NULL,
  warmup_increment INTEGER NOT NULL,
  status           TEXT NOT NULL,
  status_reason    TEXT,
  created_at       TIMESTAMP NOT NULL,
  updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX idx_mailboxes_user ON mailboxes(user_id, id);
CREATE UNIQUE INDEX idx_mailboxes_email ON mailboxes(user_id, email);
