#!/usr/bin/env bash
# Where Shop's CPU goes per request on each path scripts/peers.sh measures: Linux perf (cpu-clock, call graphs) on the
# Release API with the JIT's perf map, Shop configured as peers.sh runs it (Production, Information logging).
#   benchmarks/Peers/scripts/profile.sh [PATH_NAME...]   live | l1 | redis | db (default: all four)
# Needs: scripts/peers.sh run once (database shop_peers with the large seed; Release build), wrk and perf.
# Prints per path: req/s under perf, Shop's CPU per request, allocated bytes per request, then the frames with the
# largest inclusive and exclusive share of Shop's samples. Raw data: artifacts/peers/profile-*.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
OUT=$ROOT/artifacts/peers
mkdir -p "$OUT"
eval "$(scripts/services.sh env)"
DB=${SHOP_PEERS_DB:-shop_peers}
PG_CS=$(sed -E "s/(^|;)Database=[^;]*/\1Database=$DB/I" <<<"$ConnectionStrings__Postgres")
PORT=${SHOP_PROFILE_PORT:-$((${SHOP_TEST_API_PORT:-5099} + 190))}
LUA=$ROOT/benchmarks/Peers/scripts/random-id.lua
SECONDS_PER_PATH=${SHOP_PROFILE_SECONDS:-8}
PATHS=("$@")
[ ${#PATHS[@]} -gt 0 ] || PATHS=(live l1 redis db)

cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
allocated() { curl -fsS "http://127.0.0.1:$PORT/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ { print $2 }'; }

pid=
stop() { [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; pid=; }
trap stop EXIT

# start PREFIX ENV...: Shop on $PORT, Redis keys under PREFIX (it must start with "shop": the app's Redis ACL user)
# (W^X off: with it, JIT code runs from a double mapping perf cannot name).
# /metrics is for admins outside Development: Management:Port serves it anonymously on the same port here.
start() {
  local prefix=$1
  shift
  (cd src/Shop.Api && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
    ConnectionStrings__Postgres="$PG_CS" Auth__Authority=https://127.0.0.1:1 Management__Port="$PORT" \
    RateLimiting__Reads__PermitLimit=1000000000 Cache__KeyPrefix="$prefix" "$@" \
    dotnet bin/Release/net10.0/Shop.Api.dll --urls "http://127.0.0.1:$PORT" >"$OUT/profile-$prefix.log" 2>&1) &
  pid=$!
  for _ in $(seq 120); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/live" && return; sleep 0.5; done
  echo "Shop did not start (see $OUT/profile-$prefix.log)" >&2
  exit 1
}

for name in "${PATHS[@]}"; do
  case $name in
    live) start shopprofilelive; path=/health/live ;;
    l1) start shopprofilel1; path=/api/products/%d ;;
    redis) start shopprofilel2 Cache__L1Enabled=false; path=/api/products/%d ;;
    db) start shopprofiledb Cache__Enabled=false; path=/api/products/%d ;;
    *) echo "unknown path $name (live, l1, redis, db)" >&2; exit 2 ;;
  esac
  url=http://127.0.0.1:$PORT
  wrk -t2 -c32 -d30s -s "$LUA" "$url" -- "$path" 5000 >/dev/null # tiered JIT settles
  wrk -t2 -c16 -d3s -s "$LUA" "$url" -- "$path" 5000 seq 2 >/dev/null # every hot id cached
  a0=$(allocated)
  c0=$(cpu_ticks "$pid")
  wrk -t2 -c32 -d"$SECONDS_PER_PATH"s -s "$LUA" "$url" -- "$path" 5000 >"$OUT/profile-$name.wrk" &
  w=$!
  sleep 1
  perf record -e cpu-clock -F 999 -g -p "$pid" -o "$OUT/profile-$name.data" -- sleep $((SECONDS_PER_PATH - 2)) >/dev/null 2>&1
  wait $w
  c1=$(cpu_ticks "$pid")
  a1=$(allocated)
  requests=$(grep -oE '^ +[0-9]+ requests' "$OUT/profile-$name.wrk" | grep -oE '[0-9]+')
  echo "== $name ($path): $(awk '/Requests\/sec/ {print $2}' "$OUT/profile-$name.wrk") req/s under perf," \
    "Shop CPU $(((c1 - c0) * 10000000 / requests / 1000)) us/request, allocated $(((${a1%.*} - ${a0%.*}) / requests)) B/request"
  perf script -i "$OUT/profile-$name.data" 2>/dev/null >"$OUT/profile-$name.txt"
  python3 "$ROOT/benchmarks/Peers/scripts/frames.py" <"$OUT/profile-$name.txt"
  stop
done
