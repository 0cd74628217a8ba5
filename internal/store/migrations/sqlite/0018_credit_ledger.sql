-- The credit ledger: every change of profiles.lead_credits (a grant, a
-- discovery charge, a refund for an unreachable lead, a monthly reset, an
-- operator's adjustment) is one row, written in the same transaction as the
-- change, with the balance after it. The balance never goes below zero. A
-- prospect is charged at most once and refunded at most once (the partial
-- unique index). campaign_id and prospect_id are kept as history, without
-- foreign keys: deleting a campaign must not delete what was paid for it,
-- or the entries would no longer add up to the balance.
CREATE TABLE credit_ledger (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('grant', 'charge', 'refund', 'reset', 'adjustment')),
  amount        INTEGER NOT NULL,
  balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
  campaign_id   TEXT,
  prospect_id   TEXT,
  reason        TEXT,
  created_at    TIMESTAMP NOT NULL
);
CREATE INDEX idx_credit_ledger_user ON credit_ledger(user_id, id);
CREATE UNIQUE INDEX idx_credit_ledger_prospect_once ON credit_ledger(user_id, kind, prospect_id) WHERE prospect_id IS NOT NULL;

-- The balance every user has now is the ledger's opening entry, so the
-- entries add up to the balance from the start; its id sorts before every
-- UUIDv7, so it is the oldest entry.
INSERT INTO credit_ledger (id, user_id, kind, amount, balance_after, reason, created_at)
  SELECT lower('00000000-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-8'
           || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
         id, 'adjustment', lead_credits, lead_credits, 'opening balance', strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')
  FROM profiles WHERE lead_credits > 0;
