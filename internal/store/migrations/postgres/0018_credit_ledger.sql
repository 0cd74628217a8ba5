-- The credit ledger: every change of profiles.lead_credits (a grant, a
-- discovery charge, a refund for an unreachable lead, a monthly reset, an
-- operator's adjustment) is one row, written in the same transaction as the
-- change, with the balance after it. The balance never goes below zero. A
-- prospect is charged at most once and refunded at most once (the partial
-- unique index). campaign_id and prospect_id are kept as history, without
-- foreign keys: deleting a campaign must not delete what was paid for it,
-- or the entries would no longer add up to the balance.
CREATE TABLE credit_ledger (
  id            UUID PRIMARY KEY,
  user_id       UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('grant', 'charge', 'refund', 'reset', 'adjustment')),
  amount        INTEGER NOT NULL,
  balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
  campaign_id   UUID,
  prospect_id   UUID,
  reason        TEXT,
  created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_credit_ledger_user ON credit_ledger(user_id, id);
CREATE UNIQUE INDEX idx_credit_ledger_prospect_once ON credit_ledger(user_id, kind, prospect_id) WHERE prospect_id IS NOT NULL;
ALTER TABLE profiles ADD CONSTRAINT profiles_lead_credits_not_negative CHECK (lead_credits >= 0) NOT VALID;

-- The balance every user has now is the ledger's opening entry, so the
-- entries add up to the balance from the start; its id sorts before every
-- UUIDv7, so it is the oldest entry. Row-level security is lifted for this
-- one statement (this transaction runs as the owner).
ALTER TABLE profiles NO FORCE ROW LEVEL SECURITY;
ALTER TABLE credit_ledger NO FORCE ROW LEVEL SECURITY;
INSERT INTO credit_ledger (id, user_id, kind, amount, balance_after, reason, created_at)
  SELECT overlay(gen_random_uuid()::text PLACING '00000000' FROM 1 FOR 8)::uuid, id, 'adjustment', lead_credits, lead_credits, 'opening balance', now()
  FROM profiles WHERE lead_credits > 0;

-- Tenant isolation, as for every tenant table (0002_row_level_security.sql).
ALTER TABLE credit_ledger ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_ledger FORCE ROW LEVEL SECURITY;
ALTER TABLE profiles FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON credit_ledger
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
