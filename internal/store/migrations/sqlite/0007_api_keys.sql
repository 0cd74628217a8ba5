-- A user's own keys for external services (BYOK). sealed is the key
-- encrypted under SECRET_KEY (internal/keys), bound to user_id; last4 is
-- all of it that is ever shown back.
CREATE TABLE user_api_keys (
  user_id    TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  service    TEXT NOT NULL,
  sealed     TEXT NOT NULL,
  last4      TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (user_id, service)
);
