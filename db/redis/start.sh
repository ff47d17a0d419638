#!/bin/sh
# Entrypoint of the redis services in docker-compose.yml: renders users.acl.template with the hashes of the passwords
# given in the environment (SHOP_REDIS_ADMIN_PASSWORD, SHOP_REDIS_APP_PASSWORD, SHOP_REDIS_MONITOR_PASSWORD), then
# starts redis-server with that ACL and the arguments given ("$@": a config file, or cluster options).
set -eu
for v in SHOP_REDIS_ADMIN_PASSWORD SHOP_REDIS_APP_PASSWORD SHOP_REDIS_MONITOR_PASSWORD; do
  eval "val=\${$v:-}"
  [ -n "$val" ] || { echo "start.sh: $v is not set (see docs/security.md)" >&2; exit 1; }
done
hash() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
grep -v '^#' /usr/local/etc/redis/users.acl.template \
  | sed -e "s/@ADMIN@/$(hash "$SHOP_REDIS_ADMIN_PASSWORD")/" -e "s/@APP@/$(hash "$SHOP_REDIS_APP_PASSWORD")/" \
        -e "s/@MONITOR@/$(hash "$SHOP_REDIS_MONITOR_PASSWORD")/" >/tmp/users.acl
chown redis /tmp/users.acl 2>/dev/null || true
chmod 600 /tmp/users.acl
# masterauth: a replica (cluster profile) authenticates to its primary as the admin.
exec docker-entrypoint.sh redis-server "$@" --aclfile /tmp/users.acl --masterauth "$SHOP_REDIS_ADMIN_PASSWORD"
