// Benchmark 5 — idle: with nothing changing, the API server repeatedly ends every watch (as it does at its
// watch timeout) and, every third time, also answers the re-watch with 410 Gone so the informers relist (a full
// resync). Compressed time: 60 reconnects in ~20 s is more than a day of real watch timeouts (kube-apiserver
// ends watches after 30-60 min). Counts the operator's writes on the wire: everything except its Lease renewals
// must be 0.
//
//   tsx bench/idle.ts [--quick] [--mappings 1000] [--cycles 60]
import { SYSTEM_NS } from './support/bench-cluster.js';
import { EventLog, templateHash } from './support/event-log.js';
import { metricValue } from './support/operator-process.js';
import { startScenario } from './support/scenario.js';
import { total } from './support/counting-proxy.js';
import { flagValue, isQuick, machine, printGoals, printTable, writeResult, type GoalCheck } from './support/results.js';
import type { WorkloadName } from './support/workloads.js';

export interface IdleRow {
  workload: WorkloadName;
  mappings: number;
  cycles: number;
  watchesClosed: number;
  relistsForced: number;
  reads: Record<string, number>;
  writes: Record<string, number>;
  leaseWrites: number;
  reconcilesDuring: number;
  informerRestarts: number;
}

async function measure(mappings: number, cycles: number): Promise<IdleRow> {
  const workload: WorkloadName = 'fits';
  const scenario = await startScenario(workload, mappings);
  const { cluster, proxy } = scenario;
  const log = new EventLog(cluster.kubeConfig);
  await log.watch('deployments', `/apis/apps/v1/namespaces/${SYSTEM_NS}/deployments`);
  const op = await scenario.startOperator();
  await log.waitFor(0, (e) => e.stream === 'deployments' && templateHash(e.obj) !== 'bootstrap', 60_000);
  if (!(await proxy.quiet(2000, 60_000))) throw new Error('idle: the operator never went quiet after its initial sync');
  log.close(); // our own watch must not be part of the churn
  const before = await op.metrics();
  const faults = cluster.server.faults;
  const closedBefore = faults.counts.closedWatches;
  proxy.reset();

  let relists = 0;
  for (let i = 0; i < cycles; i++) {
    if (i % 3 === 2) {
      // The informers' re-watch (with their last resourceVersion) gets 410 Gone: they must relist.
      faults.failNext(3, { status: 410, path: /[?&]watch=(true|1)/ });
      relists++;
    }
    faults.closeWatches();
    await new Promise((r) => setTimeout(r, 300));
  }
  await proxy.quiet(3000, 30_000);
  const after = await op.metrics();
  const delta = (name: string) => metricValue(after, name) - metricValue(before, name);
  const reads: Record<string, number> = {};
  for (const [k, v] of Object.entries(proxy.counts)) if (k.startsWith('GET ')) reads[k] = v;
  const allWrites = proxy.writes();
  const writes = proxy.writes(['leases']);
  const row: IdleRow = {
    workload,
    mappings: scenario.objects.mappings,
    cycles,
    watchesClosed: faults.counts.closedWatches - closedBefore,
    relistsForced: relists,
    reads,
    writes,
    leaseWrites: total(allWrites) - total(writes),
    reconcilesDuring: delta('portico_reconcile_duration_seconds_count'),
    informerRestarts: delta('portico_informer_restarts_total'),
  };
  await scenario.stop();
  return row;
}

export function idleGoals(rows: IdleRow[]): GoalCheck[] {
  const r = rows[0];
  return [
    {
      measure: 'idle writes (watch reconnects + relists, nothing changed)',
      goal: '0',
      value: r ? total(r.writes) : null,
      unit: '',
      met: r ? total(r.writes) === 0 : null,
      ...(r
        ? {
            note: `${r.watchesClosed} watches closed, ${r.relistsForced} relist rounds forced; Lease renewals (not counted): ${r.leaseWrites}`,
          }
        : {}),
    },
  ];
}

async function main(): Promise<void> {
  const quick = isQuick();
  const mappings = Number(flagValue('mappings') ?? (quick ? 200 : 1000));
  const cycles = Number(flagValue('cycles') ?? (quick ? 12 : 60));
  const startedAt = new Date().toISOString();
  process.stderr.write(`idle: ${mappings} Mappings, ${cycles} watch-close cycles…\n`);
  const rows = [await measure(mappings, cycles)];
  printTable(
    'idle: no changes, watches closed and relists forced',
    [
      'Mappings',
      'cycles',
      'watches closed',
      'relist rounds',
      'list+watch requests',
      'reconciles',
      'writes (excl. Lease)',
      'Lease writes',
    ],
    rows.map((r) => [
      r.mappings,
      r.cycles,
      r.watchesClosed,
      r.relistsForced,
      total(r.reads),
      r.reconcilesDuring,
      total(r.writes),
      r.leaseWrites,
    ]),
  );
  if (total(rows[0].writes)) process.stdout.write(`writes: ${JSON.stringify(rows[0].writes)}\n`);
  const goals = idleGoals(rows);
  printGoals(goals);
  const file = writeResult({
    benchmark: 'idle',
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
