#!/usr/bin/env bash
# The chaos lab (issue #15): faults injected one at a time while two API instances serve steady load.
#   bash scripts/chaos.sh                 every scenario with 30 s outages (8-12 minutes on 2 cores); writes docs/chaos.md
#   bash scripts/chaos.sh --short         3 s outages, short phases, no primary-kill (about 2-3 minutes); writes
#                                         artifacts/chaos/chaos-short.md (docs/chaos-short.md: add -- --doc docs/chaos-short.md)
#   options: --assert (exit 1 when a scenario answers 500, loses or double-counts views, recovers later than
#            Cache:BreakerOpenDuration, serves a read older than Cache:DegradedL1Ttl + 0.5 s, or, PostgreSQL down, leaves a
#            previously cached product unanswered or answers 503s slowly or without Retry-After),
#            --scenarios kill,pg,redis,latency,failover,primary-kill (a subset), --no-build, -- EXTRA LOAD LAB ARGS
#   bash scripts/chaos.sh fault NAME      used by the lab: pg-stop|pg-start|redis-stop|redis-start|cluster-failover|
#                                         cluster-kill-primary
#
# Scenarios (tests/Shop.LoadLab/Chaos, explained in docs/chaos.md): kill -9 of one instance; PostgreSQL stopped;
# Redis stopped; Redis replies delayed 200 ms by a TCP proxy; CLUSTER FAILOVER on the Redis Cluster; kill -9 of a
# cluster primary.
# The lab stops and starts its OWN PostgreSQL cluster and Redis server (started here, stopped at the end; data under
# $SHOP_DATA_DIR/chaos), never the shared ones of scripts/services.sh. Ports: $SHOP_CHAOS_PG_PORT (default
# SHOP_PG_PORT + 1000) and $SHOP_CHAOS_REDIS_PORT (default SHOP_REDIS_PORT + 1000). The failover scenario uses the
# Redis Cluster of `scripts/services.sh cluster-start` ($SHOP_CLUSTER_PORT), started and stopped here if it was not up.
# All traffic stays on 127.0.0.1 and every phase is bounded in time. Exit: 0 the lab ran (with --assert: and every
# rule held), 1 a rule broken under --assert, other codes: the lab could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# shellcheck source=lib/ports.sh
. "$ROOT/scripts/lib/ports.sh"
CHAOS_DATA=$DATA/chaos
CHAOS_PG_PORT=${SHOP_CHAOS_PG_PORT:-$((PG_PORT + 1000))}
CHAOS_REDIS_PORT=${SHOP_CHAOS_REDIS_PORT:-$((REDIS_PORT + 1000))}
CHAOS_PGDATA=$CHAOS_DATA/postgres
CHAOS_REDISDIR=$CHAOS_DATA/redis

log() { printf '[chaos] %s\n' "$*" >&2; }

# shellcheck source=lib/postgres.sh
. "$ROOT/scripts/lib/postgres.sh"

# The same server options as scripts/services.sh, on the lab's port and data directory.
pg_start() {
  as_pg "$(pg_bin)/pg_ctl" -D "$CHAOS_PGDATA" -l "$CHAOS_PGDATA/server.log" -w -t 30 start \
    -o "-p $CHAOS_PG_PORT -k $CHAOS_PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
}

pg_stop() { as_pg "$(pg_bin)/pg_ctl" -D "$CHAOS_PGDATA" -m fast -w stop >/dev/null; }

# Configured as db/redis/redis.conf: AOF every second, volatile-lru (a clean shutdown keeps the pending page views).
redis_start() {
  mkdir -p "$CHAOS_REDISDIR"
  redis-server --bind 127.0.0.1 --port "$CHAOS_REDIS_PORT" --daemonize yes --save '' --appendonly yes --appendfsync everysec \
    --maxmemory 192mb --maxmemory-policy volatile-lru \
    --pidfile "$CHAOS_REDISDIR/redis.pid" --logfile "$CHAOS_REDISDIR/redis.log" --dir "$CHAOS_REDISDIR"
  for _ in $(seq 100); do redis-cli -p "$CHAOS_REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "Redis did not start on $CHAOS_REDIS_PORT (see $CHAOS_REDISDIR/redis.log)"; return 1
}

