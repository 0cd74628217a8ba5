-- Per-source discovery results, shown in campaign stats so a user sees why a
-- source gave nothing.
ALTER TABLE campaigns ADD COLUMN discovery_sources JSONB;

-- Service-to-service calls (/api/internal) know a campaign id but not its
-- owner. This policy lets a transaction that explicitly declares itself a
-- system lookup (app.role = 'system') read campaigns to find the owner; all
-- other work still runs as the owning tenant.
CREATE POLICY system_owner_lookup ON campaigns FOR SELECT
  USING (current_setting('app.role', true) = 'system');
