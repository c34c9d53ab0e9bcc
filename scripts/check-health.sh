#!/usr/bin/env bash
# check-health.sh: the operations runbook's "Health Check Script".
# API readiness and provider health from the gateway; database, Redis and pod status from the
# cluster (printed "skipped: no cluster" without a kubectl context).
#
# Environment: CONDUIT_API_URL (default http://api.conduit.example.com), CONDUIT_ADMIN_URL
# (default http://admin.conduit.example.com), MASTER_KEY or CONDUIT_MASTER_KEY, CONDUIT_NAMESPACE
# (default conduit).
# Exit status: 0 when the gateway answers ready (healthy or degraded) and its provider health was
# read; 1 otherwise.
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

status=0

echo "=== System Health Check ==="
echo "Timestamp: $(date)"

printf '\n--- API Health ---\n'
body=$(curl -sS -w '\n%{http_code}' "$CONDUIT_API_URL/health/ready") || status=1
code="${body##*$'\n'}"
printf '%s\n' "${body%$'\n'*}" | pretty
if [ "$code" != "200" ]; then
  echo "API not ready (HTTP ${code:-none})"
  status=1
fi

printf '\n--- Provider Health ---\n'
body=$(curl -sS -w '\n%{http_code}' "$CONDUIT_ADMIN_URL/api/admin/providers/health" \
  -H "X-Master-Key: $MASTER_KEY") || status=1
code="${body##*$'\n'}"
printf '%s\n' "${body%$'\n'*}" | pretty
if [ "$code" != "200" ]; then
  echo "provider health unavailable (HTTP ${code:-none})"
  status=1
fi

printf '\n--- Database Status ---\n'
kube exec -n "$CONDUIT_NAMESPACE" postgres-0 -- psql -U conduit -c \
  "SELECT count(*) as connections, state FROM pg_stat_activity GROUP BY state;"

printf '\n--- Redis Status ---\n'
if has_cluster; then
  kubectl exec -n "$CONDUIT_NAMESPACE" redis-0 -- redis-cli INFO server | grep uptime
else
  skipped
fi

printf '\n--- Pod Status ---\n'
kube get pods -n "$CONDUIT_NAMESPACE"

exit "$status"
