#!/usr/bin/env bash
# Where an L1-hit product page and a 100-id batch spend their CPU: the Release API on the bench database under wrk,
# sampled by dotnet-trace for 8 s per path (dotnet-sampled-thread-time), then `dotnet-trace report … topN`.
# Needs: scripts/bench.sh run once (database shop_bench with the large seed), PostgreSQL and Redis from
# scripts/services.sh, wrk, and dotnet-trace (dotnet tool install dotnet-trace --tool-path /tmp/dt).
# Usage: benchmarks/results/profile/profile.sh   -> benchmarks/results/profile/{l1hit,batch100,health}-top.txt
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=benchmarks/results/profile
TRACE=${DOTNET_TRACE:-/tmp/dt/dotnet-trace}
PORT=${SHOP_PROFILE_PORT:-5395}
eval "$(scripts/services.sh env)"
cat > /tmp/profile-l1hit.lua <<'LUA'
math.randomseed(7)
request = function() return wrk.format("GET", "/api/products/" .. math.random(1, 2000)) end
LUA
cat > /tmp/profile-batch100.lua <<'LUA'
math.randomseed(7)
request = function()
  local s = math.random(0, 19) * 100 + 1
  local ids = {}
  for i = 0, 99 do ids[#ids + 1] = s + i end
  return wrk.format("GET", "/api/products?ids=" .. table.concat(ids, ","))
end
LUA
profile() { # name, l1 enabled, wrk args...
  local name=$1 l1=$2; shift 2
  (cd src/Shop.Api/bin/Release/net10.0 && ASPNETCORE_ENVIRONMENT=Production Auth__Authority=https://127.0.0.1:1 Logging__LogLevel__Default=Warning \
    ConnectionStrings__Postgres="Host=127.0.0.1;Port=55432;Database=shop_bench;Username=shop;Password=shop" \
    Cache__KeyPrefix=prof$name Cache__L1Enabled=$l1 exec dotnet Shop.Api.dll --urls http://127.0.0.1:$PORT >/tmp/profile-$name.log 2>&1) &
  local pid=$!
  for _ in $(seq 120); do curl -sf http://127.0.0.1:$PORT/health/live >/dev/null && break; sleep 0.5; done
  for s in $(seq 1 100 2000); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/products?ids=$(seq -s, $s $((s+99)))"; done
  wrk -t2 -c8 -d25s "$@" http://127.0.0.1:$PORT/ >/dev/null # warm: tiered JIT needs tens of seconds to settle
  wrk -t2 -c8 -d10s "$@" http://127.0.0.1:$PORT/ > $OUT/$name-wrk.txt &
  local w=$!
  sleep 1
  "$TRACE" collect -p $pid --profile dotnet-sampled-thread-time --duration 00:00:00:08 -o /tmp/profile-$name.nettrace >/dev/null
  wait $w
  "$TRACE" report /tmp/profile-$name.nettrace topN --inclusive -n 60 > $OUT/$name-top-inclusive.txt 2>&1 || true
  "$TRACE" report /tmp/profile-$name.nettrace topN -n 40 > $OUT/$name-top-exclusive.txt 2>&1 || true
  kill $pid; wait $pid 2>/dev/null || true
}
profile l1hit true -s /tmp/profile-l1hit.lua
profile batch100 false -s /tmp/profile-batch100.lua
echo "written: $OUT/*-top-*.txt"
