#!/usr/bin/env bash
# Benchmarks and the pattern lab (issue #8). Every figure in benchmarks/results/ comes from this one command.
#   scripts/bench.sh              everything: BenchmarkDotNet suite, load lab, report (about 25 min on 2 cores)
#   scripts/bench.sh --quick      the same with short runs (about 8 min)
#   scripts/bench.sh --only micro|lab|report [--quick] [-- LOAD LAB ARGS]
#                                 one part; e.g. `scripts/bench.sh --only lab -- --scenarios stampede,batch`
#
#   1. PostgreSQL (scripts/services.sh start) and a Redis server of its own on 127.0.0.1:$SHOP_BENCH_REDIS_PORT
#      (default 16390; FLUSHALLed and reconfigured by the lab, so it must not be the shared one), stopped at the end
#   2. database $SHOP_BENCH_DB (default shop_bench) dropped and created again: the lab's first API start migrates
#      it and loads the large seed (100,000 products, 1,000,000 reviews, 10,000 users) with binary COPY
#   3. Release build of Shop.Api, the benchmarks and the load lab
#   4. BenchmarkDotNet (tests/Shop.Benchmarks) -> benchmarks/results/bdn/*.md|csv
#   5. load lab (tests/Shop.LoadLab run) -> benchmarks/results/loadlab.json, API logs in artifacts/loadlab/
#   6. report (tests/Shop.LoadLab report) -> benchmarks/results/REPORT.md and *.png
# Load goes to 127.0.0.1 only; every run is bounded in time. Run it on an otherwise idle machine: the lab prints
# the machine's busy share beside each run so a disturbed run can be spotted.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=lib/ports.sh
. "$ROOT/scripts/lib/ports.sh"

QUICK=""
ONLY=""
LAB_ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=--quick ;;
    --only) ONLY=$2; shift ;;
    --) shift; LAB_ARGS=("$@"); break ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

REDIS_PORT=${SHOP_BENCH_REDIS_PORT:-16390}
BENCH_DB=${SHOP_BENCH_DB:-shop_bench}
RESULTS=$ROOT/benchmarks/results
REDIS_DIR=$ROOT/.data/redis-bench
started=$SECONDS
step() { printf '\n==> %s (%d s)\n' "$*" $((SECONDS - started)); }
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

redis_started=0
bench_failed=0
cleanup() {
  if [ "$redis_started" = 1 ]; then redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if want micro || want lab; then
  step "Services: PostgreSQL (shared) and a private Redis on 127.0.0.1:$REDIS_PORT"
  scripts/services.sh start
  eval "$(scripts/services.sh env)"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    mkdir -p "$REDIS_DIR"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
      --maxmemory 256mb --maxmemory-policy volatile-lru \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis_started=1
  fi
  redis-cli -p "$REDIS_PORT" config set maxmemory 256mb >/dev/null
  redis-cli -p "$REDIS_PORT" flushall >/dev/null

  step "Release build"
  dotnet build src/Shop.Api -c Release -nologo -v:q
  dotnet build tests/Shop.Benchmarks -c Release -nologo -v:q
  dotnet build tests/Shop.LoadLab -c Release -nologo -v:q
fi

if want micro; then
  step "BenchmarkDotNet: serializers, L1 hit, Redis hit"
  rm -rf artifacts/bdn
  # A failure here is reported, and the lab still runs: one broken benchmark must not cost the other figures.
  if SHOP_BENCH_REDIS=127.0.0.1:$REDIS_PORT dotnet tests/Shop.Benchmarks/bin/Release/net10.0/Shop.Benchmarks.dll $QUICK \
    --filter '*' --artifacts artifacts/bdn; then
    mkdir -p "$RESULTS/bdn"
    rm -f "$RESULTS"/bdn/*
    cp artifacts/bdn/results/*-report-github.md artifacts/bdn/results/*-report.csv "$RESULTS/bdn/"
  else
    echo "BenchmarkDotNet FAILED: benchmarks/results/bdn/ keeps the previous figures" >&2
    bench_failed=1
  fi
fi

if want lab; then
  step "Database $BENCH_DB: recreated (the lab's first API start loads the large seed)"
  pg_cs=$(sed -E "s/(^|;)Database=[^;]*/\1Database=$BENCH_DB/I" <<<"$ConnectionStrings__Postgres")
  PGPASSWORD=shop PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -p "$PG_PORT" -U shop -d postgres -q \
    -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"

  step "Load lab"
  dotnet tests/Shop.LoadLab/bin/Release/net10.0/Shop.LoadLab.dll run $QUICK \
    --pg "$pg_cs" --redis "127.0.0.1:$REDIS_PORT" --out "$RESULTS" "${LAB_ARGS[@]}"
fi

if want report || [ -z "$ONLY" ]; then
  step "Report"
  [ -f tests/Shop.LoadLab/bin/Release/net10.0/Shop.LoadLab.dll ] || dotnet build tests/Shop.LoadLab -c Release -nologo -v:q
  dotnet tests/Shop.LoadLab/bin/Release/net10.0/Shop.LoadLab.dll report --out "$RESULTS"
fi
step "Done: $RESULTS/REPORT.md"
[ "$bench_failed" = 0 ]
