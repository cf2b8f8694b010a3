// Benchmark 1 — compile: compileSnapshot + renderEnvoyConfig for N ∈ {100, 1k, 10k, 50k} Mappings of the
// generated mix (generate-snapshot.ts), each size in a fresh process (compile-worker.ts) for a clean peak RSS.
// validateEnvoyBootstrap is timed separately. Variant "hosted" is the same cluster with every Mapping bound to
// a host, which separates per-Mapping cost from the fan-out of host-less Mappings over every virtual host.
//
//   tsx bench/compile.ts [--quick] [--sizes 100,1000] [--variants mix,hosted] [--cpu-prof]
import { join } from 'node:path';
import type { CompileWorkerReport } from './compile-worker.js';
import { REPO_ROOT, runTsChild } from './support/child.js';
import {
  BENCH_DIR,
  flagValue,
  isQuick,
  machine,
  printGoals,
  printTable,
  writeResult,
  type GoalCheck,
} from './support/results.js';
import { round, summarise } from './support/stats.js';

const RUNS: Record<number, number> = { 100: 15, 1000: 7, 10000: 5, 50000: 3 };

export interface CompileRow {
  n: number;
  variant: string;
  runs: number;
  totalMs: { median: number; p95: number; cold: number; min: number };
  compileMsMedian: number;
  renderMsMedian: number | null;
  validateMsMedian: number | null;
  maxRssMiB: number;
  rssAfterGenerateMiB: number;
  configBytes: number | null;
  bytesPerMapping: number | null;
  bytesPerRouteEntry: number | null;
  routeEntries: number | null;
  routeEntriesPerMapping: number | null;
  virtualHosts: number | null;
  routeConfigs: number | null;
  validationIssues: number | null;
  error: string | null;
  worker: CompileWorkerReport | { error: string };
}

function rowFrom(n: number, variant: string, r: CompileWorkerReport): CompileRow {
  const done = r.runs.filter((x) => x.totalMs !== undefined);
  // Run 0 pays for JIT warm-up and lazy schema/proto loading: report it as "cold", take the rest as warm.
  const warm = done.length > 1 ? done.slice(1) : done;
  const totals = summarise(warm.map((x) => x.totalMs!));
  const validates = done.filter((x) => x.validateMs !== undefined).map((x) => x.validateMs!);
  const bytes = r.configBytes ?? null;
  const entries = r.shape?.routeEntries ?? null;
  return {
    n,
    variant,
    runs: done.length,
    totalMs: {
      median: round(totals.median),
      p95: round(totals.p95),
      cold: round(done[0]?.totalMs ?? NaN),
      min: round(totals.min),
    },
    compileMsMedian: round(summarise(warm.map((x) => x.compileMs)).median),
    renderMsMedian: done.length ? round(summarise(warm.map((x) => x.renderMs!)).median) : null,
    // The first validation also loads Envoy's protos; the median of later ones is the steady cost.
    validateMsMedian: validates.length
      ? round(summarise(validates.length > 1 ? validates.slice(1) : validates).median)
      : null,
    maxRssMiB: r.maxRssMiB,
    rssAfterGenerateMiB: r.rssAfterGenerateMiB,
    configBytes: bytes,
    bytesPerMapping: bytes !== null ? Math.round(bytes / n) : null,
    bytesPerRouteEntry: bytes !== null && entries ? Math.round(bytes / entries) : null,
    routeEntries: entries,
    routeEntriesPerMapping: entries !== null ? round(entries / n, 1) : null,
    virtualHosts: r.shape?.virtualHosts ?? null,
    routeConfigs: r.shape?.routeConfigs ?? null,
    validationIssues: r.validationIssues ?? null,
    error: r.error ? `${r.error.stage} failed after ${Math.round(r.error.afterMs)} ms: ${r.error.message}` : null,
    worker: r,
  };
}

