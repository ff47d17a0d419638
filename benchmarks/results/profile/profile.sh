#!/usr/bin/env bash
# Where an L1-hit product page and a 100-id batch spend their time: the Release API on the bench database under wrk,
# sampled by dotnet-trace for 8 s per path (dotnet-sampled-thread-time), then `dotnet-trace report … topN`.
# Thread-time sampling counts waiting threads too; perf-breakdown.sh gives CPU shares.
# Needs: scripts/bench.sh run once (database shop_bench), wrk, and dotnet-trace
# (dotnet tool install dotnet-trace --tool-path /tmp/dt, or DOTNET_TRACE=path).
# Usage: benchmarks/results/profile/profile.sh [API_DIR]  -> benchmarks/results/profile/{l1hit,batch100}-*.txt
set -euo pipefail
cd "$(dirname "$0")/../../.."
source benchmarks/results/profile/common.sh
DIR=${1:-src/Shop.Api/bin/Release/net10.0}
TRACE=${DOTNET_TRACE:-/tmp/dt/dotnet-trace}
PORT=${SHOP_PROFILE_PORT:-5395}
profile() { # name, L1 on/off, wrk script
  local name=$1 l1=$2 script=$3
  start_api "$DIR" "$PORT" "prof$name" "Cache__L1Enabled=$l1"
  wrk -t2 -c8 -d25s -s "$script" "http://127.0.0.1:$PORT/" >/dev/null # warm: tiered JIT needs tens of seconds to settle
  wrk -t2 -c8 -d10s -s "$script" "http://127.0.0.1:$PORT/" >"$PROFILE/$name-wrk.txt" &
  local w=$!
  sleep 1
  "$TRACE" collect -p "$API_PID" --profile dotnet-sampled-thread-time --duration 00:00:00:08 -o "/tmp/profile-$name.nettrace" >/dev/null
  wait $w
  "$TRACE" report "/tmp/profile-$name.nettrace" topN --inclusive -n 60 >"$PROFILE/$name-top-inclusive.txt" 2>&1 || true
  "$TRACE" report "/tmp/profile-$name.nettrace" topN -n 40 >"$PROFILE/$name-top-exclusive.txt" 2>&1 || true
  kill "$API_PID"
  wait "$API_PID" 2>/dev/null || true
}
profile l1hit true "$PROFILE/l1hit.lua"
profile batch100 false "$PROFILE/batch100.lua"
echo "written: $PROFILE/*-top-*.txt"
