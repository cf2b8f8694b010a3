// Benchmark — envoy-validate: what real `envoy --mode validate` (the pinned 1.40.0) costs on the generated
// cluster, and that Envoy accepts it: N ∈ {1k, 10k, 50k} Mappings of the mix as bench/compile.ts compiles it
// (host ownership by namespace), and the same cluster with --host-ownership=open at 1k and 10k (every Mapping
// served, the larger config). Each run lays the config and its certificates out in a temp folder and runs one
// Envoy process, as the operator-side check and `portico validate --envoy` do; the time is the Envoy process
// (wall clock) plus, separately, writing the files. Peak RSS of Envoy comes from /usr/bin/time when present.
// Also timed: the operator's default check (EnvoyConfigCheck, listeners mode: the listeners and certificates
// only), from the rendered config to the verdict.
//
//   tsx bench/envoy-validate.ts [--quick] [--sizes 1000,10000] [--variants mix,open] [--runs 5]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSnapshot } from '../operator/compile/index.js';
import { renderEnvoyConfig } from '../operator/envoy/index.js';
import { findEnvoy } from '../operator/envoy-check/index.js';
import { EnvoyConfigCheck } from '../operator/envoy-check/operator-check.js';
import { materialiseConfig } from '../operator/envoy-check/materialise.js';
import { parseVerdict, validateArgs } from '../operator/envoy-check/run-validate.js';
import { generateSnapshot } from './generate-snapshot.js';
import { REPO_ROOT } from './support/child.js';
import { flagValue, isQuick, machine, printGoals, printTable, writeResult, type GoalCheck } from './support/results.js';
import { round, summarise } from './support/stats.js';

const RUNS: Record<number, number> = { 1000: 7, 10000: 5, 50000: 3 };
const OPEN_SIZES = new Set([1000, 10000]); // 50k open is ~165 MB of JSON: out of a default run

function envoyPath(): string {
  const found = findEnvoy(process.env.PORTICO_ENVOY, 'PORTICO_ENVOY');
  if (!('missing' in found)) return found.path;
  const built = join(REPO_ROOT, 'test', 'world', '.built.json');
  if (existsSync(built)) return (JSON.parse(readFileSync(built, 'utf8')) as { envoy: string }).envoy;
  throw new Error(`no Envoy: ${found.missing}; run test/world/setup or set PORTICO_ENVOY`);
}

interface Row {
  n: number;
  variant: string;
  served: number;
  configMiB: number;
  runs: number;
  verdict: string;
  envoyMs: { median: number; min: number; max: number };
  writeMsMedian: number;
  peakRssMiB: number | null;
  /** The operator's listeners-mode check, end to end (skeleton, files, Envoy). */
  listenersCheckMsMedian: number;
  loadAverage: number;
}

