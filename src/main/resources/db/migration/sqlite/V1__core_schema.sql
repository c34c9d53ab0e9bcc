-- Core schema (SQLite). Times are epoch milliseconds in INTEGER columns.

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE virtual_keys (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  key_hash       TEXT NOT NULL UNIQUE,
  key_hint       TEXT NOT NULL,
  allowed_models TEXT,
  metadata       TEXT,
  expires_at     INTEGER,
  enabled        INTEGER NOT NULL DEFAULT 1,
  revoked_at     INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX idx_virtual_keys_updated_at ON virtual_keys (updated_at);

CREATE TABLE request_logs (
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
  error_message  TEXT
);
CREATE INDEX idx_request_logs_timestamp ON request_logs (timestamp);
CREATE INDEX idx_request_logs_key_timestamp ON request_logs (virtual_key_id, timestamp);
