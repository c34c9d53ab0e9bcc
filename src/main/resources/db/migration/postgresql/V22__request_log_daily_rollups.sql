-- Spend analytics that stay fast as the request log grows (PostgreSQL): totals per UTC day and
-- key, group, model and provider, kept by the request log writer in the same transaction as the
-- rows they add up, so they always equal the log. NULL dimensions are stored as ''.

CREATE TABLE request_log_daily_by_key (
  dimension     TEXT NOT NULL,
  day           TEXT NOT NULL,
  requests      BIGINT NOT NULL,
  input_tokens  BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  cost_nanos    BIGINT NOT NULL,
  PRIMARY KEY (dimension, day)
);
CREATE TABLE request_log_daily_by_group (LIKE request_log_daily_by_key INCLUDING ALL);
CREATE TABLE request_log_daily_by_model (LIKE request_log_daily_by_key INCLUDING ALL);
CREATE TABLE request_log_daily_by_provider (LIKE request_log_daily_by_key INCLUDING ALL);
CREATE INDEX idx_request_log_daily_by_key_day ON request_log_daily_by_key (day);
CREATE INDEX idx_request_log_daily_by_group_day ON request_log_daily_by_group (day);
CREATE INDEX idx_request_log_daily_by_model_day ON request_log_daily_by_model (day);
CREATE INDEX idx_request_log_daily_by_provider_day ON request_log_daily_by_provider (day);

INSERT INTO request_log_daily_by_key
SELECT COALESCE(virtual_key_id, ''), to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
       COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2;
INSERT INTO request_log_daily_by_group
SELECT COALESCE(group_id, ''), to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
       COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2;
INSERT INTO request_log_daily_by_model
SELECT COALESCE(model, ''), to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
       COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2;
INSERT INTO request_log_daily_by_provider
SELECT COALESCE(provider, ''), to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
       COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2;
