#!/usr/bin/env bash
# Quick-start "run": PostgreSQL + Redis up, then the API in Development (migrates and loads the demo seed at
# startup, maps POST /api/dev/token). Ctrl+C stops the API; scripts/stop.sh stops the datastores.
#   scripts/run.sh                      # http://localhost:5080
#   SHOP_URLS=http://localhost:6000 scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/services.sh start
eval "$(scripts/services.sh env)"
export ConnectionStrings__Postgres ConnectionStrings__Redis ASPNETCORE_ENVIRONMENT=Development

urls=${SHOP_URLS:-http://localhost:5080}
first=${urls%%;*}
# http://+:5080, http://*:5080 and http://0.0.0.0:5080 are reached at localhost from this machine.
browse=$(sed -E 's#://(\+|\*|0\.0\.0\.0|\[::\])#://localhost#' <<<"$first")
cat <<INFO

  Shop API (Development) on $urls
  Swagger UI:  $browse/swagger   (POST /api/dev/token for a token, then Authorize)
  Health:      $browse/health/ready
  Requests:    http/*.http (httpyac, Rider, VS Code)
  Stop:        Ctrl+C, then scripts/stop.sh to stop PostgreSQL and Redis

INFO
exec dotnet run --project src/Shop.Api --urls "$urls"
