// Helpers of scripts/peers.sh (Node 18+, no packages):
//   node peers.mjs check --ids 1,2,42 NAME=URL...     every endpoint answers 200; product JSON equal to Shop's
//   node peers.mjs parse FILE.wrk [ALLOC0 ALLOC1]     one tab-separated result line from wrk --latency output
//   node peers.mjs report --results TSV --out MD [--chart SVG] [--smoke] ...   the report (and its chart)
//   node peers.mjs connection-string APPSETTINGS NAME LOCAL   Shop's own connection string NAME with LOCAL's server and
//                                                     database: every other setting Shop's appsettings.json makes is kept
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const [command, ...rest] = process.argv.slice(2);

function options(args) {
  const named = {};
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) {
      const key = args[i].slice(2);
      if (i + 1 < args.length && !args[i + 1].startsWith('--')) named[key] = args[++i];
      else named[key] = true;
    } else positional.push(args[i]);
  }
  return { named, positional };
}

// A first request may wait for JIT, EF Core's model and query compilation on a busy machine: a generous timeout;
// a failure is an answer (status 0) for the caller to report, not a crash.
async function get(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
  } catch (error) {
    return { status: 0, type: '', body: `${error.name}: ${error.message}` };
  }
}

// --- check ---------------------------------------------------------------------------------------------------
// The reference is Shop with its cache off (the page straight from PostgreSQL through EF Core); every other
// product endpoint, on its first call (a miss: filled from the database) and its second (a hit from its cache),
// must return the same bytes.
async function check(args) {
  const { named, positional } = options(args);
  const ids = String(named.ids).split(',').map(Number);
  const targets = positional.map((p) => { const i = p.indexOf('='); return { name: p.slice(0, i), url: p.slice(i + 1) }; });
  const products = targets.filter((t) => t.url.includes('%d'));
  const reference = products.find((t) => t.name === 'shop-db') ?? products[0];
  let failures = 0;
  const fail = (message) => { failures++; console.log(`    FAIL ${message}`); };

  for (const t of targets.filter((x) => !x.url.includes('%d'))) {
    const r = await get(t.url);
    if (r.status !== 200) fail(`${t.name}: ${t.url} answered ${r.status} ${r.body.slice(0, 200)}`);
    else console.log(`    ok   ${t.name}: 200 ${JSON.stringify(r.body.slice(0, 40))}`);
  }
  for (const id of ids) {
    const expected = await get(reference.url.replace('%d', id));
    if (expected.status !== 200) { fail(`${reference.name} product ${id}: ${expected.status} ${expected.body.slice(0, 200)}`); continue; }
    let shape;
    try { shape = Object.keys(JSON.parse(expected.body)).join(','); } catch { fail(`${reference.name} product ${id}: not JSON`); continue; }
    for (const t of products) {
      for (const call of ['miss', 'hit']) {
        const r = await get(t.url.replace('%d', id));
        if (r.status !== 200) fail(`${t.name} product ${id} (${call}): ${r.status} ${r.body.slice(0, 200)}`);
        else if (!r.type.startsWith('application/json')) fail(`${t.name} product ${id} (${call}): content-type ${r.type}`);
        else if (r.body !== expected.body) fail(`${t.name} product ${id} (${call}):\n         got      ${r.body}\n         expected ${expected.body}`);
      }
    }
    console.log(`    ${failures ? '....' : 'ok  '} product ${id}: ${products.length} endpoints x (miss, hit) equal to ${reference.name} {${shape}}`);
  }
  console.log(`peers check: ${failures === 0 ? 'ok' : `${failures} failure(s)`}`);
  process.exit(failures === 0 ? 0 : 1);
}

// --- parse ---------------------------------------------------------------------------------------------------
function ms(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  if (!m) return NaN;
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]];
  return Number(m[1]) * factor;
}

