-- Owner lookups (/api/internal knows a campaign's or a prospect's id, not its
-- owner) read one row across tenants. So far a transaction unlocked every
-- campaign and prospect by declaring app.role = 'system' (0004, 0005), which
-- any transaction of the application's role could do. Now the policies that
-- let a lookup through:
--   * apply only to the tables' owner (TO CURRENT_USER, the role running
--     this; Migrate points them at the owner again every time).
--     With DATABASE_OWNER_URL the application's role is another, which they
--     do not concern: no setting of its own unlocks anything, and the store
--     makes its lookups over the owner's pool;
--   * show one row, the one whose id the transaction names in
--     app.owner_lookup, never all. Without DATABASE_OWNER_URL the owner is
--     the application's role: a transaction can read a campaign or prospect
--     whose id it knows, but can no longer list them.
DROP POLICY system_owner_lookup ON campaigns;
DROP POLICY system_owner_lookup ON prospects;

CREATE POLICY owner_lookup ON campaigns FOR SELECT TO CURRENT_USER
  USING (id = NULLIF(current_setting('app.owner_lookup', true), '')::uuid);
CREATE POLICY owner_lookup ON prospects FOR SELECT TO CURRENT_USER
  USING (id = NULLIF(current_setting('app.owner_lookup', true), '')::uuid);
