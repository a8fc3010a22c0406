#!/usr/bin/env bash
# CPU per proxied request, for BENCHMARKS.md ("HTTP proxy"): each proxy runs
# in a process of its own in front of one backend process, wrk loads it on
# loopback, and the proxy's user+system CPU time (from /proc) is divided by
# the requests wrk completed. Usage: internal/proxyload/run.sh [seconds] [rounds]
set -euo pipefail
secs=${1:-10}; rounds=${2:-3}
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)"; exit 1; }
bin=$(mktemp -d)/proxyload
go build -o "$bin" ./internal/proxyload
tick=$(getconf CLK_TCK)
"$bin" backend 127.0.0.1:18081 & backend=$!
trap 'kill $backend 2>/dev/null || true' EXIT
sleep 0.5
token=$("$bin" token)
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
for round in $(seq "$rounds"); do
  for mode in reverseproxy gateway gateway-auth; do
    "$bin" "$mode" 127.0.0.1:18080 http://127.0.0.1:18081 & pid=$!
    sleep 0.5
    wrk -t1 -c16 -d1s -H "Authorization: Bearer $token" http://127.0.0.1:18080/pets/7 >/dev/null   # warm up
    before=$(cpu $pid)
    out=$(wrk -t1 -c16 -d"${secs}s" -H "Authorization: Bearer $token" http://127.0.0.1:18080/pets/7)
    after=$(cpu $pid)
    kill $pid; wait $pid 2>/dev/null || true
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    awk -v m="$mode" -v r="$round" -v t=$((after-before)) -v hz="$tick" -v n="$reqs" -v bad="${non2xx:-0}" \
      'BEGIN { printf "round %d  %-13s %8d requests  %7.1f us CPU/request  (non-2xx: %s)\n", r, m, n, t*1e6/hz/n, bad }'
  done
done
