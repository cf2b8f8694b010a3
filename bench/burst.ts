// Benchmark 3 — burst: 1,000 new Mappings POSTed as fast as the API takes them (32 in flight) into a cluster
// that already has their Services and the operator running. Measures the time until every Mapping has settled
// (Programmed=True, or a final Programmed=False such as a missing Service, for its generation), the number of
// rollouts (changes of the Deployment's template hash) and the operator's writes by kind, counted on the wire.
//
//   tsx bench/burst.ts [--quick] [--count 1000] [--workloads fits]
import { generateCluster } from './generate-snapshot.js';
import { createObjects, SYSTEM_NS } from './support/bench-cluster.js';
import { EventLog, condition, templateHash } from './support/event-log.js';
import { total } from './support/counting-proxy.js';
import { startScenario } from './support/scenario.js';
import { flagValue, isQuick, machine, printGoals, printTable, writeResult, type GoalCheck } from './support/results.js';
import { round } from './support/stats.js';
import { WORKLOADS, workloadFromArgs, type WorkloadName } from './support/workloads.js';

export interface BurstRow {
  workload: WorkloadName;
  count: number;
  accepted: number;
  refusedBySchema: number;
  applyMs: number;
  allSettledMs: number | null;
  programmedTrue: number;
  programmedFalse: number;
  /** Programmed=False reasons among the settled Mappings. */
  falseReasons: Record<string, number>;
  unsettled: number;
  rollouts: number;
  configMapsPublished: number;
  statusWrites: number;
  writesByKind: Record<string, number>;
  totalWrites: number;
}

/** Settled: Programmed is final (True, or False for a reason other than Pending) for the current generation. */
function settledState(obj: any): 'true' | 'false' | undefined {
  const c = condition(obj, 'Programmed');
  if (!c || obj?.status?.observedGeneration !== obj?.metadata?.generation) return undefined;
  if (c.status === 'True') return 'true';
  return c.reason === 'Pending' ? undefined : 'false';
}

async function measure(workload: WorkloadName, count: number): Promise<BurstRow> {
  const burst = generateCluster(count, WORKLOADS[workload]);
  const mappings = burst.mappings.map((m) => ({ ...m, metadata: { ...m.metadata, name: `burst-${m.metadata.name}` } }));
  // The cluster already holds the Services (and TLS objects) the new Mappings use, but no Mappings.
  const scenario = await startScenario(workload, 0, [...burst.services, ...burst.secrets, ...burst.tlsContexts]);
  const { cluster, proxy } = scenario;
  const log = new EventLog(cluster.kubeConfig);
  await log.watch('deployments', `/apis/apps/v1/namespaces/${SYSTEM_NS}/deployments`);
  await log.watch('configmaps', `/api/v1/namespaces/${SYSTEM_NS}/configmaps`);
  await log.watch('mappings', '/apis/portico.dev/v1alpha1/mappings');
  await scenario.startOperator();
  // The operator publishes the (empty) initial config first; start from a quiet cluster.
  await log.waitFor(0, (e) => e.stream === 'deployments' && templateHash(e.obj) !== 'bootstrap', 30_000);
  await proxy.quiet(1000, 30_000);
  proxy.reset();

  const mark = log.mark;
  let lastHash = templateHash(log.events.filter((e) => e.stream === 'deployments').at(-1)?.obj);
  const state = new Map<string, 'true' | 'false' | undefined>();
  const started = performance.now();
  const applied = await createObjects(cluster.url, mappings, 32);
  const applyMs = performance.now() - started;
  const refused = applied.failures.filter((f) => f.status === 422).length;
  if (applied.failures.length > refused)
    throw new Error(`burst: unexpected failures ${JSON.stringify(applied.failures.slice(0, 3))}`);
  const expected = applied.created;

  const settledCount = () => [...state.values()].filter(Boolean).length;
  const all = await log.waitFor(
    mark,
    (e) => {
      if (e.stream !== 'mappings') return false;
      state.set(`${e.obj.metadata.namespace}/${e.obj.metadata.name}`, settledState(e.obj));
      return settledCount() >= expected;
    },
    60_000,
  );
  const allSettledMs = all ? all.at - started : null;
  await proxy.quiet(2000, 30_000); // trailing writes (garbage collection, events) still count
  let rollouts = 0;
  for (const e of log.events.slice(mark)) {
    if (e.stream !== 'deployments') continue;
    const h = templateHash(e.obj);
    if (h !== lastHash) rollouts++;
    lastHash = h;
  }
  const values = [...state.values()];
  const reasons: Record<string, number> = {};
  const lastSeen = new Map<string, any>();
  for (const e of log.events.slice(mark))
    if (e.stream === 'mappings') lastSeen.set(`${e.obj.metadata.namespace}/${e.obj.metadata.name}`, e.obj);
  for (const o of lastSeen.values()) {
    const c = condition(o, 'Programmed');
    if (c && c.status === 'False') reasons[c.reason] = (reasons[c.reason] ?? 0) + 1;
  }
  const writesByKind = proxy.writes(['leases']);
  const row: BurstRow = {
    workload,
    count,
    accepted: expected,
    refusedBySchema: refused,
    applyMs: round(applyMs),
    allSettledMs: allSettledMs !== null ? round(allSettledMs) : null,
    programmedTrue: values.filter((v) => v === 'true').length,
    programmedFalse: values.filter((v) => v === 'false').length,
    falseReasons: reasons,
    unsettled: expected - settledCount(),
    rollouts,
    configMapsPublished: log.count(mark, (e) => e.stream === 'configmaps' && e.type === 'ADDED'),
    statusWrites: writesByKind['PUT mappings/status'] ?? 0,
    writesByKind,
    totalWrites: total(writesByKind),
  };
  log.close();
  await scenario.stop();
  return row;
}

