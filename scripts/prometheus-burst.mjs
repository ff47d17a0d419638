// Traffic of a known shape for scripts/prometheus-check.sh, with the X-Cache header of every answer counted.
//   node scripts/prometheus-burst.mjs BASE_URL warmup   product 1899 read twice (a miss, then an L1 hit), so the
//                                                       series the burst moves exist before Prometheus's first scrape
//   node scripts/prometheus-burst.mjs BASE_URL burst    10 products never read before (1901-1910), 10 reads each:
//                                                       1 miss + 9 L1 hits apiece unless something is wrong
// Prints "requests=N l1=N l2=N miss=N other=N" (X-Cache: L1 | L2 | MISS).
const [base, mode] = process.argv.slice(2);
const ids = mode === "warmup" ? [1899] : Array.from({ length: 10 }, (_, i) => 1901 + i);
const reads = mode === "warmup" ? 2 : 10;
const counts = { requests: 0, l1: 0, l2: 0, miss: 0, other: 0 };
for (const id of ids) {
  for (let i = 0; i < reads; i++) {
    const response = await fetch(`${base}/api/products/${id}`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET /api/products/${id}: HTTP ${response.status}`);
    counts.requests++;
    const header = (response.headers.get("x-cache") || "").toLowerCase();
    if (header in counts && header !== "requests") counts[header]++;
    else counts.other++;
  }
}
console.log(Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(" "));
