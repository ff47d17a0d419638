#!/usr/bin/env bash
# Write-behind page-view benchmark (issue #5): how many views per second one API instance accepts over HTTP, and how
# many database transactions a flush costs. Not a test: it prints figures, bounded in time (about 1.5 minutes).
#   scripts/bench-pageviews.sh
#   SHOP_PV_SECONDS=30 SHOP_PV_CONNECTIONS=128 scripts/bench-pageviews.sh
#
#   1. PostgreSQL + Redis up (scripts/services.sh start); wrk installed with apt when missing
#   2. Release build of src/Shop.Api
#   3. database $SHOP_PV_DB (default shop_bench_pv) dropped and created; the API migrates it and loads the demo seed
#      at startup; the Redis key prefix shopbenchpv emptied (the shared Redis is used, under that prefix only)
#   4. one API instance on 127.0.0.1 (first free port from 5180), Release, default flusher settings (5 s timer,
#      threshold 100 views per product), the per-client rate limit lifted (wrk is a single client)
#   5. wrk -t2 -c$SHOP_PV_CONNECTIONS: POST /api/products/{1..50}/views, 20 s warm-up (JIT), then $SHOP_PV_SECONDS s measured
#   6. for comparison, 5 s of GET /api/products/{1..50} (cached reads answered by L1) on the same instance
#   7. SIGTERM: the graceful shutdown flushes the rest; then PostgreSQL is asked what arrived and in how many flushes
# Run it on an otherwise idle machine: wrk, the API, Redis and PostgreSQL share its cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_MEASURED=${SHOP_PV_SECONDS:-20}
CONNECTIONS=${SHOP_PV_CONNECTIONS:-64}
BASELINE_SECONDS=5
DB=${SHOP_PV_DB:-shop_bench_pv}
PREFIX=shopbenchpv
LOGS=$ROOT/artifacts/bench-pageviews
mkdir -p "$LOGS"
api_pid=""

