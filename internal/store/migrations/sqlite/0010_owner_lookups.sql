-- SQLite has no row-level security (see 0002): owner lookups read the row
-- like any other query. This file keeps the two engines' migration numbers
-- aligned.
SELECT 1;
