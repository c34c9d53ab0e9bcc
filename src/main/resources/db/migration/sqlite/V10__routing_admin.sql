-- Providers, model mappings and provider operations changed through the admin API (SQLite).
-- Each row overrides the configuration file's definition of the same name; a deleted row hides it.

CREATE TABLE admin_providers (
  name       TEXT PRIMARY KEY,
  definition TEXT,
  api_keys   TEXT,
  deleted    INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);

CREATE TABLE admin_model_mappings (
  alias      TEXT PRIMARY KEY,
  definition TEXT,
  deleted    INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);

CREATE TABLE provider_state (
  name               TEXT PRIMARY KEY,
  enabled            INTEGER NOT NULL DEFAULT 1,
  regional_endpoints TEXT,
  circuit_resets     INTEGER NOT NULL DEFAULT 0,
  updated_at         INTEGER NOT NULL
);
