-- Webhook deliveries already applied, by their key (Instantly: the email's
-- id with the event type, and a hash of the body): a repeated delivery
-- finds its receipt and changes nothing.
CREATE TABLE webhook_receipts (
  user_id     UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  source      TEXT NOT NULL,
  key         TEXT NOT NULL,
  event_type  TEXT NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (user_id, source, key)
);

-- A webhook names Instantly's campaign; the lead is the sequence's contact.
CREATE INDEX idx_instantly_campaigns_instantly_id ON instantly_campaigns(user_id, instantly_id);

-- Tenant isolation, as for every tenant table (0002_row_level_security.sql).
ALTER TABLE webhook_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_receipts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_receipts
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
