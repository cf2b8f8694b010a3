// Benchmark — stats: what the statistics cost real Envoy (the pinned 1.40.0) on the generated cluster, and what
// one collection costs. For N Mappings of the `mix` workload (as bench/compile.ts compiles it, 100–190 route
// entries per Mapping since host-less Mappings are on every virtual host), the rendered config is run twice by a
// real Envoy (not --mode validate: stats exist only in a running server): as rendered, and with the statistics'
// parts taken out (route stat_prefix, the no-backend counters, the stats matcher, deferred cluster stats). Measured once Envoy is ready:
// its RSS and server.memory_allocated, and five reads of exactly what the operator reads (scrapeEnvoyStats on the
// admin, the same /stats as the pod's :8003): median wall time and bytes.
//
//   tsx bench/stats.ts [--quick] [--sizes 1000,10000]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSnapshot } from '../operator/compile/index.js';
import { allRoutes } from '../operator/compile/ir-queries.js';
import { renderEnvoyConfig } from '../operator/envoy/index.js';
import { canonicalJson } from '../operator/envoy/serialise.js';
import { materialiseConfig } from '../operator/envoy-check/materialise.js';
import { SCRAPE_FILTER } from '../operator/stats/envoy-stat-names.js';
import { scrapeEnvoyStats } from '../operator/stats/envoy-scrape.js';
import { generateSnapshot } from './generate-snapshot.js';
import { REPO_ROOT } from './support/child.js';
import { flagValue, isQuick, machine, printGoals, printTable, writeResult, type GoalCheck } from './support/results.js';

type Json = any;

function envoyPath(): string {
  if (process.env.PORTICO_ENVOY) return process.env.PORTICO_ENVOY;
  const built = join(REPO_ROOT, 'test', 'world', '.built.json');
  if (existsSync(built)) return (JSON.parse(readFileSync(built, 'utf8')) as { envoy: string }).envoy;
  throw new Error('no Envoy: run test/world/setup or set PORTICO_ENVOY');
}

/** Every listener and the admin on a free port (port 0), so the benchmark never collides with anything. */
function onFreePorts(b: Json): Json {
  b.admin.address.socket_address.port_value = 0;
  for (const l of b.static_resources.listeners) l.address.socket_address.port_value = 0;
  b.static_resources.listeners = b.static_resources.listeners.filter(
    (l: Json) => l.name !== 'stats' && l.name !== 'readiness',
  );
  return b;
}

/** The same config without what the statistics add. */
function withoutStats(b: Json): Json {
  delete b.stats_config;
  delete b.deferred_stat_options;
  const seen = new Set<object>();
  const visit = (x: Json) => {
    if (!x || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) return x.forEach(visit);
    if (x.match && (x.route || x.direct_response)) {
      delete x.stat_prefix;
      delete x.typed_per_filter_config;
    }
    if (Array.isArray(x.http_filters))
      x.http_filters = x.http_filters.filter((f: Json) => f.name !== 'envoy.filters.http.local_ratelimit');
    Object.values(x).forEach(visit);
  };
  visit(b);
  return b;
}

