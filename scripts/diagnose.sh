#!/usr/bin/env bash
# diagnose.sh: the operations runbook's "Quick Diagnostics".
# Recent errors and resource use from the cluster ("skipped: no cluster" without a kubectl
# context), and the gateway's request metrics from its /metrics.
#
# Environment: CONDUIT_API_URL (default http://api.conduit.example.com), CONDUIT_NAMESPACE
# (default conduit).
# Exit status: 1 when the metrics could not be read, else 0.
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

status=0

echo "=== Recent Errors ==="
if has_cluster; then
  kubectl logs -n "$CONDUIT_NAMESPACE" -l app=conduit-api --tail=1000 | grep ERROR | tail -20
else
  skipped
fi

printf '\n=== Current Metrics ===\n'
if metrics=$(curl -sSf "$CONDUIT_API_URL/metrics"); then
  printf '%s\n' "$metrics" | grep -E "(conduit_llm_requests_total|conduit_llm_active_requests)"
else
  echo "metrics unavailable from $CONDUIT_API_URL/metrics"
  status=1
fi

printf '\n=== Resource Usage ===\n'
kube top pods -n "$CONDUIT_NAMESPACE"

exit "$status"
