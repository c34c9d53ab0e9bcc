-- Request log analytics (SQLite): cost and group on every row, and indexes that serve the
-- admin API's newest-first pages ((timestamp, id) keyset) filtered by key, group, model or
-- provider.

ALTER TABLE request_logs ADD COLUMN cost_nanos INTEGER;
ALTER TABLE request_logs ADD COLUMN group_id TEXT;

DROP INDEX idx_request_logs_timestamp;
DROP INDEX idx_request_logs_key_timestamp;
CREATE INDEX idx_request_logs_time_id ON request_logs (timestamp, id);
CREATE INDEX idx_request_logs_key_time ON request_logs (virtual_key_id, timestamp, id);
CREATE INDEX idx_request_logs_group_time ON request_logs (group_id, timestamp, id)
  WHERE group_id IS NOT NULL;
CREATE INDEX idx_request_logs_model_time ON request_logs (model, timestamp, id);
CREATE INDEX idx_request_logs_provider_time ON request_logs (provider, timestamp, id);