function routeEntries(b: Json): number {
  let n = 0;
  for (const l of b.static_resources.listeners)
    for (const fc of l.filter_chains)
      for (const f of fc.filters)
        for (const vh of f.typed_config?.route_config?.virtual_hosts ?? []) n += vh.routes.length;
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Run {
  loadSeconds: number;
  rssMiB: number;
  allocatedMiB: number;
  scrapeMsMedian: number;
  scrapeBytes: number;
  statsRead: number;
}

async function runEnvoy(envoy: string, bootstrap: Json, certFiles: Record<string, string>): Promise<Run> {
  const m = materialiseConfig(canonicalJson(bootstrap), certFiles);
  const adminFile = join(m.dir, 'admin-address');
  const t0 = performance.now();
  const child = spawn(
    envoy,
    [
      '-c',
      m.configPath,
      '--disable-hot-restart',
      '--concurrency',
      '1',
      '-l',
      'error',
      '--admin-address-path',
      adminFile,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    let admin = '';
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Envoy exited: ${stderr.slice(-500)}`);
      if (!admin && existsSync(adminFile)) admin = `http://${readFileSync(adminFile, 'utf8').trim()}`;
      if (admin) {
        const ready = await fetch(`${admin}/ready`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ready) break;
      }
      if (performance.now() - t0 > 600_000) throw new Error('Envoy not ready after 10 min');
      await sleep(200);
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    await sleep(1000);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
    const allocated = Number(
      /server\.memory_allocated: (\d+)/.exec(
        await (await fetch(`${admin}/stats?filter=^server%5C.memory_allocated$`)).text(),
      )?.[1],
    );
    const times: number[] = [];
    let bytes = 0;
    let statsRead = 0;
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const scrape = await scrapeEnvoyStats(admin, 120_000);
      times.push(performance.now() - s);
      statsRead = scrape.counters.size + scrape.gauges.size;
    }
    bytes = (
      await (
        await fetch(`${admin}/stats?format=json&usedonly&filter=${encodeURIComponent(SCRAPE_FILTER)}`)
      ).arrayBuffer()
    ).byteLength;
    return {
      loadSeconds,
      rssMiB: Math.round(rssKb / 1024),
      allocatedMiB: Math.round(allocated / 2 ** 20),
      scrapeMsMedian: Math.round(median(times)),
      scrapeBytes: bytes,
      statsRead,
    };
  } finally {
    child.kill('SIGKILL');
    m.remove();
  }
}

async function main(): Promise<void> {
  const quick = isQuick();
  const sizes = (flagValue('--sizes') ?? (quick ? '1000' : '1000,10000')).split(',').map(Number);
  const envoy = envoyPath();
  const startedAt = new Date().toISOString();
  const rows: Json[] = [];
  for (const n of sizes) {
    const { ir } = compileSnapshot(generateSnapshot(n));
    const rendered = renderEnvoyConfig(ir);
    const base = JSON.parse(rendered.json);
    const entries = routeEntries(base);
    const withStats = await runEnvoy(envoy, onFreePorts(JSON.parse(rendered.json)), rendered.certFiles);
    const without = await runEnvoy(envoy, withoutStats(onFreePorts(JSON.parse(rendered.json))), rendered.certFiles);
    rows.push({
      n,
      routeEntries: entries,
      mappings: new Set(allRoutes(ir).flatMap((r) => r.members.map((m) => m.name))).size,
      withStats,
      without,
    });
  }
  printTable(
    'stats: what the statistics cost real Envoy 1.40.0, and one collection (mix workload)',
    [
      'Mappings',
      'route entries',
      'RSS with / without (MiB)',
      'allocated with / without (MiB)',
      'per route entry (B)',
      'scrape median (ms)',
      'scrape (KiB)',
      'stats read',
    ],
    rows.map((r) => [
      r.n,
      r.routeEntries,
      `${r.withStats.rssMiB} / ${r.without.rssMiB}`,
      `${r.withStats.allocatedMiB} / ${r.without.allocatedMiB}`,
      Math.round(((r.withStats.allocatedMiB - r.without.allocatedMiB) * 2 ** 20) / r.routeEntries),
      r.withStats.scrapeMsMedian,
      Math.round(r.withStats.scrapeBytes / 1024),
      r.withStats.statsRead,
    ]),
  );
  const at = (n: number) => rows.find((r) => r.n === n);
  const big = at(10000) ?? rows[rows.length - 1];
  const goals: GoalCheck[] = [
    {
      measure: `Envoy memory the statistics add at ${big.n} Mappings (mix)`,
      goal: '≤ 25 % of the config’s own',
      value: Math.round(((big.withStats.allocatedMiB - big.without.allocatedMiB) / big.without.allocatedMiB) * 100),
      unit: '%',
      met: big.withStats.allocatedMiB - big.without.allocatedMiB <= 0.25 * big.without.allocatedMiB,
    },
    {
      measure: `one scrape of one Envoy at ${big.n} Mappings (mix), median`,
      goal: '≤ 1000 ms (a collection every 10 s)',
      value: big.withStats.scrapeMsMedian,
      unit: 'ms',
      met: big.withStats.scrapeMsMedian <= 1000,
    },
  ];
  printGoals(goals);
  const file = writeResult({
    benchmark: 'stats',
    quick,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    goals,
    data: rows,
  });
  process.stdout.write(`wrote ${file}\n`);
}

await main();
