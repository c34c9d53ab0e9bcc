# Shared by the operations scripts (sourced, not run): endpoints, master key and kubectl access.
# shellcheck shell=bash

# The runbook's hosts unless told otherwise.
CONDUIT_API_URL="${CONDUIT_API_URL:-http://api.conduit.example.com}"
CONDUIT_ADMIN_URL="${CONDUIT_ADMIN_URL:-http://admin.conduit.example.com}"
CONDUIT_NAMESPACE="${CONDUIT_NAMESPACE:-conduit}"
# The runbook calls it MASTER_KEY; the gateway reads CONDUIT_MASTER_KEY. Either will do.
MASTER_KEY="${MASTER_KEY:-${CONDUIT_MASTER_KEY:-}}"

# Pretty-prints JSON when jq is installed, else passes it through.
pretty() {
  if command -v jq >/dev/null 2>&1; then
    jq . 2>/dev/null || cat
  else
    cat
  fi
}

# True when kubectl is installed and points at a cluster context.
has_cluster() {
  command -v kubectl >/dev/null 2>&1 && kubectl config current-context >/dev/null 2>&1
}

# What the kubectl parts print without a cluster.
skipped() {
  echo "skipped: no cluster (no kubectl context)"
}

# Runs kubectl with the arguments given, or says it was skipped.
kube() {
  if has_cluster; then
    kubectl "$@"
  else
    skipped
  fi
}