redis_stop() {
  redis-cli -p "$CHAOS_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 100); do redis-cli -p "$CHAOS_REDIS_PORT" ping >/dev/null 2>&1 || return 0; sleep 0.1; done
  return 1
}

# The local cluster runs with the ACL of scripts/services.sh: redis-cli and the lab's instances use its admin user.
cluster_env_value() { scripts/services.sh cluster-env | sed -n "s/^export $1='\\(.*\\)'$/\\1/p"; }
ccli() { REDISCLI_AUTH="$(cluster_env_value REDISCLI_AUTH)" redis-cli --no-auth-warning "$@"; }

# CLUSTER FAILOVER on the replica of the first healthy primary; returns when the replica reports itself primary.
cluster_failover() {
  local nodes primary_id primary_port replica_port
  nodes=$(ccli -p "$CLUSTER_PORT" cluster nodes)
  primary_id=$(awk '$3 ~ /master/ && $3 !~ /fail/ && $8 == "connected" && NF > 8 { print $1; exit }' <<<"$nodes")
  primary_port=$(awk -v id="$primary_id" '$1 == id { split($2, a, "[:@]"); print a[2] }' <<<"$nodes")
  replica_port=$(awk -v id="$primary_id" '$3 ~ /slave/ && $4 == id && $3 !~ /fail/ { split($2, a, "[:@]"); print a[2]; exit }' <<<"$nodes")
  [ -n "$replica_port" ] || { log "no replica found for primary $primary_id"; return 1; }
  ccli -p "$replica_port" cluster failover >/dev/null
  for _ in $(seq 150); do
    if ccli -p "$replica_port" role | head -n 1 | grep -q master; then
      echo "replica 127.0.0.1:$replica_port is primary now (was 127.0.0.1:$primary_port)"; return 0
    fi
    sleep 0.1
  done
  log "127.0.0.1:$replica_port is still a replica 15 s after CLUSTER FAILOVER"; return 1
}

# kill -9 of the first healthy primary; returns once its replica has been promoted (cluster-node-timeout 2 s) and the
# killed node is back (scripts/services.sh cluster-start restarts it; it rejoins as a replica).
cluster_kill_primary() {
  local nodes primary_id primary_port replica_port pid
  nodes=$(ccli -p "$CLUSTER_PORT" cluster nodes)
  primary_id=$(awk '$3 ~ /master/ && $3 !~ /fail/ && $8 == "connected" && NF > 8 { print $1; exit }' <<<"$nodes")
  primary_port=$(awk -v id="$primary_id" '$1 == id { split($2, a, "[:@]"); print a[2] }' <<<"$nodes")
  replica_port=$(awk -v id="$primary_id" '$3 ~ /slave/ && $4 == id && $3 !~ /fail/ { split($2, a, "[:@]"); print a[2]; exit }' <<<"$nodes")
  [ -n "$replica_port" ] || { log "no replica found for primary $primary_id"; return 1; }
  pid=$(ccli -p "$primary_port" info server | tr -d '\r' | awk -F: '$1 == "process_id" { print $2 }')
  kill -9 "$pid"
  for _ in $(seq 300); do
    if ccli -p "$replica_port" role 2>/dev/null | head -n 1 | grep -q master; then
      scripts/services.sh cluster-start >/dev/null 2>&1
      echo "primary 127.0.0.1:$primary_port killed; replica 127.0.0.1:$replica_port promoted; the killed node rejoined"; return 0
    fi
    sleep 0.1
  done
  scripts/services.sh cluster-start >/dev/null 2>&1 || true
  log "127.0.0.1:$replica_port was not promoted within 30 s of the kill"; return 1
}

if [ "${1:-}" = fault ]; then
  case "${2:-}" in
    pg-stop) pg_stop; echo "PostgreSQL on $CHAOS_PG_PORT stopped" ;;
    pg-start) pg_start; echo "PostgreSQL on $CHAOS_PG_PORT started" ;;
    redis-stop) redis_stop; echo "Redis on $CHAOS_REDIS_PORT shut down (nosave)" ;;
    redis-start) redis_start; echo "Redis on $CHAOS_REDIS_PORT started" ;;
    cluster-failover) cluster_failover ;;
    cluster-kill-primary) cluster_kill_primary ;;
    *) echo "usage: $0 fault pg-stop|pg-start|redis-stop|redis-start|cluster-failover|cluster-kill-primary" >&2; exit 2 ;;
  esac
  exit 0
