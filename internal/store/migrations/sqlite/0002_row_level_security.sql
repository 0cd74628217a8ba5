-- SQLite has no row-level security: the store scopes every tenant query by
-- user_id itself. This file keeps the two engines' migration numbers aligned.
SELECT 1;
