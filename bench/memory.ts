// Benchmark 4 — memory: the operator's RSS at steady state, as its own process (node, no TypeScript loader),
// with N Mappings, N/5 Services and unrelated Secrets (2 KiB of data each) in the cluster. Steady state: the
// first reconcile has finished and no write has been made for 2 s (or 60 s passed); RSS is then sampled from
// /proc for 5 s (median) and the peak (VmHWM) recorded, with the V8 heap from the operator's /metrics.
//
//   tsx bench/memory.ts [--quick] [--workloads fits,mix]
import { randomBytes } from 'node:crypto';
import { namespaceOf } from './generate-snapshot.js';
import { metricValue } from './support/operator-process.js';
import { startScenario } from './support/scenario.js';
import { isQuick, machine, printGoals, printTable, writeResult, type GoalCheck } from './support/results.js';
import { round, summarise } from './support/stats.js';
import { workloadFromArgs, type WorkloadName } from './support/workloads.js';

interface Case {
  mappings: number;
  unrelatedSecrets: number;
}

export interface MemoryRow {
  workload: WorkloadName;
  mappings: number;
  services: number;
  unrelatedSecrets: number;
  populateMs: number;
  firstReconcileMs: number | null;
  reconciles: number;
  reconcileResults: Record<string, number>;
  configBytes: number | null;
  steady: boolean;
  rssMiB: number;
  peakRssMiB: number;
  heapUsedMiB: number | null;
  operatorErrors: string[];
}

function unrelatedSecrets(count: number) {
  // Seeded content is not needed: Secrets are opaque to the operator. 2 KiB of data each.
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `unrelated-${i}`, namespace: namespaceOf(i) },
    type: 'Opaque',
    data: { blob: randomBytes(2048).toString('base64') },
  }));
}

async function measure(workload: WorkloadName, c: Case): Promise<MemoryRow> {
  const scenario = await startScenario(workload, c.mappings, unrelatedSecrets(c.unrelatedSecrets));
  const { proxy } = scenario;
  const started = performance.now();
  const op = await scenario.startOperator();
  const metrics = async () => op.metrics().catch(() => '');
  // Setup wait (not a measurement): the first reconcile, whatever its result.
  let firstReconcileMs: number | null = null;
  const deadline = started + 120_000 + c.mappings * 10;
  while (performance.now() < deadline) {
    if (metricValue(await metrics(), 'portico_reconcile_duration_seconds_count') >= 1) {
      firstReconcileMs = performance.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const steady = await proxy.quiet(2000, 60_000);
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    samples.push(op.memory().rssMiB);
    await new Promise((r) => setTimeout(r, 250));
  }
  const text = await metrics();
  const results: Record<string, number> = {};
  for (const r of ['published', 'unchanged', 'invalid', 'error', 'follower']) {
    const v = metricValue(text, 'portico_reconcile_duration_seconds_count', { result: r });
    if (v) results[r] = v;
  }
  const heap = metricValue(text, 'portico_nodejs_heap_size_used_bytes');
  const row: MemoryRow = {
    workload,
    mappings: scenario.objects.mappings,
    services: scenario.objects.services,
    unrelatedSecrets: c.unrelatedSecrets,
    populateMs: round(scenario.populate.ms),
    firstReconcileMs: firstReconcileMs !== null ? round(firstReconcileMs) : null,
    reconciles: metricValue(text, 'portico_reconcile_duration_seconds_count'),
    reconcileResults: results,
    configBytes: metricValue(text, 'portico_config_bytes') || null,
    steady,
    rssMiB: summarise(samples).median,
    peakRssMiB: op.memory().hwmMiB,
    heapUsedMiB: heap ? round(heap / 2 ** 20) : null,
    operatorErrors: [
      ...new Set(
        op
          .problems()
          .map((p) => String(p.message ?? p.raw ?? '') + (p.error ? `: ${String(p.error).slice(0, 300)}` : '')),
      ),
    ].slice(0, 5),
  };
  await scenario.stop();
  return row;
}

export function memoryGoals(rows: MemoryRow[]): GoalCheck[] {
  const big = rows.filter((r) => r.mappings >= 9000 && r.unrelatedSecrets >= 10_000);
  const r = big.find((x) => x.workload === 'fits') ?? big[0];
  const others = big.filter((x) => x !== r).map((x) => `${x.workload}: ${x.rssMiB} MiB (peak ${x.peakRssMiB})`);
  return [
    {
      measure: `operator RSS, 10k Mappings + 10k unrelated Secrets${r ? ` [${r.workload}]` : ''}`,
      goal: '≤ 200 MB',
      value: r ? round((r.rssMiB * 2 ** 20) / 1e6) : null,
      unit: 'MB',
      met: r ? (r.rssMiB * 2 ** 20) / 1e6 <= 200 : null,
      ...(r
        ? {
            note: [
              `peak ${round((r.peakRssMiB * 2 ** 20) / 1e6)} MB`,
              ...(r.steady ? [] : ['writes never went quiet']),
              ...others,
            ].join('; '),
          }
        : { note: 'not run (--quick)' }),
    },
  ];
}

async function main(): Promise<void> {
  const quick = isQuick();
  const workloads = workloadFromArgs(process.argv.slice(2), quick ? ['fits'] : ['fits', 'mix']);
  const cases: Case[] = quick
    ? [{ mappings: 500, unrelatedSecrets: 500 }]
    : [
        { mappings: 1000, unrelatedSecrets: 0 },
        { mappings: 10_000, unrelatedSecrets: 10_000 },
      ];
  const startedAt = new Date().toISOString();
  const rows: MemoryRow[] = [];
  // The mix at 10k renders ~240 MB of config per reconcile (see compile): run it only when asked (--workloads mix).
  const explicit = process.argv.includes('--workloads');
  for (const w of workloads) {
    for (const c of cases) {
      if (!explicit && w === 'mix' && c.mappings > 1000) continue;
      process.stderr.write(`memory: ${c.mappings} Mappings, ${c.unrelatedSecrets} unrelated Secrets (${w})…\n`);
      rows.push(await measure(w, c));
    }
  }
  printTable(
    'memory: operator process at steady state',
    [
      'workload',
      'Mappings',
      'Services',
      'unrelated Secrets',
      'RSS MiB',
      'peak RSS MiB',
      'heap used MiB',
      'reconciles',
      'results',
      'config MiB',
      'steady',
    ],
    rows.map((r) => [
      r.workload,
      r.mappings,
      r.services,
      r.unrelatedSecrets,
      r.rssMiB,
      r.peakRssMiB,
      r.heapUsedMiB,
      r.reconciles,
      Object.entries(r.reconcileResults)
        .map(([k, v]) => `${k}:${v}`)
        .join(' '),
      r.configBytes ? round(r.configBytes / 2 ** 20, 2) : null,
      r.steady ? 'yes' : 'no',
    ]),
  );
  for (const r of rows.filter((x) => x.operatorErrors.length))
    process.stdout.write(
      `${r.workload} ${r.mappings}: operator errors:\n${r.operatorErrors.map((e) => `  - ${e.slice(0, 300)}`).join('\n')}\n`,
    );
  const goals = memoryGoals(rows);
  printGoals(goals);
  const file = writeResult({
    benchmark: 'memory',
    quick,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    goals,
    data: { rows },
  });
  process.stdout.write(`wrote ${file}\n`);
}

await main();