async function measure(envoy: string, n: number, variant: string, runs: number): Promise<Row> {
  const { ir, statuses } = compileSnapshot(
    generateSnapshot(n),
    variant === 'open' ? { hostOwnership: 'open' } : undefined,
  );
  const config = renderEnvoyConfig(ir);
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const envoyMs: number[] = [];
  const writeMs: number[] = [];
  let rss: number | null = null;
  let verdict = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const files = materialiseConfig(config.json, config.certFiles);
    writeMs.push(performance.now() - t0);
    try {
      const args = validateArgs(files.configPath);
      const t1 = performance.now();
      const r = timeBin
        ? spawnSync(timeBin, ['-f', 'peak-rss-kib=%M', envoy, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
        : spawnSync(envoy, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
      envoyMs.push(performance.now() - t1);
      const kib = /peak-rss-kib=(\d+)/.exec(r.stderr ?? '')?.[1];
      if (kib) rss = Math.max(rss ?? 0, Math.round(Number(kib) / 1024));
      const v = parseVerdict(
        r.status,
        r.signal,
        r.stdout ?? '',
        (r.stderr ?? '').replace(/peak-rss-kib=\d+\n?/, ''),
        0,
      );
      verdict = v.kind === 'accepted' ? 'accepted' : `${v.kind}: ${files.podPaths(v.message).slice(0, 200)}`;
    } finally {
      files.remove();
    }
  }
  const listenersMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const check = new EnvoyConfigCheck({ envoyPath: envoy, mode: 'listeners' });
    const t = performance.now();
    const v = await check.check(config, ir);
    listenersMs.push(performance.now() - t);
    if (v.kind !== 'accepted') verdict += ` (listeners check: ${v.kind})`;
  }
  const s = summarise(envoyMs);
  return {
    n,
    variant,
    served: statuses.filter((x) => x.inConfig).length,
    configMiB: round(config.json.length / 2 ** 20, 1),
    runs,
    verdict,
    envoyMs: { median: round(s.median), min: round(s.min), max: round(s.max) },
    writeMsMedian: round(summarise(writeMs).median),
    peakRssMiB: rss,
    listenersCheckMsMedian: round(summarise(listenersMs).median),
    loadAverage: round(machine().loadAverage?.[0] ?? NaN, 2),
  };
}

async function main(): Promise<void> {
  const quick = isQuick();
  const startedAt = new Date().toISOString();
  const envoy = envoyPath();
  const sizes = (flagValue('sizes') ?? (quick ? '1000' : '1000,10000,50000')).split(',').map(Number);
  const variants = (flagValue('variants') ?? 'mix,open').split(',');
  const runsFlag = flagValue('runs');
  // The floor: Envoy's own start-up on the smallest config (nothing but the admin and one listener).
  const baseline = await measure(envoy, 0, 'tls only', quick ? 3 : 9);
  const rows: Row[] = [];
  for (const n of sizes)
    for (const variant of variants) {
      if (variant === 'open' && !OPEN_SIZES.has(n) && !flagValue('sizes')) continue;
      const runs = runsFlag ? Number(runsFlag) : quick ? 3 : (RUNS[n] ?? 3);
      process.stdout.write(`envoy --mode validate: ${n} Mappings (${variant}), ${runs} runs…\n`);
      rows.push(await measure(envoy, n, variant, runs));
    }
  printTable(
    'envoy --mode validate (Envoy 1.40.0, one process per run; wall clock)',
    [
      'N',
      'variant',
      'served',
      'config MiB',
      'runs',
      'median ms',
      'min',
      'max',
      'write ms',
      'peak RSS MiB',
      'listeners check ms',
      'load',
      'verdict',
    ],
    [baseline, ...rows].map((r) => [
      r.n,
      r.variant,
      r.served,
      r.configMiB,
      r.runs,
      r.envoyMs.median,
      r.envoyMs.min,
      r.envoyMs.max,
      r.writeMsMedian,
      r.peakRssMiB,
      r.listenersCheckMsMedian,
      r.loadAverage,
      r.verdict,
    ]),
  );
  const at = (n: number, v: string) => rows.find((r) => r.n === n && r.variant === v);
  const goals: GoalCheck[] = rows.map((r) => ({
    measure: `Envoy accepts ${r.n} Mappings (${r.variant})`,
    goal: 'accepted',
    value: r.verdict,
    unit: '',
    met: r.verdict === 'accepted',
  }));
  for (const r of rows)
    goals.push({
      measure: `operator check (listeners mode), ${r.n} Mappings (${r.variant}), median`,
      goal: '≤ 300 ms (run only when listeners or certificates change)',
      value: r.listenersCheckMsMedian,
      unit: 'ms',
      met: r.listenersCheckMsMedian <= 300,
    });
  for (const v of variants) {
    const one = at(1000, v);
    if (one)
      goals.push({
        measure: `full-config check, 1k Mappings (${v}), median`,
        goal: '≤ 300 ms to fit the live p99 propagation budget on every change',
        value: one.envoyMs.median,
        unit: 'ms',
        met: one.envoyMs.median <= 300,
        note: 'why the operator checks only when certificates or listeners change (README "Performance")',
      });
  }
  printGoals(goals);
  const file = writeResult({
    benchmark: 'envoy-validate',
    quick,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    goals,
    data: { envoy, baseline, rows },
  });
  process.stdout.write(`wrote ${file}\n`);
}

await main();
