# Sourced by scripts/services.sh, chaos.sh and bench.sh: where the local PostgreSQL, Redis and Redis Cluster listen,
# and where their data lives. Set after `ROOT` (the repository root).
# Defaults sit below Linux's ephemeral range (32768-60999): a port in it can be held by any outgoing connection
# at the moment a server wants to bind it ("Address already in use").
PG_PORT=${SHOP_PG_PORT:-15432}
REDIS_PORT=${SHOP_REDIS_PORT:-16379}
# Six consecutive ports from here: 17001-17003 start as primaries, 17004-17006 as their replicas
# (a cluster node also listens on its port + 10000, its bus port: 27001-27006, also below the ephemeral range).
CLUSTER_PORT=${SHOP_CLUSTER_PORT:-17001}
DATA=${SHOP_DATA_DIR:-$ROOT/.data}
