#!/usr/bin/env bash
# A screenshot of the /cache page after some traffic, taken by headless Chromium (docs/cache-page.png is one).
#   scripts/screenshot-cache-page.sh [BASE_URL] [OUT_PNG] [PRODUCT_ID]
#     BASE_URL    a running API in Development (default http://localhost:5080); when nothing answers there, the
#                 script starts one itself (scripts/services.sh + the built API on a free port) and stops it again
#     OUT_PNG     default docs/cache-page.png
#     PRODUCT_ID  optional: after the traffic, read that product (miss), read it again (L1 hit), change its price
#                 (invalidation) and read it (miss), then open /cache?key=product:ID so the live event view shows that
#                 sequence. docs/lessons/cache-events.png is
#                   SHOP_SCREENSHOT_TRAFFIC_SECONDS=10 scripts/screenshot-cache-page.sh "" docs/lessons/cache-events.png 1942
# Installs Debian's chromium with apt when missing. Traffic: about 40 s (longer than L1's 30 s TTL, so L2 hits
# show up) of Zipf-like product reads (a few hot products, a long tail, some ids that do not exist) and one price
# change, so both charts have a history.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BASE_URL=${1:-http://localhost:5080}
OUT=${2:-docs/cache-page.png}
PRODUCT=${3:-}
[[ -z $PRODUCT || $PRODUCT =~ ^[0-9]+$ ]] || { echo "PRODUCT_ID must be a number" >&2; exit 2; }
TRAFFIC_SECONDS=${SHOP_SCREENSHOT_TRAFFIC_SECONDS:-40}
api_pid=""
profile=""

log() { printf '[screenshot] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
http_ok() { node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1" 2>/dev/null; }

cleanup() {
  if [ -n "$api_pid" ]; then kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
  [ -z "$profile" ] || rm -rf "$profile"
}
trap cleanup EXIT

if ! command -v chromium >/dev/null; then
  log "installing chromium with apt"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1 \
    || { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }
fi

if [ -z "$BASE_URL" ] || ! http_ok "$BASE_URL/health/live"; then
  log "no API at $BASE_URL: starting one"
  scripts/services.sh start
  eval "$(scripts/services.sh env)"
  port=5098
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  BASE_URL=http://127.0.0.1:$port
  mkdir -p artifacts
  (cd src/Shop.Api && ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Postgres="$ConnectionStrings__Postgres" \
    ConnectionStrings__Redis="$ConnectionStrings__Redis" exec dotnet run --urls "$BASE_URL" >"$ROOT/artifacts/screenshot-api.log" 2>&1 </dev/null) &
  api_pid=$!
  for _ in $(seq 240); do http_ok "$BASE_URL/health/live" && break; sleep 0.5; done
  http_ok "$BASE_URL/health/live" || { tail -n 30 artifacts/screenshot-api.log; log "the API did not start"; exit 1; }
fi

log "traffic against $BASE_URL for $TRAFFIC_SECONDS s"
node --input-type=module - "$BASE_URL" "$TRAFFIC_SECONDS" <<'JS'
const [base, seconds] = [process.argv[2], Number(process.argv[3])];
const token = (await (await fetch(`${base}/api/dev/token`, { method: "POST", headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ userId: 1, role: "admin" }) })).json()).accessToken;
// Zipf-like ids: rank r is read with probability ~ 1/r over 400 products; 3 % of reads ask for ids that do not exist.
const weights = Array.from({ length: 400 }, (_, i) => 1 / (i + 1));
const total = weights.reduce((a, b) => a + b);
const pick = () => { let r = Math.random() * total; for (let i = 0; i < weights.length; i++) { r -= weights[i]; if (r <= 0) return i + 1; } return 400; };
const end = Date.now() + seconds * 1000;
let n = 0, changed = false;
while (Date.now() < end) {
  const started = Date.now();
  await Promise.all(Array.from({ length: 40 }, async () => {
    const id = Math.random() < 0.03 ? 900000 + Math.floor(Math.random() * 50) : pick();
    const r = await fetch(`${base}/api/products/${id}`); await r.arrayBuffer(); n++;
  }));
  if (!changed && Date.now() > end - seconds * 500) {
    changed = true; // one write half-way: invalidation, then a miss on the next read of that product
    const r = await fetch(`${base}/api/products/1/price`, { method: "PUT", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ price: Number((20 + Math.random() * 10).toFixed(2)) }) });
    await r.arrayBuffer();
    console.error(`[screenshot] PUT /api/products/1/price: HTTP ${r.status}`);
  }
  await new Promise(res => setTimeout(res, Math.max(0, 250 - (Date.now() - started))));
}
console.error(`[screenshot] ${n} reads sent`);
JS

page_url=$BASE_URL/cache
if [ -n "$PRODUCT" ]; then
  log "miss, L1 hit, price change, miss on product $PRODUCT"
  node --input-type=module - "$BASE_URL" "$PRODUCT" <<'JS'
const [base, id] = [process.argv[2], process.argv[3]];
const token = (await (await fetch(`${base}/api/dev/token`, { method: "POST", headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ userId: 1, role: "admin" }) })).json()).accessToken;
const get = async () => { const r = await fetch(`${base}/api/products/${id}`); await r.arrayBuffer(); return r.headers.get("x-cache"); };
const seen = [await get(), await get()];
const put = await fetch(`${base}/api/products/${id}/price`, { method: "PUT",
  headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` }, body: JSON.stringify({ price: 42.42 }) });
await put.arrayBuffer();
seen.push(`PUT ${put.status}`, await get());
console.error(`[screenshot] product ${id}: ${seen.join(" -> ")}`);
JS
  page_url="$BASE_URL/cache?key=product:$PRODUCT"
fi

profile=$(mktemp -d)
mkdir -p "$(dirname "$OUT")"
log "chromium ($page_url) → $OUT"
# virtual-time-budget: the page's timers (polling every 2 s) run before the picture is taken.
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1400,1400 --virtual-time-budget=7000 --screenshot="$ROOT/$OUT" "$page_url" >/dev/null 2>&1
[ -s "$OUT" ] || { log "no screenshot written"; exit 1; }
log "wrote $OUT ($(stat -c %s "$OUT") bytes)"
