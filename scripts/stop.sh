#!/usr/bin/env bash
# Stops what scripts/run.sh and scripts/test.sh started: an API test.sh left in the background (if any),
# then PostgreSQL and Redis (scripts/services.sh stop). Data under .data/ is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

pid_file=.tools/run/api-test.pid
if [ -s "$pid_file" ]; then
  pid=$(cat "$pid_file")
  # Only if that pid is still our API (pids get reused).
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'Shop.Api'; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    echo "[stop] stopped the API test.sh started (pid $pid)" >&2
  fi
  rm -f "$pid_file"
fi

scripts/services.sh stop
