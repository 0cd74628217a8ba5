-- SQLite has no row-level security (see 0002): nothing to force on
-- prospects_fts. This file keeps the two engines' migration numbers aligned.
SELECT 1;
