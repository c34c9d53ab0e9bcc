-- The request log archive (SQLite): rows moved out of request_logs by `conduit archive`, so the
-- live table stays small. Same columns in the same order as request_logs (an INSERT ... SELECT *
-- copies a row as it is), and the same indexes.
-- Every migration that changes request_logs must change request_logs_archive the same way
-- (RequestLogArchiveSchemaTest compares them).

CREATE TABLE request_logs_archive (
  id             TEXT PRIMARY KEY,
  timestamp      INTEGER NOT NULL,
  request_id     TEXT NOT NULL,
  virtual_key_id TEXT,
  endpoint       TEXT NOT NULL,
  model          TEXT,
  provider       TEXT,
  provider_model TEXT,
  status_code    INTEGER NOT NULL,
  stream         INTEGER NOT NULL,
  input_tokens   INTEGER NOT NULL DEFAULT 0,
  output_tokens  INTEGER NOT NULL DEFAULT 0,
  cached_tokens  INTEGER NOT NULL DEFAULT 0,
  latency_ms     INTEGER NOT NULL,
  ttfb_ms        INTEGER,
  attempts       INTEGER NOT NULL DEFAULT 0,
  error_type     TEXT,
  error_message  TEXT,
  cost_nanos     INTEGER,
  group_id       TEXT
);
CREATE INDEX idx_request_logs_archive_time_id ON request_logs_archive (timestamp, id);
CREATE INDEX idx_request_logs_archive_key_time
  ON request_logs_archive (virtual_key_id, timestamp, id);
CREATE INDEX idx_request_logs_archive_group_time ON request_logs_archive (group_id, timestamp, id)
  WHERE group_id IS NOT NULL;
CREATE INDEX idx_request_logs_archive_model_time ON request_logs_archive (model, timestamp, id);
CREATE INDEX idx_request_logs_archive_provider_time
  ON request_logs_archive (provider, timestamp, id);
