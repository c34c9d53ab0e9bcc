#!/usr/bin/env bash
# Times the usage analytics of the admin API at one million request log rows on PostgreSQL.
#
# Creates a throwaway database on the local PostgreSQL, starts the gateway on it (which applies
# the migrations, indexes included), loads 1,000,000 rows (bench/analytics-load.sql), then calls
# each analytics endpoint over HTTP several times and records median and slowest times in
# bench/results/analytics-<date>.md. Drops the database and stops the gateway at the end.
#
# Usage: bench/analytics.sh [rows] [runs]   (defaults: 1000000 rows, 15 runs per query)
#        BENCH_KEEP_DB=1 keeps the loaded database (its name is printed); BENCH_DB=<name> reuses
#        one kept before instead of creating and loading a new one.
# Needs: a JDK 17+, psql and curl; PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${1:-1000000}
RUNS=${2:-15}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
DB=${BENCH_DB:-"conduit_bench_$(date +%s)_$$"}
WORK=bench/work
PORT=18080
ADMIN_PORT=18081
MASTER_KEY="condt_admin_bench_$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
RESULTS="bench/results/analytics-$(date -u +%F).md"
GATEWAY_PID=

log() { printf '[bench] %s\n' "$*" >&2; }
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -U "$PGUSER" -d "$DB" "$@"; }

cleanup() {
  if [[ -n "$GATEWAY_PID" ]]; then
    kill "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
  fi
  if [[ -z "${BENCH_KEEP_DB:-}" && -z "${BENCH_DB:-}" ]]; then
    psql -X -q -h "$PGHOST" -U "$PGUSER" -d postgres \
      -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  else
    log "kept database $DB"
  fi
}
trap cleanup EXIT

mkdir -p "$WORK" bench/results
if [[ ! -f target/conduit.jar ]]; then
  log "building target/conduit.jar"
  ./mvnw -B -q package -DskipTests
fi

if [[ -z "${BENCH_DB:-}" ]]; then
  log "creating database $DB"
  psql -X -q -h "$PGHOST" -U "$PGUSER" -d postgres -c "CREATE DATABASE $DB"
fi

cat > "$WORK/analytics.yaml" <<YAML
server:
  host: 127.0.0.1
  port: $PORT
  adminPort: $ADMIN_PORT
database:
  url: "jdbc:postgresql://$PGHOST:5432/$DB"
  username: $PGUSER
YAML

log "starting the gateway (it applies the migrations)"
CONDUIT_MASTER_KEY="$MASTER_KEY" java -jar target/conduit.jar serve \
  --config "$WORK/analytics.yaml" > "$WORK/analytics-gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$ADMIN_PORT/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$ADMIN_PORT/health/ready" >/dev/null

load_seconds=0
if [[ -z "${BENCH_DB:-}" ]]; then
  log "loading $ROWS request log rows"
  load_start=$(date +%s.%N)
  psql_db -v rows="$ROWS" -v now="$(date +%s)" -f bench/analytics-load.sql
  load_seconds=$(echo "$(date +%s.%N) - $load_start" | bc)
fi
table_size=$(psql_db -Atc "SELECT pg_size_pretty(pg_total_relation_size('request_logs'))")

# A cursor in the middle of the log (45 days back), as a client paging deep would hold.
middle=$(psql_db -Atc "SELECT (extract(epoch FROM timestamp) * 1000)::bigint || '|' || id \
  FROM request_logs ORDER BY timestamp DESC, id DESC OFFSET $((ROWS / 2)) LIMIT 1")
cursor=$(printf '%s' "$middle" | base64 -w0 | tr '+/' '-_' | tr -d '=')
some_id=$(psql_db -Atc "SELECT id FROM request_logs OFFSET $((ROWS / 3)) LIMIT 1")
week_ago=$(date -u -d '7 days ago' +%F)
month_ago=$(date -u -d '30 days ago' +%F)
yesterday=$(date -u -d '1 day ago' +%F)
today=$(date -u +%F)
day_ago=$(date -u -d '24 hours ago' +%FT%H:%M:%SZ)

