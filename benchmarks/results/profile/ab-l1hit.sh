#!/usr/bin/env bash
# A/B of the L1-hit request against /health/live in the same process, with wrk, after the JIT has settled.
# Usage: ab-l1hit.sh NAME=DIR [NAME=DIR ...]   (each DIR a Release build of Shop.Api, e.g. dotnet build -c Release -o DIR)
# Needs the bench database (scripts/bench.sh once), scripts/services.sh's PostgreSQL and Redis, and wrk.
set -u
cd "$(dirname "$0")/../../.."
eval "$(scripts/services.sh env)"
cat > /tmp/ab-l1hit.lua <<'LUA'
math.randomseed(7)
request = function() return wrk.format("GET", "/api/products/" .. math.random(1, 2000)) end
LUA
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
port=5398
for pass in 1 2; do
  for variant in "$@"; do
    name=${variant%%=*} dir=${variant#*=}
    (cd "$dir" && ASPNETCORE_ENVIRONMENT=Production Auth__Authority=https://127.0.0.1:1 Logging__LogLevel__Default=Warning \
      ConnectionStrings__Postgres="Host=127.0.0.1;Port=55432;Database=shop_bench;Username=shop;Password=shop" \
      Cache__KeyPrefix=ab$name exec dotnet Shop.Api.dll --urls http://127.0.0.1:$port >/tmp/ab-$name.log 2>&1) &
    pid=$!
    for _ in $(seq 120); do curl -sf http://127.0.0.1:$port/health/live >/dev/null && break; sleep 0.5; done
    for s in $(seq 1 100 2000); do curl -s -o /dev/null "http://127.0.0.1:$port/api/products?ids=$(seq -s, $s $((s+99)))"; done
    # Tiered JIT keeps recompiling for tens of seconds after start; measure only after it has settled.
    wrk -t2 -c16 -d30s -s /tmp/ab-l1hit.lua http://127.0.0.1:$port/ >/dev/null
    wrk -t2 -c16 -d10s http://127.0.0.1:$port/health/live >/dev/null
    for round in 1 2 3; do
      for path in health l1hit; do
        c0=$(cpu $pid)
        if [ $path = health ]; then out=$(wrk -t2 -c16 -d8s http://127.0.0.1:$port/health/live)
        else out=$(wrk -t2 -c16 -d8s -s /tmp/ab-l1hit.lua http://127.0.0.1:$port/); fi
        c1=$(cpu $pid)
        reqs=$(grep -oE '^ +[0-9]+ requests' <<<"$out" | grep -oE '[0-9]+')
        rps=$(grep Requests/sec <<<"$out" | awk '{print $2}')
        echo "pass $pass $name round $round $path rps=$rps api_cpu_us_per_req=$(( (c1 - c0) * 10000000 / reqs / 1000 ))"
      done
    done
    kill $pid; wait $pid 2>/dev/null
  done
done
