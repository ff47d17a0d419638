#!/bin/sh
# Runs once, when the postgres container initialises an empty volume (docker-entrypoint-initdb.d), as the superuser.
# Creates the same split as scripts/services.sh:
#   shop_owner  owns database shop; migrations and the seed run as it (the compose `migrate` service)
#   shop_app    what the API connects as: SELECT/INSERT/UPDATE/DELETE on the tables shop_owner creates, no DDL
# Passwords come from the environment (SHOP_PG_OWNER_PASSWORD, SHOP_PG_APP_PASSWORD), never from this file.
set -eu
: "${SHOP_PG_OWNER_PASSWORD:?SHOP_PG_OWNER_PASSWORD is not set}"
: "${SHOP_PG_APP_PASSWORD:?SHOP_PG_APP_PASSWORD is not set}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$SHOP_PG_OWNER_PASSWORD" -v app_pw="$SHOP_PG_APP_PASSWORD" <<'SQL'
CREATE ROLE shop_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_pw';
CREATE ROLE shop_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_pw';
CREATE DATABASE shop OWNER shop_owner;
\connect shop
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO shop_app;
ALTER DEFAULT PRIVILEGES FOR ROLE shop_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO shop_app;
ALTER DEFAULT PRIVILEGES FOR ROLE shop_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO shop_app;
SQL
