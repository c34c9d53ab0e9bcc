#!/bin/sh
# Forms the cluster once all six nodes answer: three masters, one replica each. Does nothing when
# the cluster already exists (the Job may run again after a re-apply).
set -eu
nodes=""
for i in 0 1 2 3 4 5; do
  host="redis-$i.redis"
  until redis-cli -h "$host" ping 2>/dev/null | grep -q PONG; do sleep 2; done
  ip=$(getent hosts "$host" | awk '{print $1}')
  nodes="$nodes $ip:6379"
done
if redis-cli -h redis-0.redis cluster info | grep -q 'cluster_state:ok'; then
  echo "cluster already formed"
  exit 0
fi
# shellcheck disable=SC2086
redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes
