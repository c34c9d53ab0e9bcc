-- Response cache (SQLite): whether a logged answer came from the cache, and what it saved (the
-- cost of the call whose answer was replayed). The archive keeps the same columns in the same order.

ALTER TABLE request_logs ADD COLUMN cache_hit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_logs ADD COLUMN cost_saved_nanos INTEGER;
ALTER TABLE request_logs_archive ADD COLUMN cache_hit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_logs_archive ADD COLUMN cost_saved_nanos INTEGER;
