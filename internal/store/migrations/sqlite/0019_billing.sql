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
ALTER TABLE profiles ADD COLUMN paid_through TIMESTAMP;
ALTER TABLE profiles ADD COLUMN subscription_event_at TIMESTAMP;
CREATE UNIQUE INDEX idx_profiles_stripe_customer ON profiles(stripe_customer_id) WHERE stripe_customer_id IS NOT NULL;

-- Each Stripe event id, once applied, in the transaction of its effect.
CREATE TABLE stripe_events (
  id           TEXT PRIMARY KEY,
  type         TEXT NOT NULL,
  processed_at TIMESTAMP NOT NULL
);

-- When a free account's monthly credits come back (the profile's
-- credits_reset_at, kept equal in the same transactions), for the monthly
-- reset job.
CREATE TABLE credit_resets (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  due_at  TIMESTAMP NOT NULL
);
CREATE INDEX idx_credit_resets_due ON credit_resets(due_at);

-- Every account so far is free: its credits come back a month from now
-- unless it already had a date.
UPDATE profiles SET credits_reset_at = strftime('%Y-%m-%d %H:%M:%f+00:00', 'now', '+1 month') WHERE credits_reset_at IS NULL;
INSERT INTO credit_resets (user_id, due_at) SELECT id, credits_reset_at FROM profiles WHERE stripe_subscription_id IS NULL;
