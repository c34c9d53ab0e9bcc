#!/usr/bin/env bash
# The side-by-side benchmark: one command, on this machine, over loopback.
#   bench/run.sh            full run (about 45 minutes; results in bench/results/)
#   bench/run.sh --quick    one short run of each scenario, to check the harness (a few minutes)
# Options (passed to bench/harness/bench.mjs): --repeats N, --seconds S, --warmup-seconds S (each
# target's warm-up before a scenario's runs; default 20, and 60 for the cache scenario), --concurrency 32,256,
# --soak-seconds S, --only chat,half,stream,held,bigbody,cache,soak, --targets nginx,conduit-sqlite,...,
# --held-streams 1000,10000, --variant "name|JVM flags|server settings" (one more Conduit to
# compare, e.g. --variant "nio|-Dio.netty.transport.noNative=true|"), --conduit-server 'eventLoops: 2' (extra server settings).
# --rate N (the paced scenario's rate instead of half of Conduit's peak).
# --cache-max-bytes N (the caching Conduits' cache.maxBytes, e.g. small enough to be full before the measured runs).
# CONDUIT_JAVA_OPTS adds JVM flags to the ./conduit launcher (e.g. a JFR recording).
# Installs what it needs when missing: nginx and wrk (apt), Portkey (npm, into bench/work/).
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$bench")
work="$bench/work"
mkdir -p "$work"

log() { printf '[bench] %s\n' "$*"; }

need_apt=()
command -v nginx >/dev/null 2>&1 || need_apt+=(nginx)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v psql >/dev/null 2>&1 || need_apt+=(postgresql-client)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

portkey="$work/portkey"
if ! cmp -s "$bench/portkey/package.json" "$portkey/package.json" \
    || [ ! -f "$portkey/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
  log "installing the Portkey gateway into $portkey"
  mkdir -p "$portkey"
  cp "$bench/portkey/package.json" "$portkey/package.json"
  (cd "$portkey" && npm install --no-audit --no-fund --loglevel=error)
fi

pg_isready -h 127.0.0.1 -p 5432 -q || { log "PostgreSQL is not answering on 127.0.0.1:5432 (see .ci/run)"; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG \
  || { log "Redis is not answering on 127.0.0.1:6379 (see .ci/run)"; exit 1; }

# The launcher builds target/conduit.jar when it is missing or older than the sources. The run
# uses a copy, so a rebuild while it runs cannot change what is measured.
log "checking the Conduit build"
"$repo/conduit" version >/dev/null
cp "$repo/target/conduit.jar" "$work/conduit.jar"
export CONDUIT_JAR="$work/conduit.jar"

# Up to 20,000 open files per process (the sandbox's hard limit): 10,000 streams need them.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node "$bench/harness/bench.mjs" "$@"