cleanup() {
  if [ -n "$api_pid" ] && kill -0 "$api_pid" 2>/dev/null; then kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
cs_get() { tr ';' '\n' <<<"$1" | awk -F= -v k="$2" 'tolower($1) == tolower(k) { sub(/^[^=]*=/, ""); print; exit }'; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

step "Services and tools"
scripts/services.sh start
eval "$(scripts/services.sh env)"
command -v wrk >/dev/null 2>&1 || { as_root apt-get install -y -qq wrk >/dev/null 2>&1 || { as_root apt-get update -qq && as_root apt-get install -y -qq wrk >/dev/null; }; }
psql_bin=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | head -n 1)
pg_host=$(cs_get "$ConnectionStrings__Postgres" Host); pg_port=$(cs_get "$ConnectionStrings__Postgres" Port)
pg_user=$(cs_get "$ConnectionStrings__Postgres" Username); pg_pass=$(cs_get "$ConnectionStrings__Postgres" Password)
sql() { PGPASSWORD=$pg_pass PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -h "$pg_host" -p "$pg_port" -U "$pg_user" -v ON_ERROR_STOP=1 -qtA "$@"; }
redis_hostport=${ConnectionStrings__Redis%%,*}
rcli=(redis-cli -h "${redis_hostport%:*}" -p "${redis_hostport##*:}")

step "Release build of Shop.Api"
dotnet build src/Shop.Api -c Release -nologo -v:q >"$LOGS/build.log" 2>&1 || { cat "$LOGS/build.log"; exit 1; }

step "Fresh database $DB and Redis prefix $PREFIX"
sql -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
"${rcli[@]}" --scan --pattern "$PREFIX:*" | xargs -r -n 500 "${rcli[@]}" unlink >/dev/null
port=5180
while port_in_use "$port"; do port=$((port + 1)); done
base=http://127.0.0.1:$port
(cd src/Shop.Api && ASPNETCORE_ENVIRONMENT=Development \
  ConnectionStrings__Postgres="$(sed -E "s/(^|;)Database=[^;]*/\1Database=$DB/I" <<<"$ConnectionStrings__Postgres")" \
  Cache__KeyPrefix=$PREFIX RateLimiting__PageViews__PermitLimit=1000000000 RateLimiting__Writes__PermitLimit=1000000000 RateLimiting__Reads__PermitLimit=1000000000 Logging__LogLevel__Default=Warning \
  exec dotnet bin/Release/net10.0/Shop.Api.dll --urls "$base" >"$LOGS/api.log" 2>&1 </dev/null) &
api_pid=$!
for _ in $(seq 120); do
  kill -0 "$api_pid" 2>/dev/null || { tail -n 30 "$LOGS/api.log"; exit 1; }
  curl -fsS "$base/health/live" >/dev/null 2>&1 && break
  sleep 0.5
done
echo "API on $base (log: artifacts/bench-pageviews/api.log)"

# Autovacuum would otherwise still be busy with the freshly seeded tables during the measured run.
sql -d "$DB" -c "VACUUM ANALYZE"

cat >"$LOGS/views.lua" <<'LUA'
-- POST a view of one of products 1..50, and count the answers by status.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {}; math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end
function request() return wrk.format("POST", "/api/products/" .. math.random(1, 50) .. "/views") end
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("status %d: %d\n", status, n)) end
  io.write(string.format("p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cat >"$LOGS/reads.lua" <<'LUA'
-- Baseline: GET one of products 1..50, a cached read answered by L1 (the same pipeline, no Redis call).
function init(args) math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end
function request() return wrk.format("GET", "/api/products/" .. math.random(1, 50)) end
LUA

# Tiered JIT and dynamic PGO need many thousands of calls before the code is fully optimised: without a long
# warm-up the first seconds measure the JIT, not the pattern (5 s of warm-up gave a third of the steady rate here).
step "Warm-up: 15 s of views, 5 s of reads"
wrk -t2 -c"$CONNECTIONS" -d15s -s "$LOGS/views.lua" "$base" >"$LOGS/warmup.txt"
wrk -t2 -c"$CONNECTIONS" -d"${BASELINE_SECONDS}s" -s "$LOGS/reads.lua" "$base" >/dev/null
warm_202=$(sed -n 's/^status 202: //p' "$LOGS/warmup.txt"); warm_202=${warm_202:-0}
flushes_before=$(sql -d "$DB" -c "SELECT count(DISTINCT applied_at) FROM applied_view_batches")

step "Measured: ${SECONDS_MEASURED} s, 2 threads, $CONNECTIONS connections"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$api_pid/stat"; } # user + system time of the API process
cpu_before=$(cpu_ticks)
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" -s "$LOGS/views.lua" "$base" | tee "$LOGS/wrk.txt"
cpu_after=$(cpu_ticks)
accepted=$(sed -n 's/^status 202: //p' "$LOGS/wrk.txt"); accepted=${accepted:-0}
others=$(grep '^status ' "$LOGS/wrk.txt" | grep -v '^status 202:' || true)

curl -fsS "$base/metrics" 2>/dev/null | grep -E '^shop_pageviews' >"$LOGS/metrics.txt" || true # if /metrics is mapped

step "Baseline for comparison: ${BASELINE_SECONDS} s of GET /api/products/{1..50} (L1 hits)"
reads_cpu_before=$(cpu_ticks)
wrk -t2 -c"$CONNECTIONS" -d"${BASELINE_SECONDS}s" -s "$LOGS/reads.lua" "$base" | tee "$LOGS/wrk-reads.txt"
cpu_reads=$(( $(cpu_ticks) - reads_cpu_before ))
reads=$(grep -oE '^ +[0-9]+ requests' "$LOGS/wrk-reads.txt" | grep -oE '[0-9]+')

step "Graceful shutdown (flushes the rest)"
kill -TERM "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
# Each flush is one statement: its batch ids share one applied_at (now() of its transaction) and one xmin, and every
# product total was last written by one of those transactions.
read -r flushes flushes_all xids batches views foreign < <(sql -d "$DB" -F ' ' -c "SELECT
  (SELECT count(DISTINCT applied_at) FROM applied_view_batches) - $flushes_before,
  (SELECT count(DISTINCT applied_at) FROM applied_view_batches),
  (SELECT count(DISTINCT xmin::text) FROM applied_view_batches),
  (SELECT count(*) FROM applied_view_batches),
  (SELECT coalesce(sum(views), 0) FROM product_view_totals),
  (SELECT count(*) FROM product_view_totals WHERE xmin::text NOT IN (SELECT xmin::text FROM applied_view_batches))")
left=$("${rcli[@]}" --scan --pattern "$PREFIX:v1:{pv:*}:*" | grep -cE ':pending$|:inflight' || true)

step "Result"
rate=$(awk -v n="$accepted" -v s="$SECONDS_MEASURED" 'BEGIN { printf "%.0f", n / s }')
cpu_us=$(awk -v t="$((cpu_after - cpu_before))" -v hz="$(getconf CLK_TCK)" -v n="$accepted" 'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')
cat <<REPORT | tee "$LOGS/result.txt"
machine: $(nproc) cores, load average before the run ${load_before} (other processes compete for the same cores)
views accepted (202) by one instance over HTTP: $accepted in ${SECONDS_MEASURED} s = $rate views/s ($(grep -E '^p50' "$LOGS/wrk.txt"))
API CPU time per accepted view: ${cpu_us} µs (about $(awk -v u="$cpu_us" 'BEGIN { printf "%.0f", (u > 0 ? 1e6 / u : 0) }') views/s per core the API process gets)
baseline, GET /api/products/{1..50} from L1 on the same instance: $(awk -v n="$reads" -v s="$BASELINE_SECONDS" 'BEGIN { printf "%.0f", n / s }') reads/s, $(awk -v t="$cpu_reads" -v hz="$(getconf CLK_TCK)" -v n="$reads" 'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }') µs CPU per read
other answers: ${others:-none}
views in PostgreSQL after the shutdown flush: $views (acknowledged: $((warm_202 + accepted)); a few more are requests wrk cut off after the server counted them)
write-behind keys left in Redis: $left
flushes that moved views: $flushes during the measured run and the shutdown ($flushes_all in all, with $batches batches: at most one per shard and flush)
transactions that wrote batches: $xids for $flushes_all flushes; product totals written outside them: $foreign => one transaction per flush
REPORT
if [ -s "$LOGS/metrics.txt" ]; then
  # The same from inside the process (read before the shutdown, so without the shutdown flush).
  metric() { awk -v m="$1" '$1 ~ "^"m"[{ ]" || $1 == m { s += $NF } END { print s + 0 }' "$LOGS/metrics.txt"; }
  echo "from /metrics before the shutdown: $(metric shop_pageviews_db_transactions_total) flush statements (transactions), $(metric shop_pageviews_flushes_total) flushes (idle ones included; by trigger: $(grep -o 'trigger="[a-z]*"} [0-9]*' "$LOGS/metrics.txt" | sed 's/trigger="//; s/"}//' | tr '\n' ' ')), $(metric shop_pageviews_flush_failures_total) failures" | tee -a "$LOGS/result.txt"
fi
