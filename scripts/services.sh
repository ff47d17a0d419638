#!/usr/bin/env bash
# Starts or stops the datastores Shop needs: PostgreSQL and Redis.
#   scripts/services.sh start|stop|status|env
#   scripts/services.sh cluster-start|cluster-stop|cluster-env   # a local Redis Cluster: 3 primaries + 3 replicas
# With a Docker engine: `docker compose up -d postgres redis`. Without one (these dev machines, CI):
# local PostgreSQL 15 and redis-server on 127.0.0.1, installing redis-server with apt when missing;
# data lives under .data/ in the repo (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PG_PORT=${SHOP_PG_PORT:-55432}
REDIS_PORT=${SHOP_REDIS_PORT:-56379}
# Six consecutive ports from here: 47001-47003 start as primaries, 47004-47006 as their replicas
# (a cluster node also listens on its port + 10000, so ports must stay below 55536).
CLUSTER_PORT=${SHOP_CLUSTER_PORT:-47001}
DATA=${SHOP_DATA_DIR:-$ROOT/.data}
PGDATA=$DATA/postgres
REDISDIR=$DATA/redis

log() { printf '[services] %s\n' "$*" >&2; }

docker_engine() { [ "${SHOP_NO_DOCKER:-}" != 1 ] && command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }; done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return; }
  return 1
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

ensure_packages() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
  pg_bin >/dev/null 2>&1 || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} with apt"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --home "$PGDATA" postgres; fi
}

start_postgres() {
  local bin; bin=$(pg_bin)
  mkdir -p "$DATA"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
    as_pg "$bin/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    # fsync off: this is a disposable dev/test cluster, never production data.
    as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 start \
      -o "-p $PG_PORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
    log "PostgreSQL started on 127.0.0.1:$PG_PORT"
  fi
  # The role and database the default connection string names (shop/shop, database shop).
  as_pg psql -h "$PGDATA" -p "$PG_PORT" -U postgres -d postgres -qtAc \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='shop') THEN CREATE ROLE shop LOGIN SUPERUSER PASSWORD 'shop'; END IF; END\$\$;" >/dev/null
  as_pg psql -h "$PGDATA" -p "$PG_PORT" -U postgres -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='shop'" | grep -q 1 \
    || as_pg psql -h "$PGDATA" -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE shop OWNER shop" >/dev/null
}

start_redis() {
  mkdir -p "$REDISDIR"
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "Redis already running on 127.0.0.1:$REDIS_PORT"
  else
    # Same memory policy as db/redis/redis.conf; no persistence for the local dev/test server.
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
      --maxmemory 256mb --maxmemory-policy volatile-lru \
      --pidfile "$REDISDIR/redis.pid" --logfile "$REDISDIR/redis.log" --dir "$REDISDIR"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    log "Redis started on 127.0.0.1:$REDIS_PORT"
  fi
}

stop_local() {
  local bin; bin=$(pg_bin 2>/dev/null) || true
  if [ -n "$bin" ] && [ -s "$PGDATA/PG_VERSION" ]; then as_pg "$bin/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true; fi
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  log "stopped local PostgreSQL and Redis"
}

cluster_ports() { seq "$CLUSTER_PORT" $((CLUSTER_PORT + 5)); }

start_cluster() {
  local port dir nodes=()
  for port in $(cluster_ports); do
    dir=$DATA/redis-cluster/$port
    nodes+=("127.0.0.1:$port")
    if redis-cli -p "$port" ping >/dev/null 2>&1; then continue; fi
    mkdir -p "$dir"
    # cluster-node-timeout 2000: a dead primary is failed over in about 2-3 s (the failover test waits for that).
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --save '' --appendonly no \
      --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 2000 \
      --maxmemory 128mb --maxmemory-policy volatile-lru \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  done
  for port in $(cluster_ports); do
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  if ! redis-cli -p "$CLUSTER_PORT" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >/dev/null
    for _ in $(seq 100); do
      redis-cli -p "$CLUSTER_PORT" cluster info | grep -q 'cluster_state:ok' && break; sleep 0.1
    done
  fi
  # Every node must agree before clients connect, or they read a half-built topology.
  for port in $(cluster_ports); do
    for _ in $(seq 100); do redis-cli -p "$port" cluster info | grep -q 'cluster_state:ok' && break; sleep 0.1; done
  done
  log "Redis Cluster ready on 127.0.0.1:$CLUSTER_PORT-$((CLUSTER_PORT + 5)) (3 primaries, 3 replicas)"
}

stop_cluster() {
  local port
  for port in $(cluster_ports); do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$DATA/redis-cluster"
  log "stopped the local Redis Cluster"
}

print_cluster_env() {
  local list
  list=$(cluster_ports | sed 's/^/127.0.0.1:/' | paste -sd, -)
  echo "export ConnectionStrings__Redis='$list,connectTimeout=2000,allowAdmin=true'"
}

print_env() {
  echo "export ConnectionStrings__Postgres='Host=127.0.0.1;Port=$PG_PORT;Database=shop;Username=shop;Password=shop'"
  echo "export ConnectionStrings__Redis='127.0.0.1:$REDIS_PORT,connectTimeout=2000,allowAdmin=true'"
}

case "${1:-start}" in
  start)
    if docker_engine; then
      log "Docker engine found: docker compose up -d postgres redis"
      docker compose up -d --wait postgres redis
    else
      ensure_packages; start_postgres; start_redis
    fi ;;
  stop)
    if docker_engine; then docker compose stop postgres redis; else stop_local; fi ;;
  status)
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | sed 's/^/redis: /' || echo "redis: down"
    pg_isready -h 127.0.0.1 -p "$PG_PORT" || true ;;
  env) print_env ;;
  cluster-start) ensure_packages; start_cluster ;;
  cluster-stop) stop_cluster ;;
  cluster-env) print_env | grep Postgres; print_cluster_env ;;
  *) echo "usage: $0 start|stop|status|env|cluster-start|cluster-stop|cluster-env" >&2; exit 2 ;;
esac
