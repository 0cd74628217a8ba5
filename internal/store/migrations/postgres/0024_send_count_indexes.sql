-- A send's claim counts each mailbox's sends of the last 24 hours (and the
-- campaign's, under a daily limit) along (mailbox_id, sent_at); with the
-- tenant in the index too, the count reads index entries only instead of
-- every counted message's row.
DROP INDEX IF EXISTS idx_messages_mailbox_sent;
DROP INDEX IF EXISTS idx_messages_campaign_sent;
CREATE INDEX IF NOT EXISTS idx_messages_mailbox_sent_user ON messages(mailbox_id, sent_at, user_id) WHERE sent_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_messages_campaign_sent_user ON messages(campaign_id, sent_at, user_id) WHERE sent_at IS NOT NULL;
