#!/usr/bin/env bash
# Shop beside minimal peers at the HTTP level (issue #16): the same product page, the same PostgreSQL and Redis.
#   scripts/peers.sh [--rounds N] [--duration S] [--warmup S]   full run (defaults: 3 rounds of 8 s, 30 s warm-up per app)
#   scripts/peers.sh --smoke [--no-build]                        seconds long: every endpoint answers 200 with Shop's JSON
#
#   1. PostgreSQL + Redis (scripts/services.sh start); wrk from Debian when missing
#   2. Release build of src/Shop.Api and benchmarks/Peers (skipped with --no-build)
#   3. database $SHOP_PEERS_DB (default shop_peers; shop_peers_smoke for --smoke), reused when it already holds the
#      seed, else recreated: a Shop start of its own migrates it and loads the large seed (100,000 products, 1,000,000
#      reviews; --smoke: the demo seed, 2,000 products)
#   4. four processes, all Production, Information logging, the same CPU set (SHOP_PEERS_SERVER_CPUS, default all):
#        shop     Shop as configured by default (L1 + Redis)        Redis key prefix shoppeers
#        shop-l2  Shop with Cache__L1Enabled=false (Redis hits)      shoppeersl2
#        shop-db  Shop with Cache__Enabled=false (PostgreSQL)        shoppeersdb
#        peers    benchmarks/Peers                                   peers
#      Shop runs in Production: Auth__Authority names an https issuer it never has to reach (product reads are anonymous)
#   5. checks: the product JSON of a few ids from each Shop instance and each peer endpoint, first call (miss) and
#      second (hit), must be byte for byte the JSON Shop returns; /health/live and /bare answer 200
#   6. warm-up (tiered JIT settles after about 30 s of load): --warmup seconds per app, spread over its endpoints in two
#      passes, at least 5 s per endpoint and pass
#   7. rounds: each round runs every endpoint once at 32 connections and once at 4 (wrk -t2 --latency, random ids among
#      the 5,000 hot ones; a cached endpoint's run is preceded by a 3 s walk over all hot ids, so it measures hits), interleaved (Shop and its peers alternate, the order flips every round); allocated bytes per
#      request from each process's own counter (Shop: dotnet_gc_heap_total_allocated at /metrics on its management
#      port; peers: /gc/allocated)
#   8. report: best round per endpoint -> benchmarks/peers.md + benchmarks/peers.svg (--smoke: artifacts/peers/smoke.md)
# Raw wrk output and the processes' logs: artifacts/peers/. Exit code 0 only when every check and every run passed.
#
# Knobs: SHOP_PEERS_DB, SHOP_PEERS_PORT (first port tried; default SHOP_TEST_API_PORT + 200), SHOP_PEERS_SERVER_CPUS,
# SHOP_PEERS_WRK_CPUS (taskset lists, default all CPUs), SHOP_PEERS_HOT (hot ids, default 5000), SHOP_PEERS_PRIME
# (seconds of the walk before a cached endpoint's run, default 3), SHOP_PEERS_NOTE (a sentence for the report),
# plus SHOP_PG_PORT / SHOP_REDIS_PORT / SHOP_DATA_DIR understood by scripts/services.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SMOKE=0
BUILD=1
ROUNDS=3
DURATION=8
WARMUP=30
COMMAND_LINE="scripts/peers.sh $*" # before the loop below shifts the arguments away
while [ $# -gt 0 ]; do
  case $1 in
    --smoke) SMOKE=1 ;;
    --no-build) BUILD=0 ;;
    --rounds) ROUNDS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$SMOKE" = 1 ]; then
  ROUNDS=1 DURATION=1 WARMUP=0
  CONNECTIONS=(4)
  SEED=demo PRODUCTS=2000
  DB=${SHOP_PEERS_DB:-shop_peers_smoke}
else
  CONNECTIONS=(32 4)
  SEED=large PRODUCTS=100000
  DB=${SHOP_PEERS_DB:-shop_peers}
