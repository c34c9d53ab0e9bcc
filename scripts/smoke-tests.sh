#!/usr/bin/env bash
# smoke-tests.sh: the checks the operations runbook runs after a deployment ("Run smoke tests").
# Readiness, a chat completion, a streamed one, embeddings, an admin call and the metrics
# endpoint, each reported "ok" or "FAIL"; the exit status is the number of failures (0: all
# passed).
#
# Environment: CONDUIT_API_URL (default http://api.conduit.example.com), CONDUIT_ADMIN_URL
# (default http://admin.conduit.example.com), MASTER_KEY or CONDUIT_MASTER_KEY;
# CONDUIT_SMOKE_MODEL (default gpt-4o-mini) and CONDUIT_SMOKE_EMBEDDING_MODEL (default
# text-embedding-3-small), aliases the gateway serves; CONDUIT_SMOKE_KEY, a virtual key to call
# them with (without it, a key is created for the run through the admin API and revoked after).
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

model="${CONDUIT_SMOKE_MODEL:-gpt-4o-mini}"
embedding_model="${CONDUIT_SMOKE_EMBEDDING_MODEL:-text-embedding-3-small}"
failures=0
body=""
code=""

ok() { echo "ok - $1"; }
# fail CHECK DETAIL: the detail on one line, cut to 300 characters.
fail() {
  echo "FAIL - $1: $(printf '%s' "$2" | tr '\n' ' ' | cut -c1-300)"
  failures=$((failures + 1))
}

# call METHOD URL [DATA] [HEADER...]: sets $code and $body.
call() {
  local method="$1" url="$2" data="${3:-}"
  shift 3 || shift $#
  local args=(-sS -X "$method" -w '\n%{http_code}' --max-time 60)
  for header in "$@"; do
    args+=(-H "$header")
  done
  if [ -n "$data" ]; then
    args+=(-H "Content-Type: application/json" --data "$data")
  fi
  local out
  out=$(curl "${args[@]}" "$url" 2>&1) || true
  code="${out##*$'\n'}"
  body="${out%$'\n'*}"
}

admin_key=("X-Master-Key: $MASTER_KEY")

# 1. Readiness
call GET "$CONDUIT_API_URL/health/ready"
if [ "$code" = "200" ] && printf '%s' "$body" | grep -Eq '"status" *: *"(healthy|degraded)"'; then
  ok "readiness ($(printf '%s' "$body" | grep -Eo '"status" *: *"[a-z]+"' | head -1 | grep -Eo '[a-z]+"$' | tr -d '"'))"
else
  fail "readiness" "HTTP $code $body"
fi

# A key to call models with.
key="${CONDUIT_SMOKE_KEY:-}"
created_id=""
if [ -z "$key" ]; then
  call POST "$CONDUIT_ADMIN_URL/api/admin/virtual-keys" \
    '{"name":"smoke-tests","metadata":{"createdBy":"smoke-tests.sh"}}' "${admin_key[@]}"
  if [ "$code" = "201" ]; then
    key=$(printf '%s' "$body" | grep -Eo '"key" *: *"[^"]+"' | head -1 | sed -E 's/.*"([^"]+)"$/\1/')
    created_id=$(printf '%s' "$body" | grep -Eo '"id" *: *"[^"]+"' | head -1 | sed -E 's/.*"([^"]+)"$/\1/')
  else
    fail "virtual key for the run" "HTTP $code $body"
  fi
fi
auth=("Authorization: Bearer $key")

# 2. Chat completion
call POST "$CONDUIT_API_URL/v1/chat/completions" \
  "{\"model\":\"$model\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"max_tokens\":16}" \
  "${auth[@]}"
if [ "$code" = "200" ] && printf '%s' "$body" | grep -q '"choices"'; then
  ok "chat completion ($model)"
else
  fail "chat completion ($model)" "HTTP $code $body"
fi

# 3. Streamed chat completion
call POST "$CONDUIT_API_URL/v1/chat/completions" \
  "{\"model\":\"$model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"max_tokens\":16}" \
  "${auth[@]}"
if [ "$code" = "200" ] && printf '%s' "$body" | grep -q '^data: \[DONE\]'; then
  ok "streamed chat completion ($model)"
else
  fail "streamed chat completion ($model)" "HTTP $code $(printf '%s' "$body" | tail -4)"
fi

# 4. Embeddings
call POST "$CONDUIT_API_URL/v1/embeddings" \
  "{\"model\":\"$embedding_model\",\"input\":\"smoke test\"}" "${auth[@]}"
if [ "$code" = "200" ] && printf '%s' "$body" | grep -q '"embedding"'; then
  ok "embeddings ($embedding_model)"
else
  fail "embeddings ($embedding_model)" "HTTP $code $body"
fi

# 5. Admin API
call GET "$CONDUIT_ADMIN_URL/api/admin/providers/health" "" "${admin_key[@]}"
if [ "$code" = "200" ] && printf '%s' "$body" | grep -q '"data"'; then
  ok "admin API (providers/health)"
else
  fail "admin API (providers/health)" "HTTP $code $body"
fi

# 6. Metrics
call GET "$CONDUIT_API_URL/metrics"
if [ "$code" = "200" ] && printf '%s' "$body" | grep -q '^conduit_llm_requests_total'; then
  ok "metrics"
else
  fail "metrics" "HTTP $code $(printf '%s' "$body" | head -3)"
fi

if [ -n "$created_id" ]; then
  call DELETE "$CONDUIT_ADMIN_URL/api/admin/virtual-keys/$created_id" "" "${admin_key[@]}"
  [ "$code" = "200" ] || [ "$code" = "204" ] || echo "note: could not revoke key $created_id (HTTP $code)"
fi

echo "$failures failed"
exit "$failures"