// A counters file: a bare number (the peers' /gc/allocated) or Prometheus text (Shop's /metrics).
function counters(path) {
  const text = path ? readFileSync(path, 'utf8').trim() : '';
  if (/^\d+$/.test(text)) return { allocated: Number(text), lookups: {} };
  let allocated = NaN;
  const lookups = {};
  for (const l of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)/.exec(l);
    if (!m) continue;
    if (/^dotnet_gc_heap_total_allocated(_bytes)?_total$/.test(m[1])) allocated = Number(m[3]);
    else if (m[1] === 'shop_cache_lookups_total' && /entry_type="product"/.test(m[2] ?? '')) {
      const level = /level="([^"]+)"/.exec(m[2])?.[1] ?? '?';
      const result = /result="([^"]+)"/.exec(m[2])?.[1] ?? '?';
      const key = result === 'hit' ? level : `${level} ${result}`;
      lookups[key] = (lookups[key] ?? 0) + Number(m[3]);
    }
  }
  return { allocated, lookups };
}

// Which level answered Shop's product lookups during the run (from shop_cache_lookups_total), e.g. "l1 99.8%, l2 0.2%".
function answeredBy(before, after) {
  const delta = Object.entries(after.lookups).map(([k, v]) => [k, v - (before.lookups[k] ?? 0)]).filter(([, v]) => v > 0);
  const total = delta.reduce((s, [, v]) => s + v, 0);
  return total === 0 ? '' : delta.sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(100 * v / total).toFixed(1)}%`).join(', ');
}

function parse([file, beforeFile, afterFile]) {
  const text = readFileSync(file, 'utf8');
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0);
  const p50 = ms(/^\s+50%\s+(\S+)/m.exec(text)?.[1] ?? '');
  const p99 = ms(/^\s+99%\s+(\S+)/m.exec(text)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = socket ? socket.slice(1).reduce((s, x) => s + Number(x), 0) : 0;
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? 0);
  const before = counters(beforeFile), after = counters(afterFile);
  const bytes = after.allocated - before.allocated;
  const alloc = Number.isFinite(bytes) && requests > 0 ? Math.round(bytes / requests) : '';
  console.log([rps.toFixed(0), p50.toFixed(3), p99.toFixed(3), non2xx, errors, requests, alloc, answeredBy(before, after)].join('\t'));
}

// --- report --------------------------------------------------------------------------------------------------
const LABELS = {
  'shop-live': 'Shop `/health/live`',
  bare: 'peer `/bare` (fixed string)',
  'shop-l1': 'Shop product page, L1 hit',
  fusion: 'FusionCache 2.9 `GetOrSetAsync` (L1 + Redis + backplane)',
  hybrid: 'HybridCache 10.11 `GetOrCreateAsync` (L1 + Redis)',
  memory: 'raw `IMemoryCache`',
  'shop-redis': 'Shop product page, Redis hit (L1 off)',
  redis: 'raw StackExchange.Redis GET + System.Text.Json decode',
  'shop-db': 'Shop product page, cache off (PostgreSQL)',
  npgsql: 'one prepared raw Npgsql query',
};

// Shop's path, its peer, the issue's target ratio, the figures issue #16 was filed with (32 connections), and the ratio
// of the same command on the code before the lean-path work (commit b865a83: `scripts/peers.sh --rounds 1 --warmup 20
// --duration 5`, 32 connections, the same busy machine).
const PAIRS = [
  { path: 'framework only', shop: 'shop-live', peer: 'bare', target: 0.85, before: ['51k', '72k', '0.72'], lean: '0.58' },
  { path: 'product page, L1 hit (vs FusionCache)', shop: 'shop-l1', peer: 'fusion', target: 1.0, before: ['35k', '55k', '0.65'], lean: '1.04' },
  { path: 'product page, L1 hit (vs HybridCache)', shop: 'shop-l1', peer: 'hybrid', target: 1.0, before: ['35k', '50k', '0.70'], lean: '0.66' },
  { path: 'product page, L1 hit (vs raw IMemoryCache)', shop: 'shop-l1', peer: 'memory', target: null, before: ['35k', '55k', '0.64'], lean: '0.66' },
  { path: 'product page, Redis hit (L1 off)', shop: 'shop-redis', peer: 'redis', target: 0.85, before: ['23k', '35k', '0.56'], lean: '0.55' },
  { path: 'product page from PostgreSQL (cache off)', shop: 'shop-db', peer: 'npgsql', target: 0.7, before: ['2.6k', '9.3k', '0.28'], lean: '0.37' },
];
// Allocated bytes per L1-hit request before the lean-path work (the report of commit 77fef12; b865a83 could not read
// Shop's counter, /metrics being admin-only on the API port in Production).
const L1_ALLOC_BEFORE = '6,960';
const SHORT = {
  'shop-live': 'Shop /health/live', bare: 'peer /bare', 'shop-l1': 'Shop, L1 hit', fusion: 'FusionCache (L1 + Redis + backplane)',
  hybrid: 'HybridCache (L1 + Redis)', memory: 'raw IMemoryCache', 'shop-redis': 'Shop, Redis hit (L1 off)',
  redis: 'raw Redis GET + decode', 'shop-db': 'Shop, cache off (PostgreSQL)', npgsql: 'raw prepared Npgsql query',
};
const ORDER = ['shop-live', 'bare', 'shop-l1', 'fusion', 'hybrid', 'memory', 'shop-redis', 'redis', 'shop-db', 'npgsql'];

