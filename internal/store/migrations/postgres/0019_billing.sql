-- Billing: the Stripe side of a profile, the webhook events already
-- applied, and when each free account's credits come back.
--   subscription_status    Stripe's status of the subscription (active,
--                          past_due, canceled, ...); NULL before the first
--   monthly_credits        an operator's allotment for a custom (enterprise)
--                          plan; NULL takes the plan's
--   paid_through           the end of the last subscription period whose
--                          credits were granted (invoice.paid), so an older
--                          invoice arriving late grants nothing
--   subscription_event_at  when Stripe created the last subscription event
--                          applied, so an older one arriving late is ignored
ALTER TABLE profiles ADD COLUMN subscription_status TEXT;
ALTER TABLE profiles ADD COLUMN monthly_credits INTEGER CHECK (monthly_credits >= 0);
ALTER TABLE profiles ADD COLUMN paid_through TIMESTAMPTZ;
ALTER TABLE profiles ADD COLUMN subscription_event_at TIMESTAMPTZ;
CREATE UNIQUE INDEX idx_profiles_stripe_customer ON profiles(stripe_customer_id) WHERE stripe_customer_id IS NOT NULL;

-- A webhook names a Stripe customer, not a tenant: the owner lookup of
-- 0010_owner_lookups.sql, for the one profile whose customer id the
-- transaction names in app.owner_lookup.
CREATE POLICY owner_lookup ON profiles FOR SELECT TO CURRENT_USER
  USING (stripe_customer_id = NULLIF(current_setting('app.owner_lookup', true), ''));

-- Each Stripe event id, once applied, in the transaction of its effect.
-- Not a tenant table: an event is checked before its tenant is known (and
-- some events have none); it holds Stripe's ids and nothing of the tenant.
CREATE TABLE stripe_events (
  id           TEXT PRIMARY KEY,
  type         TEXT NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL
);

-- When a free account's monthly credits come back (the profile's
-- credits_reset_at, kept equal in the same transactions). A tenant table;
-- the monthly reset job lists the due rows across tenants through an owner
-- lookup, which unlike 0010's shows more than one row, and so shows only
-- a user id and a time.
CREATE TABLE credit_resets (
  user_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  due_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_credit_resets_due ON credit_resets(due_at);
ALTER TABLE credit_resets ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_resets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON credit_resets
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY owner_lookup ON credit_resets FOR SELECT TO CURRENT_USER
  USING (current_setting('app.owner_lookup', true) = 'credit_resets_due');

-- Every account so far is free: its credits come back a month from now
-- unless it already had a date.
ALTER TABLE profiles NO FORCE ROW LEVEL SECURITY;
ALTER TABLE credit_resets NO FORCE ROW LEVEL SECURITY;
UPDATE profiles SET credits_reset_at = now() + interval '1 month' WHERE credits_reset_at IS NULL;
INSERT INTO credit_resets (user_id, due_at) SELECT id, credits_reset_at FROM profiles WHERE stripe_subscription_id IS NULL;
ALTER TABLE profiles FORCE ROW LEVEL SECURITY;
ALTER TABLE credit_resets FORCE ROW LEVEL SECURITY;
