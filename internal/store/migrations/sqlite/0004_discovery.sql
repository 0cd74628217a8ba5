-- Per-source discovery results, shown in campaign stats.
ALTER TABLE campaigns ADD COLUMN discovery_sources TEXT;