function readResults(path) {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const keys = header.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [keys[i], v])));
}

const k = (n) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : n >= 1000 ? `${(n / 1000).toFixed(2)}k` : `${Math.round(n)}`);
const f2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const bytes = (v) => (v === '' || v === undefined ? 'n/a' : Number(v).toLocaleString('en-US'));

function report(args) {
  const { named } = options(args);
  const rows = readResults(named.results);
  // best[c][target] = the round with the most requests per second; all[c][target] = every round's req/s.
  const best = {}, all = {};
  for (const r of rows) {
    const c = r.connections;
    best[c] ??= {}; all[c] ??= {};
    (all[c][r.target] ??= []).push(Number(r.requests_per_s));
    if (!best[c][r.target] || Number(r.requests_per_s) > Number(best[c][r.target].requests_per_s)) best[c][r.target] = r;
  }
  // Bytes per request: the median over every run of the endpoint (both connection counts). Shop's counter is the
  // runtime's cheap GC.GetTotalAllocatedBytes(), which now and then does not move during a whole run: such a 0 is left out.
  const allocRuns = {};
  for (const r of rows) if (Number(r.allocated_bytes_per_request) > 0) (allocRuns[r.target] ??= []).push(Number(r.allocated_bytes_per_request));
  const alloc = (t) => {
    const v = (allocRuns[t] ?? []).sort((a, b) => a - b);
    return v.length === 0 ? '' : v.length % 2 ? v[(v.length - 1) / 2] : Math.round((v[v.length / 2 - 1] + v[v.length / 2]) / 2);
  };
  const conns = Object.keys(best).map(Number).sort((a, b) => b - a);
  const main = String(conns[0]);
  const rps = (c, t) => Number(best[c]?.[t]?.requests_per_s ?? NaN);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const L = [];
  const line = (s = '') => L.push(s);

  line(named.smoke ? '# Peers smoke (not a measurement)' : '# Shop beside minimal peers at the HTTP level (issue #16)');
  line();
  line(`Generated by \`${named.command.trim()}\` on ${date}, commit ${named.commit}. Do not edit: run the command again.`);
  line();
  line(`Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB; load average at the end of the run ${named.load}. ` +
    `Servers pinned to CPUs ${named['server-cpus']}, wrk to ${named['wrk-cpus']}.` +
    (process.env.SHOP_PEERS_NOTE ? ` **${process.env.SHOP_PEERS_NOTE}**` : ''));
  line();
  line(`Method: PostgreSQL with the ${named.seed} seed and one Redis, shared by every process; Shop (Production, Information logging, ` +
    `three instances: default, \`Cache__L1Enabled=false\`, \`Cache__Enabled=false\`) and \`benchmarks/Peers\` (Production, Information logging). ` +
    `${named.warmup} s of warm-up per app, then ${named.rounds} interleaved round(s) of ${named.duration} s per endpoint and connection count ` +
    `(\`wrk -t2 -cN -d${named.duration}s --latency\`, random ids among ${named.hot} hot products); each figure is the best round. ` +
    (Number(named.prime) > 0 ? `Before each run of a cached endpoint, a ${named.prime} s walk over all hot ids refills its caches (an L1 entry lives 30 s), so the run measures hits. ` : '') +
    `Allocated bytes per request: the process's total allocated bytes (Shop: \`dotnet_gc_heap_total_allocated_bytes_total\` at \`/metrics\`, ` +
    `the runtime's cheap \`GC.GetTotalAllocatedBytes()\`; peers: \`GC.GetTotalAllocatedBytes(precise: true)\`) before and after each run, ` +
    `divided by its requests, background work included; the median over the endpoint's runs, leaving out runs where Shop's counter did not move. ` +
    `"Answered by": the share of Shop's product lookups per cache level during the run (\`shop_cache_lookups_total\`).`);
  line();
  line('Fairness: every server process runs the same runtime with the same settings on the same CPUs; all four run for the whole ' +
    'measurement, but only one is under load at a time (the others idle, their timers aside). wrk shares the machine with them.');
  line();

  line(`## Ratios at ${main} connections (best of ${named.rounds})`);
  line();
  line('| path | Shop req/s | peer | peer req/s | ratio | target | met | ratio before the lean-path work | when #16 was filed (Shop / peer / ratio) |');
  line('|---|---|---|---|---|---|---|---|---|');
  for (const p of PAIRS) {
    const ratio = rps(main, p.shop) / rps(main, p.peer);
    const met = p.target == null ? '–' : ratio >= p.target ? 'yes' : '**no**';
    line(`| ${p.path} | ${k(rps(main, p.shop))} | ${LABELS[p.peer]} | ${k(rps(main, p.peer))} | ${f2(ratio)} | ${p.target == null ? '–' : `≥ ${p.target.toFixed(2)}`} | ${met} | ${p.lean} | ${p.before.join(' / ')} |`);
  }
  const l1Alloc = alloc('shop-l1');
  line();
  line(`Allocations per L1-hit request through Shop's whole pipeline: ${bytes(l1Alloc)} B (target ≤ 2,048 B: ${l1Alloc === '' || l1Alloc === undefined ? 'not measured' : Number(l1Alloc) <= 2048 ? 'met' : '**not met**'}; ${L1_ALLOC_BEFORE} B before the lean-path work).`);
  line();

  line('## Every endpoint');
  line();
  const head = ['endpoint'];
  for (const c of conns) head.push(`req/s c=${c}`, `p50 ms c=${c}`, `p99 ms c=${c}`);
  head.push('alloc B/req (median of runs)', `Shop's product lookups answered by (c=${main})`, `req/s of each round c=${main}`);
  line(`| ${head.join(' | ')} |`);
  line(`|${head.map(() => '---').join('|')}|`);
  for (const t of ORDER) {
    if (!best[main]?.[t]) continue;
    const cells = [LABELS[t]];
    for (const c of conns) {
      const b = best[c][t];
      cells.push(k(Number(b.requests_per_s)), f2(Number(b.p50_ms)), f2(Number(b.p99_ms)));
    }
    cells.push(bytes(alloc(t)), best[main][t].answered_by || '–', all[main][t].map((x) => k(x)).join(', '));
    line(`| ${cells.join(' | ')} |`);
  }
  line();
  if (named.chart) {
    line(`![req/s at ${main} connections and p99 at ${conns.at(-1)} connections](${named.chart.split('/').pop()})`);
    line();
    writeFileSync(named.chart, chart(best, main, String(conns.at(-1))));
  }
  line('Raw wrk output of every run: `artifacts/peers/` (not committed).');
  // The analysis (what changed, where the time goes where a target is missed) is written by hand from a profile
  // (benchmarks/Peers/scripts/profile.sh) and kept beside this script; a smoke report leaves it out.
  const analysis = new URL('../analysis.md', import.meta.url);
  if (!named.smoke && existsSync(analysis)) {
    line();
    line(readFileSync(analysis, 'utf8').trim());
  }
  writeFileSync(named.out, L.join('\n') + '\n');
}