export function burstGoals(rows: BurstRow[], count: number): GoalCheck[] {
  const r = rows.find((x) => x.count === count);
  return [
    {
      measure: `burst of ${count}: all settled (Programmed final)`,
      goal: '≤ 5000 ms',
      value: r?.allSettledMs ?? null,
      unit: 'ms',
      met: r ? r.allSettledMs !== null && r.allSettledMs <= 5000 : null,
      ...(r && r.unsettled ? { note: `${r.unsettled} Mappings never settled` } : {}),
    },
    {
      measure: `burst of ${count}: rollouts`,
      goal: '≤ 10',
      value: r?.rollouts ?? null,
      unit: '',
      met: r ? r.rollouts <= 10 : null,
    },
  ];
}

async function main(): Promise<void> {
  const quick = isQuick();
  const count = Number(flagValue('count') ?? (quick ? 200 : 1000));
  const workloads = workloadFromArgs(process.argv.slice(2), ['fits']);
  const startedAt = new Date().toISOString();
  const rows: BurstRow[] = [];
  for (const w of workloads) {
    process.stderr.write(`burst: ${count} new Mappings (${w})…\n`);
    rows.push(await measure(w, count));
  }
  printTable(
    'burst: new Mappings applied at once',
    [
      'workload',
      'applied',
      'refused (schema)',
      'apply ms',
      'all settled ms',
      'Programmed True/False',
      'rollouts',
      'ConfigMaps',
      'status writes',
      'all writes',
    ],
    rows.map((r) => [
      r.workload,
      r.accepted,
      r.refusedBySchema,
      r.applyMs,
      r.allSettledMs,
      `${r.programmedTrue}/${r.programmedFalse}`,
      r.rollouts,
      r.configMapsPublished,
      r.statusWrites,
      r.totalWrites,
    ]),
  );
  const goals = burstGoals(rows, count === 1000 ? 1000 : count);
  printGoals(goals);
  const file = writeResult({
    benchmark: 'burst',
    quick,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    goals,
    data: { count, rows },
  });
  process.stdout.write(`wrote ${file}\n`);
}

await main();
