-- Core schema (PostgreSQL).

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
  expires_at     TIMESTAMPTZ,
  enabled        BOOLEAN NOT NULL DEFAULT TRUE,
  revoked_at     TIMESTAMPTZ,
  created_at     TIMESTAMPTZ NOT NULL,
  -- Epoch milliseconds of the last change: other instances poll for rows changed since.
  updated_at     BIGINT NOT NULL
);
CREATE INDEX idx_virtual_keys_updated_at ON virtual_keys (updated_at);

CREATE TABLE request_logs (
  id             TEXT PRIMARY KEY,
  timestamp      TIMESTAMPTZ NOT NULL,
  request_id     TEXT NOT NULL,
  virtual_key_id TEXT,
  endpoint       TEXT NOT NULL,
  model          TEXT,
  provider       TEXT,
  provider_model TEXT,
  status_code    INTEGER NOT NULL,
  stream         BOOLEAN NOT NULL,
  input_tokens   BIGINT NOT NULL DEFAULT 0,
  output_tokens  BIGINT NOT NULL DEFAULT 0,
  cached_tokens  BIGINT NOT NULL DEFAULT 0,
  latency_ms     BIGINT NOT NULL,
  ttfb_ms        BIGINT,
  attempts       INTEGER NOT NULL DEFAULT 0,
  error_type     TEXT,
  error_message  TEXT
);
CREATE INDEX idx_request_logs_timestamp ON request_logs (timestamp);
CREATE INDEX idx_request_logs_key_timestamp ON request_logs (virtual_key_id, timestamp);
