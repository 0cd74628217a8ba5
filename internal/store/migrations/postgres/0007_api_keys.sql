-- A user's own keys for external services (BYOK). sealed is the key
-- encrypted under SECRET_KEY (internal/keys), bound to user_id; last4 is
-- all of it that is ever shown back.
CREATE TABLE user_api_keys (
  user_id    UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  service    TEXT NOT NULL,
  sealed     TEXT NOT NULL,
  last4      TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (user_id, service)
);

-- Tenant isolation, as for every tenant table (0002_row_level_security.sql).
ALTER TABLE user_api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_api_keys
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
