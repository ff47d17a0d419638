#!/usr/bin/env bash
# Where an L1-hit product page's CPU goes, next to /health/live: Linux perf (cpu-clock, call graphs) on the Release
# API, with the JIT's perf map so managed frames have names. Prints, per path, the share of the API's CPU samples
# whose stack contains each frame (inclusive), and the API CPU per request.
# Needs: scripts/bench.sh run once (database shop_bench), wrk and perf.
# Usage: benchmarks/results/profile/perf-breakdown.sh [API_DIR]   (default src/Shop.Api/bin/Release/net10.0)
set -euo pipefail
cd "$(dirname "$0")/../../.."
source benchmarks/results/profile/common.sh
DIR=${1:-src/Shop.Api/bin/Release/net10.0}
PORT=${SHOP_PROFILE_PORT:-5397}
# W^X off: with it, JIT code runs from an anonymous double mapping that perf cannot name.
start_api "$DIR" "$PORT" perf DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
pid=$API_PID
trap 'kill $pid 2>/dev/null || true' EXIT
wrk -t2 -c16 -d40s -s "$PROFILE/l1hit.lua" "http://127.0.0.1:$PORT/" >/dev/null # tiered JIT settles
wrk -t2 -c16 -d10s "http://127.0.0.1:$PORT/health/live" >/dev/null
for path in l1hit health; do
  if [ $path = health ]; then args=(http://127.0.0.1:$PORT/health/live); else args=(-s "$PROFILE/l1hit.lua" http://127.0.0.1:$PORT/); fi
  c0=$(cpu_ticks $pid)
  wrk -t2 -c16 -d10s "${args[@]}" > /tmp/perf-wrk-$path.txt &
  w=$!
  sleep 1
  perf record -e cpu-clock -F 499 -g -p $pid -o /tmp/perf-$path.data -- sleep 8 >/dev/null 2>&1
  wait $w
  c1=$(cpu_ticks $pid)
  reqs=$(grep -oE '^ +[0-9]+ requests' /tmp/perf-wrk-$path.txt | grep -oE '[0-9]+')
  echo "== $path: $(grep Requests/sec /tmp/perf-wrk-$path.txt | awk '{print $2}') req/s under perf, API CPU $(( (c1 - c0) * 10000000 / reqs / 1000 )) us/request"
  perf script -i /tmp/perf-$path.data 2>/dev/null | python3 -c '
import sys
frames = ["HttpProtocol+<ProcessRequests>", "AuthenticationMiddleware", "SwaggerUIMiddleware", "EndpointMiddleware::Invoke",
          "MapProductEndpoints", "Mediator::Send", "dynamicClass::ResolveService", "DbContextPool", "ValidationBehaviour",
          "CacheAsideBehaviour", "TwoLevelCache", "WriteAsJsonAsync", "System.Text.Json", "HealthCheck", "HostingMetrics",
          "libclrjit.so", "__send"]
samples = [s for s in sys.stdin.read().split("\n\n") if s.strip()]
print(f"   {len(samples)} samples; share of samples whose stack contains the frame:")
for f in frames:
    n = sum(1 for s in samples if f in s)
    if n: print(f"   {100 * n / len(samples):5.1f} %  {f}")
'
done
