#!/usr/bin/env bash
# Start-up to ready: launches `./conduit serve --config conduit.example.yaml` (the simulated
# provider, embedded SQLite) RUNS times (default 5) and prints, for each, the seconds from the
# launch to the first 200 from /health/ready, polled every 10 ms. The first run starts on an empty
# data directory (migrations, seed prices); the others reuse it, as a restarted pod would.
#   bench/startup.sh                       # launcher defaults
#   CONDUIT_JAVA_OPTS='-Xshare:off' bench/startup.sh   # any JVM flags, to compare
# Uses the built jar as it is (run ./conduit once first to build it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CONDUIT_JAR="${CONDUIT_JAR:-$repo/target/conduit.jar}"
export CONDUIT_MASTER_KEY=condt_startup_master_key_0123456789abcdef
export CONDUIT_PORT=19401 CONDUIT_ADMIN_PORT=19402
cp "$repo/conduit.example.yaml" "$work/conduit.yaml"
for run in $(seq "$runs"); do
  start=$(date +%s%N)
  (cd "$work" && exec "$repo/conduit" serve --config conduit.yaml >"$work/run$run.log" 2>&1) &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$CONDUIT_PORT/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "run $run: Conduit exited"; cat "$work/run$run.log"; exit 1; }
    sleep 0.01
  done
  ready=$(date +%s%N)
  note=""
  if [ "$run" = 1 ]; then note=" (empty data directory)"; fi
  printf 'run %d: ready after %.2f s%s\n' "$run" "$(echo "($ready - $start) / 1000000000" | bc -l)" "$note"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
