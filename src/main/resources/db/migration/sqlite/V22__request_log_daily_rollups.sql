-- Spend analytics that stay fast as the request log grows (SQLite): totals per UTC day and
-- key, group, model and provider, kept by the request log writer in the same transaction as the
-- rows they add up, so they always equal the log. NULL dimensions are stored as ''.

CREATE TABLE request_log_daily_by_key (
  dimension     TEXT NOT NULL,
  day           TEXT NOT NULL,
  requests      INTEGER NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  cost_nanos    INTEGER NOT NULL,
  PRIMARY KEY (dimension, day)
);
CREATE TABLE request_log_daily_by_group (
  dimension     TEXT NOT NULL,
  day           TEXT NOT NULL,
  requests      INTEGER NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  cost_nanos    INTEGER NOT NULL,
  PRIMARY KEY (dimension, day)
);
CREATE TABLE request_log_daily_by_model (
  dimension     TEXT NOT NULL,
  day           TEXT NOT NULL,
  requests      INTEGER NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  cost_nanos    INTEGER NOT NULL,
  PRIMARY KEY (dimension, day)
);
CREATE TABLE request_log_daily_by_provider (
  dimension     TEXT NOT NULL,
  day           TEXT NOT NULL,
  requests      INTEGER NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  cost_nanos    INTEGER NOT NULL,
  PRIMARY KEY (dimension, day)
);
CREATE INDEX idx_request_log_daily_by_key_day ON request_log_daily_by_key (day);
CREATE INDEX idx_request_log_daily_by_group_day ON request_log_daily_by_group (day);
CREATE INDEX idx_request_log_daily_by_model_day ON request_log_daily_by_model (day);
CREATE INDEX idx_request_log_daily_by_provider_day ON request_log_daily_by_provider (day);

INSERT INTO request_log_daily_by_key
SELECT COALESCE(virtual_key_id, ''), strftime('%Y-%m-%d', timestamp / 1000, 'unixepoch'),
       COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
       COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2;
INSERT INTO request_log_daily_by_group
SELECT COALESCE(group_id, ''), strftime('%Y-%m-%d', timestamp / 1000, 'unixepoch'),
       COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
       COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2;
INSERT INTO request_log_daily_by_model
SELECT COALESCE(model, ''), strftime('%Y-%m-%d', timestamp / 1000, 'unixepoch'),
       COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
       COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2;
INSERT INTO request_log_daily_by_provider
SELECT COALESCE(provider, ''), strftime('%Y-%m-%d', timestamp / 1000, 'unixepoch'),
       COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
       COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2;
