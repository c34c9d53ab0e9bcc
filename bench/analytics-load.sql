-- One million request log rows shaped like a busy gateway's last 90 days: 1,000 keys (a fifth
-- of them in 50 key groups), 20 models on 6 providers, 95% successes, 4% client errors, 1%
-- server errors; costs and tokens from plausible ranges. Used by bench/analytics.sh.
-- :rows and :now (epoch seconds) are psql variables. Expects an empty, migrated database.
INSERT INTO request_logs (id, timestamp, request_id, virtual_key_id, group_id, endpoint, model,
    provider, provider_model, status_code, stream, input_tokens, output_tokens, cached_tokens,
    cost_nanos, latency_ms, ttfb_ms, attempts, error_type, error_message)
SELECT
  -- Time-ordered ids, as the gateway writes them (UUIDv7-like: time prefix, then randomness).
  lpad(to_hex(ts_ms), 12, '0') || '-' || substr(md5(i::text), 1, 20),
  to_timestamp(ts_ms / 1000.0),
  'req-' || i,
  'key-' || (k % 1000),
  CASE WHEN k % 1000 < 200 THEN 'group-' || (k % 50) ELSE NULL END,
  'chat_completions',
  'model-' || m,
  'provider-' || (m % 6),
  'provider-model-' || m,
  status,
  (i % 3 = 0),
  CASE WHEN status = 200 THEN 200 + (i % 3800) ELSE 0 END,
  CASE WHEN status = 200 THEN 20 + (i % 780) ELSE 0 END,
  CASE WHEN status = 200 AND i % 4 = 0 THEN 100 ELSE 0 END,
  CASE WHEN status = 200 THEN 1000 + (i % 5000) * 97 ELSE 0 END,
  50 + (i % 4000),
  CASE WHEN status = 200 THEN 20 + (i % 900) ELSE NULL END,
  1 + (i % 50 = 0)::int,
  CASE WHEN status = 200 THEN NULL WHEN status = 500 THEN 'server_error' ELSE 'invalid_request' END,
  CASE WHEN status = 200 THEN NULL ELSE 'benchmark error' END
FROM (
  SELECT i,
         ((:now::bigint - 90 * 86400) * 1000 + (i::bigint * 90 * 86400 * 1000 / :rows)) AS ts_ms,
         (i * 7919) % 100003 AS k,
         (i * 31) % 20 AS m,
         CASE WHEN i % 100 = 0 THEN 500 WHEN i % 25 = 1 THEN 400 ELSE 200 END AS status
  FROM generate_series(1::bigint, :rows) AS i
) AS generated;

-- The daily rollups the request log writer keeps alongside the rows it inserts.
INSERT INTO request_log_daily_by_key
SELECT COALESCE(virtual_key_id, ''), to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*),
       SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2
ON CONFLICT (dimension, day) DO UPDATE SET requests = excluded.requests,
  input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
  cached_tokens = excluded.cached_tokens, cost_nanos = excluded.cost_nanos;
INSERT INTO request_log_daily_by_group
SELECT COALESCE(group_id, ''), to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*),
       SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2
ON CONFLICT (dimension, day) DO UPDATE SET requests = excluded.requests,
  input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
  cached_tokens = excluded.cached_tokens, cost_nanos = excluded.cost_nanos;
INSERT INTO request_log_daily_by_model
SELECT COALESCE(model, ''), to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*),
       SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2
ON CONFLICT (dimension, day) DO UPDATE SET requests = excluded.requests,
  input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
  cached_tokens = excluded.cached_tokens, cost_nanos = excluded.cost_nanos;
INSERT INTO request_log_daily_by_provider
SELECT COALESCE(provider, ''), to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*),
       SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), COALESCE(SUM(cost_nanos), 0)
FROM request_logs GROUP BY 1, 2
ON CONFLICT (dimension, day) DO UPDATE SET requests = excluded.requests,
  input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
  cached_tokens = excluded.cached_tokens, cost_nanos = excluded.cost_nanos;

ANALYZE;
