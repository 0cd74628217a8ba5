-- Reading the answers to what we send. Each mailbox with IMAP remembers
-- where the reading of its INBOX has got to (UIDVALIDITY and the last UID
-- handed over), when it was last read and what went wrong (a refused login
-- is shown on the mailbox), how many reads in a row failed and when to try
-- again (backoff), and a lease so that one poller at a time reads it, even
-- with several instances on one database.
ALTER TABLE mailboxes ADD COLUMN imap_uidvalidity BIGINT;
ALTER TABLE mailboxes ADD COLUMN imap_last_uid BIGINT;
ALTER TABLE mailboxes ADD COLUMN imap_error TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_checked_at TIMESTAMPTZ;
ALTER TABLE mailboxes ADD COLUMN imap_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN imap_next_at TIMESTAMPTZ;
ALTER TABLE mailboxes ADD COLUMN imap_lease TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_leased_until TIMESTAMPTZ;

-- An event made from an answer (a reply, an auto-reply, a bounce report,
-- an unsubscribe request, an Instantly webhook) says what kind of answer it
-- was and carries the answer's own key (its Message-ID, or a hash of its
-- bytes): the same answer read twice is recorded, and acts, once.
ALTER TABLE events ADD COLUMN answer TEXT;
ALTER TABLE events ADD COLUMN answer_key TEXT;
CREATE UNIQUE INDEX idx_events_answer_key ON events(user_id, answer_key) WHERE answer_key IS NOT NULL;

-- An answer names our message by its Message-ID; a soft bounce looks back
-- at the answers about one address.
CREATE INDEX idx_messages_message_id ON messages(user_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX idx_messages_to_email ON messages(user_id, to_email, id);

-- The poller lists the mailboxes to read across tenants: their ids and
-- owners only, in a transaction of the tables' owner that names this list
-- (store/owners.go). Named owner_lookup so that Migrate keeps it with the
-- tables' owner (roles.go); the application's role, with
-- DATABASE_OWNER_URL, is not concerned by it at all.
CREATE POLICY owner_lookup ON mailboxes FOR SELECT TO CURRENT_USER
  USING (current_setting('app.owner_list', true) = 'imap_mailboxes');
