#!/usr/bin/env bash
# Starts or stops the datastores Shop needs: PostgreSQL and Redis.
#   scripts/services.sh start|stop|status|env
#   scripts/services.sh cluster-start|cluster-stop|cluster-env   # a local Redis Cluster: 3 primaries + 3 replicas
# With a Docker engine: `docker compose up -d postgres redis`. Without one (these dev machines, CI):
# local PostgreSQL 15 and redis-server on 127.0.0.1, installing redis-server with apt when missing;
# data lives under .data/ in the repo (git-ignored).
#
# Least privilege, as in production (docs/security.md):
#   PostgreSQL  shop_owner  owns database shop, runs migrations and the seed, may create databases (the tests copy
#                           a template per test class); no superuser
#               shop_app    what the API connects as: SELECT/INSERT/UPDATE/DELETE on Shop's tables, nothing else
#   Redis ACL   default     the admin (this script, redis-cli with REDISCLI_AUTH, the test harness's FLUSH/inspection)
#               shop-app    the API: keys and channels starting with "shop" (shop:v1:..., the tests' shoptest:...),
#                           read/write/scripting/pub-sub commands, no FLUSH*, CONFIG, KEYS, DEBUG...
#               shop-monitor  redis_exporter: INFO, SLOWLOG, LATENCY, CONFIG GET; no key access at all
# Passwords are random, made once per data directory in $DATA/credentials.env (never committed);
# `scripts/services.sh env` prints the connection strings that use them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=lib/ports.sh
. "$ROOT/scripts/lib/ports.sh"
PGDATA=$DATA/postgres
REDISDIR=$DATA/redis

CREDENTIALS=$DATA/credentials.env

log() { printf '[services] %s\n' "$*" >&2; }

# Random passwords, made once per data directory (hex: safe inside connection strings and ACL rules).
load_credentials() {
  mkdir -p "$DATA"
  if [ ! -s "$CREDENTIALS" ]; then
    local name
    ( umask 077
      for name in SHOP_PG_OWNER_PASSWORD SHOP_PG_APP_PASSWORD SHOP_REDIS_ADMIN_PASSWORD SHOP_REDIS_APP_PASSWORD SHOP_REDIS_MONITOR_PASSWORD; do
        echo "$name=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
      done >"$CREDENTIALS" )
  fi
  # shellcheck disable=SC1090
  . "$CREDENTIALS"
}

# The Redis ACL users, rendered from db/redis/users.acl.template (the same rules docker-compose.yml uses) with the
# SHA-256 of each password.
redis_acl() {
  local h_admin h_app h_monitor
  h_admin=$(printf '%s' "$SHOP_REDIS_ADMIN_PASSWORD" | sha256sum | cut -d' ' -f1)
  h_app=$(printf '%s' "$SHOP_REDIS_APP_PASSWORD" | sha256sum | cut -d' ' -f1)
  h_monitor=$(printf '%s' "$SHOP_REDIS_MONITOR_PASSWORD" | sha256sum | cut -d' ' -f1)
  grep -v '^#' "$ROOT/db/redis/users.acl.template" | sed -e "s/@ADMIN@/$h_admin/" -e "s/@APP@/$h_app/" -e "s/@MONITOR@/$h_monitor/"
}

rcli() { REDISCLI_AUTH=$SHOP_REDIS_ADMIN_PASSWORD redis-cli --no-auth-warning "$@"; }

docker_engine() { [ "${SHOP_NO_DOCKER:-}" != 1 ] && command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# shellcheck source=lib/postgres.sh
. "$ROOT/scripts/lib/postgres.sh"

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
    # Trust on the local socket only (this script, as the postgres OS user); passwords over TCP.
    as_pg "$bin/initdb" -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    # fsync off: this is a disposable dev/test cluster, never production data.
    as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 start \
      -o "-p $PG_PORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
    log "PostgreSQL started on 127.0.0.1:$PG_PORT"
  fi
  # The owner role (migrations, seed, CREATE DATABASE for the tests) and the app role (rows only), database shop.
  local psql=(as_pg psql -h "$PGDATA" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
  "${psql[@]}" -d postgres >/dev/null <<SQL
SET client_min_messages = warning;
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shop_owner') THEN CREATE ROLE shop_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shop_app') THEN CREATE ROLE shop_app LOGIN; END IF;
END\$\$;
ALTER ROLE shop_owner NOSUPERUSER CREATEDB NOCREATEROLE PASSWORD '$SHOP_PG_OWNER_PASSWORD';
ALTER ROLE shop_app NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD '$SHOP_PG_APP_PASSWORD';
-- The owner may end the app role's sessions (DROP DATABASE ... WITH (FORCE) in the tests); it gains nothing else.
GRANT shop_app TO shop_owner;
SQL
  "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='shop'" | grep -q 1 \
    || "${psql[@]}" -d postgres -c "CREATE DATABASE shop OWNER shop_owner" >/dev/null
  grant_app_role shop
}

# Whatever shop_owner creates in the public schema of database $1 (now and later: migrations) is readable and
# writable by shop_app; no DDL. Databases copied from it (CREATE DATABASE ... TEMPLATE) inherit these grants.
grant_app_role() {
  as_pg psql -h "$PGDATA" -p "$PG_PORT" -U postgres -d "$1" -v ON_ERROR_STOP=1 -qtA >/dev/null <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO shop_app;
ALTER DEFAULT PRIVILEGES FOR ROLE shop_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO shop_app;
ALTER DEFAULT PRIVILEGES FOR ROLE shop_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO shop_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO shop_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO shop_app;
SQL
}

