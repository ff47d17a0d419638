#!/usr/bin/env bash
# A/B of Shop's own hit-path benchmarks between two commits, in one time window, so a shared, noisy machine disturbs
# both sides alike: BASE (default b865a83, before the issue #12 pipeline change) and this working tree, with the same
# BenchmarkDotNet job as scripts/bench.sh (full: 4 warm-ups, 12 × 400 ms), alternating BASE, NEW, BASE, NEW, …
#   benchmarks/results/core-ab/ab-core.sh [BASE]      about 12 min on 2 cores (ROUNDS=3 rounds by default)
#   AB_OUT=<dir> writes the reports there instead (another A/B keeps this folder's reports)
# Benchmarks: L1HitBenchmarks' floor (MemoryCache.TryGetValue) and Shop's four L1-hit rows, RedisHitBenchmarks' floor
# (StackExchange.Redis GET + decode) and Shop's Redis hit. FusionCache and HybridCache rows are left out: their code
# does not change between the two sides. Needs a Redis of its own on 127.0.0.1:$SHOP_BENCH_REDIS_PORT (default 16390;
# started here if none answers, stopped at the end). Writes round-side reports (*.md) beside this script.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
OUT=${AB_OUT:-$ROOT/benchmarks/results/core-ab}
mkdir -p "$OUT"
BASE=${1:-b865a83}
PORT=${SHOP_BENCH_REDIS_PORT:-16390}
WORK=$(mktemp -d)
started_redis=0
cleanup() {
  [ "$started_redis" = 1 ] && redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --save '' --appendonly no --maxmemory 256mb \
    --maxmemory-policy volatile-lru --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"
  for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  started_redis=1
fi
export SHOP_BENCH_REDIS=127.0.0.1:$PORT

git archive "$BASE" | tar -x -C "$WORK" --one-top-level=base
dotnet build "$WORK/base/tests/Shop.Benchmarks" -c Release -nologo -v:q
dotnet build tests/Shop.Benchmarks -c Release -nologo -v:q

FILTER=("*L1HitBenchmarks.MemoryCacheTryGetValue*" "*L1HitBenchmarks.Shop*" "*RedisHitBenchmarks.RawGet*" "*RedisHitBenchmarks.ShopRedisHit*")
for round in $(seq "${ROUNDS:-3}"); do
  for side in base new; do
    dir=$WORK/base; [ "$side" = new ] && dir=$ROOT
    echo "== round $round $side $(date -u +%T), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$dir" && dotnet tests/Shop.Benchmarks/bin/Release/net10.0/Shop.Benchmarks.dll --filter "${FILTER[@]}" \
      --artifacts "$WORK/bdn-$round-$side" >"$WORK/bdn-$round-$side.log" 2>&1)
    for report in "$WORK/bdn-$round-$side"/results/*-report-github.md; do
      cp "$report" "$OUT/$round-$side-$(basename "$report" | sed -E 's/^Shop\.Benchmarks\.//; s/-report-github//')"
    done
  done
done
echo "reports: $OUT/<round>-{base,new}-*.md"
