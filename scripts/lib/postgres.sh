# Sourced by scripts/services.sh and scripts/chaos.sh: where the PostgreSQL binaries are, and how to run them
# (PostgreSQL refuses to run as root, so root runs them as the postgres user).

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }; done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return; }
  return 1
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
