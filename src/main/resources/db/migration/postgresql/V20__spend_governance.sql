-- Keys that govern spend (PostgreSQL): limits on keys, key groups with balances, spend totals,
-- global IP filters and the price table. Money is in whole nano-dollars (10^-9 USD).

ALTER TABLE virtual_keys ADD COLUMN max_budget_nanos BIGINT;
ALTER TABLE virtual_keys ADD COLUMN budget_period TEXT;
ALTER TABLE virtual_keys ADD COLUMN rpm BIGINT;
ALTER TABLE virtual_keys ADD COLUMN rpd BIGINT;
ALTER TABLE virtual_keys ADD COLUMN tpm BIGINT;
ALTER TABLE virtual_keys ADD COLUMN group_id TEXT;
ALTER TABLE virtual_keys ADD COLUMN ip_allowlist TEXT;
CREATE INDEX idx_virtual_keys_group ON virtual_keys (group_id);

CREATE TABLE key_groups (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  -- Sum of every balance adjustment: balance = credits - spend.
  credits_nanos BIGINT NOT NULL DEFAULT 0,
  -- Spend of the group's keys, added in batches by each instance's spend flusher.
  spend_nanos   BIGINT NOT NULL DEFAULT 0,
  created_at    TIMESTAMPTZ NOT NULL,
  updated_at    BIGINT NOT NULL
);

-- Adjustments one per call; usage one row per group and UTC hour, added to at each flush.
CREATE TABLE key_group_transactions (
  id           TEXT PRIMARY KEY,
  group_id     TEXT NOT NULL,
  kind         TEXT NOT NULL,
  amount_nanos BIGINT NOT NULL,
  reason       TEXT,
  created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_key_group_transactions_group ON key_group_transactions (group_id, created_at, id);

-- Spend per key and UTC day ('YYYY-MM-DD'); a period's spend is the sum of its days.
CREATE TABLE key_spend_daily (
  key_id      TEXT NOT NULL,
  day         TEXT NOT NULL,
  spend_nanos BIGINT NOT NULL,
  PRIMARY KEY (key_id, day)
);

CREATE TABLE key_spend_totals (
  key_id      TEXT PRIMARY KEY,
  spend_nanos BIGINT NOT NULL
);

CREATE TABLE ip_filters (
  id          TEXT PRIMARY KEY,
  cidr        TEXT NOT NULL,
  action      TEXT NOT NULL,
  description TEXT,
  created_at  TIMESTAMPTZ NOT NULL,
  updated_at  BIGINT NOT NULL
);

-- Prices in nano-dollars per million tokens (2.50 USD per million = 2500000000).
CREATE TABLE model_costs (
  id                          TEXT PRIMARY KEY,
  provider                    TEXT NOT NULL,
  model                       TEXT NOT NULL,
  input_nanos_per_mtok        BIGINT NOT NULL,
  output_nanos_per_mtok       BIGINT NOT NULL,
  cached_input_nanos_per_mtok BIGINT,
  cache_write_nanos_per_mtok  BIGINT,
  per_request_nanos           BIGINT,
  per_image_nanos             BIGINT,
  max_output_tokens           BIGINT,
  -- seed (shipped price list; its date in as_of), admin, or import
  source                      TEXT NOT NULL,
  as_of                       TEXT,
  updated_at                  BIGINT NOT NULL,
  UNIQUE (provider, model)
);
