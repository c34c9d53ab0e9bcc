-- Providers, model mappings and provider operations changed through the admin API (PostgreSQL).
-- Each row overrides the configuration file's definition of the same name; a deleted row hides it.

CREATE TABLE admin_providers (
  name       TEXT PRIMARY KEY,
  -- The provider's definition as JSON, without its API keys; NULL when deleted.
  definition TEXT,
  -- Its API keys: a JSON list encrypted with AES-GCM (see SecretBox); NULL when none.
  api_keys   TEXT,
  deleted    BOOLEAN NOT NULL DEFAULT FALSE,
  updated_at BIGINT NOT NULL
);

CREATE TABLE admin_model_mappings (
  alias      TEXT PRIMARY KEY,
  definition TEXT,
  deleted    BOOLEAN NOT NULL DEFAULT FALSE,
  updated_at BIGINT NOT NULL
);

-- Operator state of any provider (from the file or the database): survives restarts.
CREATE TABLE provider_state (
  name               TEXT PRIMARY KEY,
  enabled            BOOLEAN NOT NULL DEFAULT TRUE,
  regional_endpoints TEXT,
  -- Grows by one per reset-circuit, so every instance sees that a reset was asked for.
  circuit_resets     BIGINT NOT NULL DEFAULT 0,
  updated_at         BIGINT NOT NULL
);
