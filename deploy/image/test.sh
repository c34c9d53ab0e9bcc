#!/usr/bin/env bash
# Image test: runs the image with podman against this machine's PostgreSQL and runs the runbook's
# smoke tests (scripts/smoke-tests.sh: readiness, chat, stream, embeddings, admin, metrics) on the
# simulated models.  deploy/image/test.sh [IMAGE]   (default conduit:latest; build.sh makes it)
# Needs podman and runc, PostgreSQL on 127.0.0.1:5432 with trust auth, psql, curl and jq.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
image="${1:-conduit:latest}"
port="${CONDUIT_IMAGE_TEST_PORT:-18080}"
admin_port=$((port + 1))
pg_user="${CONDUIT_TEST_PG_USER:-postgres}"
database="conduit_image_test_$$"
name="conduit-image-test-$$"
master_key="image-test-master-key-$$-0123456789"

log() { printf '[image-test] %s\n' "$*"; }
cleanup() {
  podman --runtime runc rm -f "$name" >/dev/null 2>&1 || true
  psql -h 127.0.0.1 -U "$pg_user" -d postgres -qc "DROP DATABASE IF EXISTS $database" >/dev/null || true
}
trap cleanup EXIT

psql -h 127.0.0.1 -U "$pg_user" -d postgres -qc "CREATE DATABASE $database"
log "starting $image on ports $port/$admin_port with database $database"
# runc and explicit limits: crun fails on these machines' cgroups, and podman's default
# rlimits are refused (shared/STACK.md).
podman --runtime runc run -d --name "$name" \
  --network host \
  --memory 1g \
  --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 \
  -e CONDUIT_PORT="$port" -e CONDUIT_ADMIN_PORT="$admin_port" \
  -e CONDUIT_MASTER_KEY="$master_key" \
  -e CONDUIT_DATABASE_URL="jdbc:postgresql://127.0.0.1:5432/$database?user=$pg_user" \
  "$image" >/dev/null

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
    break
  fi
  if [ "$(podman --runtime runc inspect -f '{{.State.Running}}' "$name")" != "true" ]; then
    podman --runtime runc logs "$name" | tail -40
    log "FAIL: the container stopped"
    exit 1
  fi
  sleep 1
done
log "ready: $(curl -sS "http://127.0.0.1:$port/health/ready")"
log "user in the container: $(podman --runtime runc exec "$name" id -u)"

CONDUIT_API_URL="http://127.0.0.1:$port" CONDUIT_ADMIN_URL="http://127.0.0.1:$admin_port" \
  MASTER_KEY="$master_key" CONDUIT_SMOKE_MODEL=demo CONDUIT_SMOKE_EMBEDDING_MODEL=demo-embedding \
  bash "$root/scripts/smoke-tests.sh"
log "passed; the container's health: $(podman --runtime runc healthcheck run "$name" >/dev/null 2>&1 && echo healthy || echo 'not reported')"