fi

LAB_ARGS=()
SCENARIOS=""
SHORT=0
BUILD=1
COMMAND_LINE="bash scripts/chaos.sh${*:+ $*}"
while [ $# -gt 0 ]; do
  case $1 in
    --short) LAB_ARGS+=(--short); SHORT=1 ;;
    --assert) LAB_ARGS+=(--assert) ;;
    --scenarios) SCENARIOS=$2; shift ;;
    --no-build) BUILD=0 ;;
    --) shift; LAB_ARGS+=("$@"); break ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# The short run leaves out the crash of a cluster primary (the slowest scenario); name it to run it.
if [ -z "$SCENARIOS" ]; then
  SCENARIOS=kill,pg,redis,latency,failover,primary-kill
  [ "$SHORT" = 0 ] || SCENARIOS=kill,pg,redis,latency,failover
fi

started=$SECONDS
pg_started=0
redis_started=0
cluster_started=0
cleanup() {
  set +e
  [ "$redis_started" = 1 ] && redis_stop
  [ "$pg_started" = 1 ] && pg_stop
  [ "$cluster_started" = 1 ] && scripts/services.sh cluster-stop
  log "done in $((SECONDS - started)) s"
}
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# scripts/services.sh installs what is missing (PostgreSQL, redis-server) and brings the shared services up; then the
# lab's own PostgreSQL cluster (initdb once) and Redis server.
scripts/services.sh start
if ! redis-cli -p "$CHAOS_REDIS_PORT" ping >/dev/null 2>&1; then
  port_in_use "$CHAOS_REDIS_PORT" && { log "port $CHAOS_REDIS_PORT is taken: set SHOP_CHAOS_REDIS_PORT"; exit 2; }
  redis_start; redis_started=1
fi
if [ ! -s "$CHAOS_PGDATA/PG_VERSION" ]; then
  mkdir -p "$CHAOS_PGDATA"; [ "$(id -u)" = 0 ] && chown postgres "$CHAOS_PGDATA"
  as_pg "$(pg_bin)/initdb" -D "$CHAOS_PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_pg "$(pg_bin)/pg_ctl" -D "$CHAOS_PGDATA" status >/dev/null 2>&1; then
  port_in_use "$CHAOS_PG_PORT" && { log "port $CHAOS_PG_PORT is taken: set SHOP_CHAOS_PG_PORT"; exit 2; }
  pg_start; pg_started=1
fi
as_pg psql -h "$CHAOS_PGDATA" -p "$CHAOS_PG_PORT" -U postgres -d postgres -qtAc \
  "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='shop') THEN CREATE ROLE shop LOGIN SUPERUSER PASSWORD 'shop'; END IF; END\$\$;" >/dev/null
log "lab PostgreSQL on 127.0.0.1:$CHAOS_PG_PORT, lab Redis on 127.0.0.1:$CHAOS_REDIS_PORT"

if [[ ",$SCENARIOS," == *,failover,* || ",$SCENARIOS," == *,primary-kill,* ]]; then
  ccli -p "$CLUSTER_PORT" ping >/dev/null 2>&1 || cluster_started=1
  scripts/services.sh cluster-start
  LAB_ARGS+=(--cluster "$(cluster_env_value SHOP_TEST_REDIS_ADMIN | sed 's/,connectTimeout=[0-9]*//; s/,allowAdmin=true//')")
fi

if [ "$BUILD" = 1 ]; then
  log "Release build of Shop.Api and the load lab"
  dotnet build src/Shop.Api -c Release -nologo -v:q
  dotnet build tests/Shop.LoadLab -c Release -nologo -v:q
fi

set +e
dotnet tests/Shop.LoadLab/bin/Release/net10.0/Shop.LoadLab.dll chaos \
  --pg "Host=127.0.0.1;Port=$CHAOS_PG_PORT;Database=shop_chaos;Username=shop;Password=shop" \
  --redis "127.0.0.1:$CHAOS_REDIS_PORT" --fault-script scripts/chaos.sh --scenarios "$SCENARIOS" \
  --command-line "$COMMAND_LINE" "${LAB_ARGS[@]}"
rc=$?
set -e
exit "$rc"
