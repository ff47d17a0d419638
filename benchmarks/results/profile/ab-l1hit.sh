#!/usr/bin/env bash
# A/B of the L1-hit request against /health/live in the same process, with wrk, after the JIT has settled.
# Usage: ab-l1hit.sh NAME=DIR [NAME=DIR ...]   (each DIR a Release build of Shop.Api, e.g. dotnet build -c Release -o DIR)
# Needs the bench database (scripts/bench.sh once) and wrk.
set -u
cd "$(dirname "$0")/../../.."
source benchmarks/results/profile/common.sh
port=5398
for pass in 1 2; do
  for variant in "$@"; do
    name=${variant%%=*} dir=${variant#*=}
    start_api "$dir" $port "shopab$name" # the shop-app ACL user may touch keys starting with "shop" only
    pid=$API_PID
    # Tiered JIT keeps recompiling for tens of seconds after start; measure only after it has settled.
    wrk -t2 -c16 -d30s -s "$PROFILE/l1hit.lua" http://127.0.0.1:$port/ >/dev/null
    wrk -t2 -c16 -d10s http://127.0.0.1:$port/health/live >/dev/null
    for round in 1 2 3; do
      for path in health l1hit; do
        c0=$(cpu_ticks $pid)
        if [ $path = health ]; then out=$(wrk -t2 -c16 -d8s http://127.0.0.1:$port/health/live)
        else out=$(wrk -t2 -c16 -d8s -s "$PROFILE/l1hit.lua" http://127.0.0.1:$port/); fi
        c1=$(cpu_ticks $pid)
        reqs=$(grep -oE '^ +[0-9]+ requests' <<<"$out" | grep -oE '[0-9]+')
        rps=$(grep Requests/sec <<<"$out" | awk '{print $2}')
        echo "pass $pass $name round $round $path rps=$rps api_cpu_us_per_req=$(( (c1 - c0) * 10000000 / reqs / 1000 ))"
      done
    done
    kill $pid; wait $pid 2>/dev/null
  done
done
