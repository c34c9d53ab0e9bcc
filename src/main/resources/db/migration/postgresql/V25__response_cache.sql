-- Response cache (PostgreSQL): whether a logged answer came from the cache, and what it saved (the
-- cost of the call whose answer was replayed). The archive keeps the same columns in the same order.

ALTER TABLE request_logs ADD COLUMN cache_hit BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE request_logs ADD COLUMN cost_saved_nanos BIGINT;
ALTER TABLE request_logs_archive ADD COLUMN cache_hit BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE request_logs_archive ADD COLUMN cost_saved_nanos BIGINT;