fi
HOT=${SHOP_PEERS_HOT:-5000}
[ "$HOT" -le "$PRODUCTS" ] || HOT=$PRODUCTS
ALL_CPUS=0-$(($(nproc) - 1))
SERVER_CPUS=${SHOP_PEERS_SERVER_CPUS:-$ALL_CPUS}
WRK_CPUS=${SHOP_PEERS_WRK_CPUS:-$ALL_CPUS}
OUT=$ROOT/artifacts/peers
LUA=$ROOT/benchmarks/Peers/scripts/random-id.lua
TOOLS=$ROOT/benchmarks/Peers/scripts
mkdir -p "$OUT"
rm -f "$OUT"/*.wrk "$OUT"/results.tsv

started=$SECONDS
step() { printf '\n==> %s (%d s)\n' "$*" $((SECONDS - started)); }
fail() { echo "peers: FAILED: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
cs_get() { tr ';' '\n' <<<"$1" | awk -F= -v k="$2" 'tolower($1) == tolower(k) { sub(/^[^=]*=/, ""); print; exit }'; }
find_psql() {
  command -v psql 2>/dev/null && return
  local p; for p in /usr/lib/postgresql/*/bin/psql; do [ -x "$p" ] && { echo "$p"; return; }; done
  return 1
}

# name -> pid / base URL / management URL (Shop's /metrics) of the processes this script started; stopped on every
# exit, by pid.
declare -A PID URL MURL
cleanup() {
  local name pid
  for name in "${!PID[@]}"; do
    pid=${PID[$name]}
    kill "$pid" 2>/dev/null || true
  done
  for name in "${!PID[@]}"; do
    pid=${PID[$name]}
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# --- 1. services and wrk ------------------------------------------------------------------------------------
step "Services: PostgreSQL and Redis"
scripts/services.sh start
eval "$(scripts/services.sh env)"
if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk with apt"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 \
    || { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
fi
command -v wrk >/dev/null 2>&1 || fail "wrk is not installed"

# --- 2. build ------------------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  step "Release build: src/Shop.Api, benchmarks/Peers"
  dotnet build src/Shop.Api -c Release -nologo -v:q
  dotnet build benchmarks/Peers -c Release -nologo -v:q
fi
SHOP_DLL=bin/Release/net10.0/Shop.Api.dll
PEERS_DLL=bin/Release/net10.0/Peers.dll
[ -f "src/Shop.Api/$SHOP_DLL" ] && [ -f "benchmarks/Peers/$PEERS_DLL" ] || fail "Release build missing (run without --no-build)"

# --- 3. database and Redis keys ------------------------------------------------------------------------------
step "Database $DB ($SEED seed, $PRODUCTS products)"
# Created and migrated as the owner role (scripts/services.sh: ConnectionStrings__PostgresMigrations); Shop and the
# peers app read it as the app role, as in production.
owner_cs=${ConnectionStrings__PostgresMigrations:-$ConnectionStrings__Postgres}
app_role=$(cs_get "$ConnectionStrings__Postgres" Username)
pg_host=$(cs_get "$owner_cs" Host); pg_port=$(cs_get "$owner_cs" Port)
pg_user=$(cs_get "$owner_cs" Username); pg_pass=$(cs_get "$owner_cs" Password)
psql=$(find_psql) || fail "psql not found"
sql() { PGPASSWORD=$pg_pass PGOPTIONS="-c client_min_messages=warning" "$psql" -h "$pg_host" -p "${pg_port:-5432}" -U "$pg_user" -qtAX "$@"; }
have=$(sql -d "$DB" -c "SELECT count(*) FROM products" 2>/dev/null || echo none)
if [ "$have" = "$PRODUCTS" ]; then
  echo "reusing $DB: it holds the $SEED seed ($have products)"
else
  echo "recreating $DB (found: $have products); a Shop start of its own migrates it and loads the seed"
  sql -d postgres -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  [ "$app_role" = "$pg_user" ] || sql -d "$DB" -v ON_ERROR_STOP=1 \
    -c "GRANT USAGE ON SCHEMA public TO $app_role" \
    -c "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO $app_role" \
    -c "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO $app_role"
fi
DB_OWNER_CS=$(sed -E "s/(^|;)Database=[^;]*/\1Database=$DB/I" <<<"$owner_cs")
DB_CS=$(sed -E "s/(^|;)Database=[^;]*/\1Database=$DB/I" <<<"$ConnectionStrings__Postgres")
REDIS_CS=$ConnectionStrings__Redis
# The peers app's keys are not under Shop's prefix, which is all the shop-app ACL user may touch: it uses the admin.
PEERS_REDIS_CS=$(sed 's/,allowAdmin=true//' <<<"${SHOP_TEST_REDIS_ADMIN:-$REDIS_CS}")
redis_hostport=${REDIS_CS%%,*}
rcli=(redis-cli -h "${redis_hostport%:*}" -p "${redis_hostport##*:}")
# Entries of an earlier run may describe rows of another database (the smoke's, or one since recreated): start
# every cache empty. (v2:peers:* is where peers builds before the fusion key fix kept FusionCache's entries.)
for prefix in shoppeers shoppeersl2 shoppeersdb peers v2:peers; do
  "${rcli[@]}" --scan --pattern "$prefix:*" | xargs -r -n 500 "${rcli[@]}" unlink >/dev/null
done

# --- 4. the four processes -----------------------------------------------------------------------------------
next_port=${SHOP_PEERS_PORT:-$((${SHOP_TEST_API_PORT:-5099} + 200))}
# Sets PORT (not a $(subshell): next_port must advance in this shell).
free_port() {
  while port_in_use "$next_port"; do next_port=$((next_port + 1)); done
  PORT=$next_port
  next_port=$((next_port + 1))
}

# start NAME DIR DLL ENV...: one process on a free port, pinned to SERVER_CPUS, log in artifacts/peers/NAME.log.
# A Shop process also listens on a management port of its own (Management:Port), where /metrics answers without a
# token, as production deployments run it (outside Development /metrics is for admins on the API port).
start() {
  local name=$1 dir=$2 dll=$3 urls
  shift 3
  free_port
  URL[$name]=http://127.0.0.1:$PORT
  urls=${URL[$name]}
  if [ "$dll" = "$SHOP_DLL" ]; then
    free_port
    MURL[$name]=http://127.0.0.1:$PORT
    urls="$urls;${MURL[$name]}"
    set -- "$@" Management__Port="$PORT"
  fi
  (cd "$dir" && exec env ASPNETCORE_ENVIRONMENT=Production "$@" \
    taskset -c "$SERVER_CPUS" dotnet "$dll" --urls "$urls" >"$OUT/$name.log" 2>&1 </dev/null) &
  PID[$name]=$!
}

# wait_live NAME PATH SECONDS
wait_live() {
  local name=$1 path=$2 limit=$3 t0=$SECONDS
  while [ $((SECONDS - t0)) -lt "$limit" ]; do
    kill -0 "${PID[$name]}" 2>/dev/null || { tail -n 30 "$OUT/$name.log"; fail "$name exited (log: artifacts/peers/$name.log)"; }
    if curl -fs -o /dev/null --max-time 2 "${URL[$name]}$path"; then echo "$name live on ${URL[$name]} after $((SECONDS - t0)) s"; return 0; fi
    sleep 0.5
  done
  tail -n 30 "$OUT/$name.log"
  fail "$name did not answer ${URL[$name]}$path within $limit s"
}

# Shop's own connection strings (appsettings*.json) pointed at this server and database: a setting Shop adds there
# (Max Auto Prepare, say) is measured with it.
shop_settings=src/Shop.Api/appsettings.json,src/Shop.Api/appsettings.Production.json
SHOP_PG_CS=$(node "$TOOLS/peers.mjs" connection-string "$shop_settings" Postgres "$DB_CS")
SHOP_REDIS_CS=$(node "$TOOLS/peers.mjs" connection-string "$shop_settings" Redis "$REDIS_CS")
echo "Shop's connection strings: PostgreSQL '$(sed -E 's/(password=)[^;]*/\1***/I' <<<"$SHOP_PG_CS")'," \
  "Redis '$(sed -E 's/(password=)[^,]*/\1***/I' <<<"$SHOP_REDIS_CS")'"
# One load generator is one client: the per-client rate limits are lifted (they are not what is measured).
shop_env=(ConnectionStrings__Redis="$SHOP_REDIS_CS" Auth__Authority=https://127.0.0.1:1
  RateLimiting__Reads__PermitLimit=1000000000 RateLimiting__Writes__PermitLimit=1000000000)
if [ "$have" != "$PRODUCTS" ]; then
  # A Shop start of its own migrates and seeds, with a long command timeout (the COPY of a million reviews can
  # outlast the default 30 s on a busy machine); the measured instances then all start alike.
  step "Seeding $DB: Shop migrates it and loads the $SEED seed"
  start seed src/Shop.Api "$SHOP_DLL" "${shop_env[@]}" ConnectionStrings__Postgres="$SHOP_PG_CS;Command Timeout=900" ConnectionStrings__PostgresMigrations="$DB_OWNER_CS;Command Timeout=900" \
    Cache__KeyPrefix=shoppeers Database__MigrateOnStartup=true Database__Seed="$SEED"
  wait_live seed /health/live 900
  kill "${PID[seed]}"; wait "${PID[seed]}" 2>/dev/null || true
  unset 'PID[seed]'
fi

step "Starting shop, shop-l2 (L1 off), shop-db (cache off) and the peers app"
shop_env+=(ConnectionStrings__Postgres="$SHOP_PG_CS")
start shop src/Shop.Api "$SHOP_DLL" "${shop_env[@]}" Cache__KeyPrefix=shoppeers
start shop-l2 src/Shop.Api "$SHOP_DLL" "${shop_env[@]}" Cache__KeyPrefix=shoppeersl2 Cache__L1Enabled=false
start shop-db src/Shop.Api "$SHOP_DLL" "${shop_env[@]}" Cache__KeyPrefix=shoppeersdb Cache__Enabled=false
start peers benchmarks/Peers "$PEERS_DLL" ConnectionStrings__Postgres="$DB_CS" ConnectionStrings__Redis="$PEERS_REDIS_CS" Peers__KeyPrefix=peers
wait_live shop /health/live 120
wait_live shop-l2 /health/live 120
wait_live shop-db /health/live 120
wait_live peers /bare 120
# A Shop process's first product read pays for the cold start (JIT, EF Core's model and query compilation, the first
# connection), which on a busy machine can outlast Cache:LoadTimeout (5 s) and answer 503: make it once, on an id
# the checks do not use, before the checks and the measurement.
for proc in shop shop-l2 shop-db; do
  curl -s -o /dev/null --max-time 30 "${URL[$proc]}/api/products/$((PRODUCTS - 1))" || true
done

# Endpoints measured: name, process, path (%d = a product id).
TARGETS=(
  "shop-live shop /health/live"
  "bare peers /bare"
  "shop-l1 shop /api/products/%d"
  "fusion peers /fusion/products/%d"
  "hybrid peers /hybrid/products/%d"
  "memory peers /memory/products/%d"
  "shop-redis shop-l2 /api/products/%d"
  "redis peers /redis/products/%d"
  "shop-db shop-db /api/products/%d"
  "npgsql peers /npgsql/products/%d"
)

# --- 5. same JSON, every endpoint answers ---------------------------------------------------------------------
step "Checks: every endpoint answers 200; product JSON equal to Shop's (miss and hit)"
check_args=()
for t in "${TARGETS[@]}"; do
  read -r name proc path <<<"$t"
  check_args+=("$name=${URL[$proc]}$path")
done
node "$TOOLS/peers.mjs" check --ids "1,2,42,$HOT" "${check_args[@]}" || fail "checks (see above)"

# --- 6/7. warm-up and rounds ---------------------------------------------------------------------------------
# counters PROCESS FILE: the process's counters now. Shop: its /metrics (total allocated bytes, cache lookups by
# level), on its management port; peers: /gc/allocated (total allocated bytes). An empty file when the endpoint does
# not answer.
counters() {
  local url=${MURL[$1]:-}/metrics
  [ "$1" = peers ] && url=${URL[$1]}/gc/allocated
  curl -fsS --max-time 5 "$url" >"$2" 2>/dev/null || : >"$2"
}

# run_wrk TARGET CONNECTIONS SECONDS OUTFILE [seq 2]
run_wrk() {
  local name proc path
  read -r name proc path <<<"$1"
  taskset -c "$WRK_CPUS" wrk -t2 -c"$2" -d"$3"s --latency --timeout 5s -s "$LUA" "${URL[$proc]}" -- "$path" "$HOT" "${@:5}" >"$4" 2>&1
}

# An L1 entry lives 30 s, so between two runs of one endpoint every hot id has left L1 (and by the end of a long run
# some Redis entries have expired): before each measured run of a cached endpoint, walk all hot ids once, so the run
# measures hits, as named, and not a refill squeezed into its first seconds.
PRIME=${SHOP_PEERS_PRIME:-3}
[ "$SMOKE" = 0 ] || PRIME=0
CACHED="shop-l1 fusion hybrid memory shop-redis redis"
prime() {
  [ "$PRIME" -gt 0 ] && [[ " $CACHED " == *" ${1%% *} "* ]] || return 0
  run_wrk "$1" 16 "$PRIME" "$OUT/prime.out" seq 2 || true
}

if [ "$WARMUP" -gt 0 ]; then
  for proc in shop shop-l2 shop-db peers; do
    mine=()
    for t in "${TARGETS[@]}"; do read -r _ p _ <<<"$t"; [ "$p" = "$proc" ] && mine+=("$t"); done
    # Two passes over the app's endpoints, so the methods JIT-compiled last also reach tier 1.
    # At least 5 s per endpoint and pass: the peers app's six endpoints get 60 s in all.
    slice=$(( (WARMUP + 2 * ${#mine[@]} - 1) / (2 * ${#mine[@]}) ))
    [ "$slice" -ge 5 ] || slice=5
    step "Warm-up $proc: ${#mine[@]} endpoint(s), 2 x $slice s each"
    for _ in 1 2; do
      for t in "${mine[@]}"; do run_wrk "$t" 32 "$slice" "$OUT/warmup.out"; done
    done
  done
fi

# Interleaving: Shop's endpoint and its peers back to back; the order of each group flips every round.
GROUPS_OF_TARGETS=("shop-live bare" "shop-l1 fusion hybrid memory" "shop-redis redis" "shop-db npgsql")
target_line() { local t; for t in "${TARGETS[@]}"; do [ "${t%% *}" = "$1" ] && { echo "$t"; return; }; done; }
printf 'round\tconnections\ttarget\tprocess\trequests_per_s\tp50_ms\tp99_ms\tnon_2xx\tsocket_errors\trequests\tallocated_bytes_per_request\tanswered_by\n' >"$OUT/results.tsv"
run_failed=0
for round in $(seq "$ROUNDS"); do
  for c in "${CONNECTIONS[@]}"; do
    step "Round $round/$ROUNDS, $c connections, $DURATION s per endpoint"
    for group in "${GROUPS_OF_TARGETS[@]}"; do
      read -r -a names <<<"$group"
      reversed=()
      if [ $((round % 2)) = 0 ]; then
        for ((i = ${#names[@]} - 1, j = 0; i >= 0; i--, j++)); do reversed[j]=${names[i]}; done
        names=("${reversed[@]}")
      fi
      for name in "${names[@]}"; do
        t=$(target_line "$name")
        read -r _ proc _ <<<"$t"
        file=$OUT/r$round-c$c-$name.wrk
        prime "$t"
        counters "$proc" "$OUT/before.txt"
        run_wrk "$t" "$c" "$DURATION" "$file" || { echo "wrk failed on $name"; cat "$file"; run_failed=1; continue; }
        counters "$proc" "$OUT/after.txt"
        line=$(node "$TOOLS/peers.mjs" parse "$file" "$OUT/before.txt" "$OUT/after.txt")
        printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$c" "$name" "$proc" "$line" >>"$OUT/results.tsv"
        printf '    %-11s %s\n' "$name" "$(awk -F'\t' '{ printf "%8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  non-2xx %s  errors %s  alloc %s B/req  %s", $1, $2, $3, $4, $5, $7, $8 }' <<<"$line")"
        awk -F'\t' '$4 != 0 || $5 != 0 || $6 == 0 { exit 1 }' <<<"$line" || { echo "    ^ $name: errors or no requests (see $file)"; run_failed=1; }
      done
    done
  done
done

# --- 8. report -----------------------------------------------------------------------------------------------
step "Report"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- src benchmarks/Peers 2>/dev/null | head -c1)
[ -z "$dirty" ] || commit="$commit (with uncommitted changes)"
report_args=(--results "$OUT/results.tsv" --command "$COMMAND_LINE" --commit "$commit"
  --rounds "$ROUNDS" --duration "$DURATION" --warmup "$WARMUP" --prime "$PRIME" --hot "$HOT" --seed "$SEED"
  --server-cpus "$SERVER_CPUS" --wrk-cpus "$WRK_CPUS" --load "$(cut -d' ' -f1-3 /proc/loadavg)")
if [ "$SMOKE" = 1 ]; then
  node "$TOOLS/peers.mjs" report "${report_args[@]}" --smoke --out "$OUT/smoke.md"
  echo "smoke report: artifacts/peers/smoke.md"
else
  node "$TOOLS/peers.mjs" report "${report_args[@]}" --out "$ROOT/benchmarks/peers.md" --chart "$ROOT/benchmarks/peers.svg"
  echo "report: benchmarks/peers.md, chart: benchmarks/peers.svg"
fi
[ "$run_failed" = 0 ] || fail "some wrk runs had errors (see above)"
echo "peers: ok ($((SECONDS - started)) s)"