declare -a NAMES URLS
add() { NAMES+=("$1"); URLS+=("$2"); }
add "logs: newest page (50)"                 "/api/admin/logs?limit=50"
add "logs: page 45 days deep (cursor)"       "/api/admin/logs?limit=50&cursor=$cursor"
add "logs: one key"                          "/api/admin/logs?limit=50&key=key-42"
add "logs: one group"                        "/api/admin/logs?limit=50&group=group-7"
add "logs: one model"                        "/api/admin/logs?limit=50&model=model-3"
add "logs: one provider"                     "/api/admin/logs?limit=50&provider=provider-2"
add "logs: status=error"                     "/api/admin/logs?limit=50&status=error"
add "logs: status=500"                       "/api/admin/logs?limit=50&status=500"
add "logs: key + last 7 days"                "/api/admin/logs?limit=50&key=key-42&from=$week_ago"
add "logs: one row by id"                    "/api/admin/logs/$some_id"
add "spend by key, all 90 days"              "/api/admin/spend?groupBy=key"
add "spend by model, all 90 days"            "/api/admin/spend?groupBy=model"
add "spend by provider, all 90 days"         "/api/admin/spend?groupBy=provider"
add "spend by day, all 90 days"              "/api/admin/spend?groupBy=day"
add "spend by group, all 90 days"            "/api/admin/spend?groupBy=group"
add "spend by key, last 30 days"             "/api/admin/spend?groupBy=key&from=$month_ago"
add "spend by model, last 7 days"            "/api/admin/spend?groupBy=model&from=$week_ago"
add "spend by day, one key, 90 days"         "/api/admin/spend?groupBy=day&key=key-42"
add "spend by model, last 24 h (2 part days)" "/api/admin/spend?groupBy=model&from=$day_ago"
add "spend by key, status=error (log rows)"  "/api/admin/spend?groupBy=key&status=error"
add "spend by model, one key (log rows)"     "/api/admin/spend?groupBy=model&key=key-42"
add "export csv: one key (~1,000 rows)"      "/api/admin/logs/export?format=csv&key=key-42"
add "export csv: one day (~11,000 rows)"     "/api/admin/logs/export?format=csv&from=$yesterday&to=$today"

time_once() {
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "X-Master-Key: $MASTER_KEY" \
    "http://127.0.0.1:$ADMIN_PORT$1"
}

{
  echo "# Usage analytics at $ROWS request log rows (PostgreSQL)"
  echo
  echo "Measured $(date -u '+%F %H:%M UTC') by \`bench/analytics.sh\` on $(nproc) cores,"
  echo "$(free -g | awk '/Mem:/ {print $2}') GB RAM, $(psql -X -Atc 'SHOW server_version' -h "$PGHOST" -U "$PGUSER" -d postgres | cut -d' ' -f1) PostgreSQL (default settings)."
  echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared with other builds)."
  echo
  echo "Rows: $ROWS over 90 days, 1,000 keys, 50 groups, 20 models, 6 providers; table with"
  echo "indexes: $table_size; loaded in ${load_seconds%.*} s. Each query: 2 warm-up calls, then"
  echo "$RUNS timed calls over HTTP to the admin API (curl \`time_total\`: request to last byte)."
  echo
  echo "| query | median ms | slowest ms | rows |"
  echo "|---|---:|---:|---:|"
} > "$RESULTS"

for i in "${!NAMES[@]}"; do
  url=${URLS[$i]}
  time_once "$url" >/dev/null
  time_once "$url" >/dev/null
  times=()
  for _ in $(seq 1 "$RUNS"); do
    read -r code seconds < <(time_once "$url")
    if [[ "$code" != 200 ]]; then
      log "FAILED ($code): $url"
      exit 1
    fi
    times+=("$seconds")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | awk -v n="$RUNS" 'NR == int((n + 1) / 2) {printf "%.1f", $1 * 1000}')
  slowest=$(echo "$sorted" | tail -1 | awk '{printf "%.1f", $1 * 1000}')
  body=$(curl -s -H "X-Master-Key: $MASTER_KEY" "http://127.0.0.1:$ADMIN_PORT$url")
  if [[ "$url" == *export* ]]; then
    rows=$(( $(printf '%s' "$body" | wc -l) - 1 ))
  elif [[ "$url" == /api/admin/logs/* ]]; then
    rows=1
  else
    rows=$(printf '%s' "$body" | jq '.data | length')
  fi
  log "${NAMES[$i]}: median ${median} ms, slowest ${slowest} ms"
  echo "| ${NAMES[$i]} | $median | $slowest | $rows |" >> "$RESULTS"
done

{
  echo
  echo "Plans: a filtered newest-first page; all-time spend by key as the API reads it (the"
  echo "daily rollup); and the same total from the log rows, which is what the rollups avoid."
  echo
  echo '```'
  psql_db -Atc "EXPLAIN ANALYZE SELECT id FROM request_logs WHERE 1 = 1 AND status_code = 500 \
    ORDER BY timestamp DESC, id DESC LIMIT 51"
  echo
  psql_db -Atc "EXPLAIN ANALYZE SELECT dimension, SUM(requests), SUM(input_tokens), \
    SUM(output_tokens), SUM(cached_tokens), SUM(cost_nanos) FROM request_log_daily_by_key \
    WHERE 1 = 1 GROUP BY dimension"
  echo
  psql_db -Atc "EXPLAIN ANALYZE SELECT virtual_key_id AS grp, COUNT(*), SUM(input_tokens), \
    SUM(output_tokens), SUM(cached_tokens), SUM(cost_nanos) FROM request_logs WHERE 1 = 1 \
    GROUP BY grp"
  echo '```'
} >> "$RESULTS"
log "results written to $RESULTS"
