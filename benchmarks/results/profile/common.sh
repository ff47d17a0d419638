# Sourced by the profile scripts (from the repository root): PostgreSQL and Redis from scripts/services.sh, the
# bench database that scripts/bench.sh loads, and a Release API started on it.
eval "$(scripts/services.sh env)"
PROFILE=benchmarks/results/profile
BENCH_POSTGRES=${BENCH_POSTGRES:-${ConnectionStrings__Postgres/Database=shop;/Database=shop_bench;}} # override to measure on another database

# start_api DIR PORT PREFIX [VAR=VALUE ...]: starts DIR/Shop.Api.dll in the background (its pid in API_PID), waits
# until it answers, then reads products 1-2000 once in batches so they are in Redis (and L1 when it is on).
start_api() {
  local dir=$1 port=$2 prefix=$3
  shift 3
  # The rate limiter stays on the path but never refuses: one wrk client would otherwise get 429s past 600 reads a minute.
  (cd "$dir" && exec env RateLimiting__Reads__PermitLimit=1000000000 RateLimiting__Writes__PermitLimit=1000000000 "$@" \
    ASPNETCORE_ENVIRONMENT=Production Auth__Authority=https://127.0.0.1:1 \
    Logging__LogLevel__Default=Warning ConnectionStrings__Postgres="$BENCH_POSTGRES" Cache__KeyPrefix="$prefix" \
    dotnet Shop.Api.dll --urls "http://127.0.0.1:$port" >"/tmp/profile-api-$prefix.log" 2>&1) &
  API_PID=$!
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.5; done
  for s in $(seq 1 100 2000); do curl -s -o /dev/null "http://127.0.0.1:$port/api/products?ids=$(seq -s, "$s" $((s + 99)))"; done
}

# The API process's user + system CPU time, in clock ticks.
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