start_redis() {
  mkdir -p "$REDISDIR"
  redis_acl >"$REDISDIR/users.acl"; chmod 600 "$REDISDIR/users.acl"
  if rcli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    rcli -p "$REDIS_PORT" acl load >/dev/null
    log "Redis already running on 127.0.0.1:$REDIS_PORT (ACL reloaded)"
  elif redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "a Redis without Shop's ACL answers on 127.0.0.1:$REDIS_PORT: stop it first (redis-cli -p $REDIS_PORT shutdown nosave)"
    return 1
  else
    # Same memory policy as db/redis/redis.conf; no persistence for the local dev/test server; ACL users from users.acl.
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --daemonize yes --save '' --appendonly no \
      --maxmemory 256mb --maxmemory-policy volatile-lru --aclfile "$REDISDIR/users.acl" \
      --pidfile "$REDISDIR/redis.pid" --logfile "$REDISDIR/redis.log" --dir "$REDISDIR"
    for _ in $(seq 50); do rcli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    log "Redis started on 127.0.0.1:$REDIS_PORT (ACL: default=admin, shop-app, shop-monitor)"
  fi
}

stop_local() {
  local bin; bin=$(pg_bin 2>/dev/null) || true
  if [ -n "$bin" ] && [ -s "$PGDATA/PG_VERSION" ]; then as_pg "$bin/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true; fi
  rcli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  log "stopped local PostgreSQL and Redis"
}

cluster_ports() { seq "$CLUSTER_PORT" $((CLUSTER_PORT + 5)); }

start_cluster() {
  local port dir nodes=()
  for port in $(cluster_ports); do
    dir=$DATA/redis-cluster/$port
    nodes+=("127.0.0.1:$port")
    mkdir -p "$dir"
    redis_acl >"$dir/users.acl"; chmod 600 "$dir/users.acl"
    if rcli -p "$port" ping >/dev/null 2>&1; then rcli -p "$port" acl load >/dev/null; continue; fi
    # cluster-node-timeout 2000: a dead primary is failed over in about 2-3 s (the failover test waits for that).
    # masteruser/masterauth: replicas authenticate to their primary as the admin (the default user has a password).
    redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --daemonize yes --save '' --appendonly no \
      --aclfile "$dir/users.acl" --masterauth "$SHOP_REDIS_ADMIN_PASSWORD" \
      --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 2000 \
      --maxmemory 128mb --maxmemory-policy volatile-lru \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  done
  for port in $(cluster_ports); do
    for _ in $(seq 50); do rcli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  if ! rcli -p "$CLUSTER_PORT" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
    rcli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >/dev/null
    for _ in $(seq 100); do
      rcli -p "$CLUSTER_PORT" cluster info | grep -q 'cluster_state:ok' && break; sleep 0.1
    done
  fi
  # Every node must agree before clients connect, or they read a half-built topology.
  for port in $(cluster_ports); do
    for _ in $(seq 100); do rcli -p "$port" cluster info | grep -q 'cluster_state:ok' && break; sleep 0.1; done
  done
  log "Redis Cluster ready on 127.0.0.1:$CLUSTER_PORT-$((CLUSTER_PORT + 5)) (3 primaries, 3 replicas)"
}

stop_cluster() {
  local port
  for port in $(cluster_ports); do rcli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$DATA/redis-cluster"
  log "stopped the local Redis Cluster"
}

# ConnectionStrings__Redis: the app's ACL user. SHOP_TEST_REDIS_ADMIN: the admin, for the test harness only (FLUSH,
# inspection, CLIENT KILL). REDISCLI_AUTH: redis-cli as the admin. REDIS_USER/REDIS_PASSWORD: redis_exporter's user.
print_redis_env() {
  local list=$1
  echo "export ConnectionStrings__Redis='$list,user=shop-app,password=$SHOP_REDIS_APP_PASSWORD,connectTimeout=2000'"
  echo "export SHOP_TEST_REDIS_ADMIN='$list,password=$SHOP_REDIS_ADMIN_PASSWORD,connectTimeout=2000,allowAdmin=true'"
  echo "export REDISCLI_AUTH='$SHOP_REDIS_ADMIN_PASSWORD'"
  echo "export REDIS_USER=shop-monitor REDIS_PASSWORD='$SHOP_REDIS_MONITOR_PASSWORD'"
}

print_cluster_env() {
  print_redis_env "$(cluster_ports | sed 's/^/127.0.0.1:/' | paste -sd, -)"
}

# ConnectionStrings__Postgres: the app role. ConnectionStrings__PostgresMigrations: the owner (migrations, seed;
# the test harness creates and drops its databases with it).
print_pg_env() {
  echo "export ConnectionStrings__Postgres='Host=127.0.0.1;Port=$PG_PORT;Database=shop;Username=shop_app;Password=$SHOP_PG_APP_PASSWORD'"
  echo "export ConnectionStrings__PostgresMigrations='Host=127.0.0.1;Port=$PG_PORT;Database=shop;Username=shop_owner;Password=$SHOP_PG_OWNER_PASSWORD'"
}

print_env() {
  print_pg_env
  print_redis_env "127.0.0.1:$REDIS_PORT"
}

load_credentials

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
    rcli -p "$REDIS_PORT" ping 2>/dev/null | sed 's/^/redis: /' || echo "redis: down"
    pg_isready -h 127.0.0.1 -p "$PG_PORT" || true ;;
  env) print_env ;;
  cluster-start) ensure_packages; start_cluster ;;
  cluster-stop) stop_cluster ;;
  cluster-env) print_pg_env; print_cluster_env ;;
  *) echo "usage: $0 start|stop|status|env|cluster-start|cluster-stop|cluster-env" >&2; exit 2 ;;
esac
