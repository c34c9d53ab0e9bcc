-- Response cache (SQLite): whether a logged answer came from the cache, and what it saved (the
-- cost of the call whose answer was replayed). The archive keeps the same columns in the same order;
-- the daily rollups count hits and savings, for the spend report by key and model.

ALTER TABLE request_logs ADD COLUMN cache_hit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_logs ADD COLUMN cost_saved_nanos INTEGER;
ALTER TABLE request_logs_archive ADD COLUMN cache_hit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_logs_archive ADD COLUMN cost_saved_nanos INTEGER;
ALTER TABLE request_log_daily_by_key ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_log_daily_by_key ADD COLUMN cost_saved_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_log_daily_by_group ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_log_daily_by_group ADD COLUMN cost_saved_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_log_daily_by_model ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_log_daily_by_model ADD COLUMN cost_saved_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_log_daily_by_provider ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_log_daily_by_provider ADD COLUMN cost_saved_nanos INTEGER NOT NULL DEFAULT 0;