async function measure(n: number, variant: string, runs: number, cpuProf: boolean): Promise<CompileRow> {
  const nodeFlags = ['--max-old-space-size=16384'];
  if (cpuProf) nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${join(BENCH_DIR, 'profiles', `compile-${n}-${variant}`)}`);
  const out = await runTsChild<CompileWorkerReport>(
    join(BENCH_DIR, 'compile-worker.ts'),
    ['--n', String(n), '--variant', variant, '--runs', String(runs), '--validate-runs', String(Math.min(runs, 3))],
    { nodeFlags, timeoutMs: 300_000 },
  );
  if (!out.message) {
    const why = `worker exited with ${out.signal ?? out.code} after ${Math.round(out.wallMs)} ms: ${out.stderrTail.split('\n').filter(Boolean).slice(-3).join(' | ')}`;
    return {
      ...rowFrom(n, variant, {
        n,
        variant,
        hostlessFraction: NaN,
        generateMs: NaN,
        rssAfterGenerateMiB: NaN,
        runs: [],
        maxRssMiB: NaN,
      }),
      error: why,
      worker: { error: why },
    };
  }
  return rowFrom(n, variant, out.message);
}

export function compileGoals(rows: CompileRow[]): GoalCheck[] {
  const at = (n: number) => rows.find((r) => r.n === n && r.variant === 'mix');
  const goal = (n: number, limitMs: number): GoalCheck => {
    const r = at(n);
    const value = r && !r.error ? r.totalMs.median : null;
    return {
      measure: `compile+render, ${n / 1000}k Mappings (median)`,
      goal: `≤ ${limitMs} ms`,
      value,
      unit: 'ms',
      met: r ? (value !== null ? value <= limitMs : false) : null,
      ...(r?.error ? { note: r.error } : r ? {} : { note: 'not run (--quick)' }),
    };
  };
  return [goal(10_000, 500), goal(50_000, 3000)];
}

async function main(): Promise<void> {
  const quick = isQuick();
  const cpuProf = process.argv.includes('--cpu-prof');
  const sizes = (flagValue('sizes') ?? (quick ? '100,1000' : '100,1000,10000,50000')).split(',').map(Number);
  const variants = (flagValue('variants') ?? (quick ? 'mix' : 'mix,hosted')).split(',');
  const startedAt = new Date().toISOString();
  const rows: CompileRow[] = [];
  for (const variant of variants) {
    for (const n of sizes) {
      const runs = quick ? 3 : cpuProf ? 2 : (RUNS[n] ?? 5);
      process.stderr.write(`compile: ${n} Mappings (${variant}), ${runs} runs…\n`);
      rows.push(await measure(n, variant, runs, cpuProf));
    }
  }
  printTable(
    'compile: compileSnapshot + renderEnvoyConfig (ms; warm runs; cold = first run in a fresh process)',
    [
      'N',
      'variant',
      'median',
      'p95',
      'cold',
      'validate',
      'peak RSS MiB',
      'config MiB',
      'B/Mapping',
      'route entries',
      'entries/Mapping',
      'B/entry',
      'error',
    ],
    rows.map((r) => [
      r.n,
      r.variant,
      r.totalMs.median,
      r.totalMs.p95,
      r.totalMs.cold,
      r.validateMsMedian,
      r.maxRssMiB,
      r.configBytes !== null ? round(r.configBytes / 2 ** 20, 2) : null,
      r.bytesPerMapping,
      r.routeEntries,
      r.routeEntriesPerMapping,
      r.bytesPerRouteEntry,
      r.error ? r.error.slice(0, 80) : '',
    ]),
  );
  const goals = compileGoals(rows);
  printGoals(goals);
  const file = writeResult({
    benchmark: 'compile',
    quick,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    goals,
    data: { sizes, variants, rows },
  });
  process.stdout.write(`wrote ${file.slice(REPO_ROOT.length + 1)}\n`);
}

await main();
