#!/bin/bash
# A burst of 6 MB prompts against Conduit with the image's JVM flags and a 1 GiB memory view
# (-XX:MaxRAM=1g). Run after bench/run.sh has made bench/work/ (conduit.jar, big.json, the
# conduit-image1g.yaml of a --variant image1g run); prints wrk's summaries and the peak RSS.
set -u
cd "$(dirname "$0")/work"
node ../harness/stream-mock.mjs --port 19102 --chunks 20 --gap-ms 10 > /tmp/burst-mock.log 2>&1 &
MOCK=$!
export CONDUIT_MASTER_KEY=condt_bench_master_key_0123456789abcdef0123
export CONDUIT_JAR="$PWD/conduit.jar"
export CONDUIT_JAVA_OPTS="-XX:MaxRAM=1g -XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC"
rm -f conduit-bench-image1g.db*
../../conduit serve --config conduit-image1g.yaml > /tmp/burst-conduit.log 2>&1 &
C=$!
for i in $(seq 60); do curl -sf http://127.0.0.1:19221/health/ready >/dev/null && break; sleep 1; done
KEY=$(curl -s -X POST -H "X-Master-Key: $CONDUIT_MASTER_KEY" -H 'Content-Type: application/json' -d '{"name":"burst"}' http://127.0.0.1:19222/api/admin/virtual-keys | jq -r .key)
printf 'Authorization: Bearer %s\n' "$KEY" > /tmp/burst.headers
sed 's/"bench-json"/"bench-stream"/' big.json > /tmp/burst-big.json
JPID=$(pgrep -f "conduit-image1g.yaml" | head -1)
( peak=0; while kill -0 $JPID 2>/dev/null; do r=$(awk '/VmRSS/{print $2}' /proc/$JPID/status); [ "${r:-0}" -gt $peak ] && peak=$r && echo $peak > /tmp/burst-peak; sleep 0.2; done ) &
for c in ${BURST_CONNECTIONS:-16 64}; do
  echo "== burst: $c concurrent 6 MB prompts for 20 s"
  wrk -t 2 -c $c -d 20s --timeout 60s -s ../wrk/post.lua http://127.0.0.1:19221/v1/chat/completions -- /tmp/burst-big.json /tmp/burst.headers 0 | tail -1
done
echo "== statuses of 24 prompts sent at once"
for i in $(seq 24); do
  curl -s -o /dev/null -w '%{http_code}\n' -H "$(cat /tmp/burst.headers)" -H 'Content-Type: application/json' \
    --data-binary @/tmp/burst-big.json http://127.0.0.1:19221/v1/chat/completions &
done | sort | uniq -c
wait
echo "peak RSS kB: $(cat /tmp/burst-peak)"
curl -s http://127.0.0.1:19222/metrics | grep -E "^conduit_request_body_in_flight|request_bodies_full|jvm_memory_max_bytes\{area=\"heap\"" | head
grep -c OutOfMemory /tmp/burst-conduit.log
kill $C $MOCK; wait 2>/dev/null