function chart(best, main, low) {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/`/g, '');
  const names = ORDER.filter((t) => best[main]?.[t]);
  const rowH = 26, top = 50, labelW = 250, panelW = 300, gap = 40;
  const height = top + names.length * rowH + 30;
  const width = labelW + 2 * panelW + gap + 140;
  const panels = [
    { title: `req/s at ${main} connections (higher is better)`, value: (t) => Number(best[main][t].requests_per_s), fmt: k, x: labelW },
    { title: `p99 ms at ${low} connections (lower is better)`, value: (t) => Number(best[low]?.[t]?.p99_ms ?? NaN), fmt: f2, x: labelW + panelW + gap + 45 },
  ];
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">Shop (blue) beside minimal peers (orange), same PostgreSQL and Redis</text>`];
  names.forEach((t, i) => {
    const y = top + i * rowH;
    if (i > 0 && ['shop-l1', 'shop-redis', 'shop-db'].includes(t)) out.push(`<line x1="10" x2="${width - 10}" y1="${y - 3}" y2="${y - 3}" stroke="#ccc"/>`);
    out.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(SHORT[t])}</text>`);
  });
  for (const p of panels) {
    const max = Math.max(...names.map(p.value).filter(Number.isFinite), 1e-9);
    out.push(`<text x="${p.x}" y="${top - 12}" font-weight="bold">${esc(p.title)}</text>`);
    names.forEach((t, i) => {
      const v = p.value(t);
      const w = Number.isFinite(v) ? Math.max(1, (v / max) * panelW) : 0;
      const y = top + i * rowH;
      out.push(`<rect x="${p.x}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${t.startsWith('shop') ? '#4682b4' : '#e8893a'}"/>`);
      out.push(`<text x="${(p.x + w + 4).toFixed(1)}" y="${y + 15}">${p.fmt(v)}</text>`);
    });
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

// --- connection-string ---------------------------------------------------------------------------------------
// Npgsql ("Key=Value;...") or StackExchange.Redis ("host:port,key=value,..."): LOCAL's entries replace those of the
// appsettings value with the same key (Redis: its endpoints replace all of them); the rest is kept, in order.
function connectionString([appsettings, name, local]) {
  // APPSETTINGS: a comma-separated list (appsettings.json, appsettings.Production.json); the last that sets NAME wins.
  let configured = '';
  for (const file of appsettings.split(',')) {
    if (!existsSync(file)) continue;
    configured = JSON.parse(readFileSync(file, 'utf8'))?.ConnectionStrings?.[name] ?? configured;
  }
  const separator = name === 'Redis' ? ',' : ';';
  const split = (cs) => cs.split(separator).map((x) => x.trim()).filter(Boolean);
  const key = (entry) => (entry.includes('=') ? entry.slice(0, entry.indexOf('=')).trim().toLowerCase() : null);
  const override = split(local);
  const overridden = new Set(override.map(key));
  const kept = split(configured).filter((e) => (key(e) === null ? !override.some((o) => key(o) === null) : !overridden.has(key(e))));
  const endpoints = [...override.filter((e) => key(e) === null), ...kept.filter((e) => key(e) === null)];
  const settings = [...kept.filter((e) => key(e) !== null), ...override.filter((e) => key(e) !== null)];
  console.log([...endpoints, ...settings].join(separator));
}

switch (command) {
  case 'connection-string': connectionString(rest); break;
  case 'check': await check(rest); break;
  case 'parse': parse(rest); break;
  case 'report': report(rest); break;
  default: console.error('usage: node peers.mjs check|parse|report|connection-string ...'); process.exit(2);
}
