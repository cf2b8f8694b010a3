// Benchmark — xds delivery, to Envoy serving: on the real world (real kube-apiserver + etcd + KCM), the operator
// in this process with `delivery: 'xds'` (plaintext ADS on the pod network's gateway) and one real Envoy 1.40 on
// the ADS bootstrap. With N Mappings served, add one new Mapping at a time, `changes` times, and measure from the
// API's acknowledgement of the create to the first request through Envoy that the new route answers (200),
// polled every 5 ms on fresh connections. Meanwhile a client loop sends requests to an unchanged Mapping over
// keep-alive connections and counts every failed request and reset connection. Rollout mode is not measured
// here (see README "Delivery modes").
//
//   tsx bench/xds-served.ts [--quick] [--sizes 1000,10000] [--changes 100]
import http from 'node:http';
import { realWorld } from '../test/world/world.js';
import { startXdsEnvoy } from '../test/real/support/xds-envoy.js';
import { startOperator } from '../operator/operator.js';
import { flagValue, isQuick, machine, printGoals, printTable, writeResult, type GoalCheck } from './support/results.js';
import { round, summarise } from './support/stats.js';

const NS = 'bench-xds';
const OPERATOR_NS = 'portico-xds-bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mapping(name: string, prefix: string) {
  return {
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'Mapping',
    metadata: { name, namespace: NS },
    spec: { prefix, service: 'benchecho' },
  };
}

/** One request on a new connection: its status, or 0 when it failed. */
function once(base: string, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(`${base}${path}`, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

/** Requests back to back over `connections` keep-alive connections until stopped; counts what went wrong. */
function clientLoop(base: string, path: string, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const counts = { requests: 0, failed: 0, resets: 0, non200: 0 };
  let stop = false;
  const worker = async () => {
    while (!stop) {
      await new Promise<void>((resolve) => {
        const req = http.get(`${base}${path}`, { agent, timeout: 5000 }, (res) => {
          res.resume();
          res.on('end', () => {
            counts.requests++;
            if (res.statusCode !== 200) counts.non200++;
            resolve();
          });
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          counts.requests++;
          counts.failed++;
          if (err.code === 'ECONNRESET' || err.code === 'EPIPE') counts.resets++;
          resolve();
        });
        req.on('timeout', () => req.destroy());
      });
    }
  };
  const workers = Array.from({ length: connections }, worker);
  return {
    counts,
    async stop() {
      stop = true;
      await Promise.all(workers);
      agent.destroy();
    },
  };
}

async function main(): Promise<void> {
  const quick = isQuick();
  const sizes = (flagValue('sizes') ?? (quick ? '100' : '1000,10000')).split(',').map(Number);
  const changes = Number(flagValue('changes') ?? (quick ? 10 : 100));
  const startedAt = new Date().toISOString();
  const world = await realWorld();
  const kubectl = async (args: string[], stdin?: string) => {
    const r = await world.kubectl(args, { stdin, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  };
  await kubectl(['apply', '--server-side', '-k', 'crds']);
  await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
  await kubectl(
    ['apply', '-f', '-'],
    `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NS}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${OPERATOR_NS}}\n`,
  );
  const { echoBackendYaml } = await import('../test/real/support/backends.js');
  await kubectl(['apply', '-f', '-'], echoBackendYaml('benchecho', NS, { replicas: 2 }));
  await world.waitForRollout(NS, 'benchecho');

  const op = await startOperator({
    kubeConfig: world.kubeConfig,
    namespace: OPERATOR_NS,
    delivery: 'xds',
    xdsHost: world.network.gateway,
    xdsPort: 0,
    xdsInsecure: true,
    httpHost: '127.0.0.1',
    httpPort: 0,
    logLevel: process.env.PORTICO_BENCH_LOG ?? 'error',
  });
  const envoy = await startXdsEnvoy(world, {
    address: world.network.gateway,
    port: op.xdsPort!,
    nodeId: 'bench-envoy',
  });
  const gateway = `http://${envoy.ip}:8080`;
  const rows: Array<Record<string, unknown>> = [];
  const goals: GoalCheck[] = [];
  let have = 0;
  try {
    for (const n of sizes) {
      // Populate up to n Mappings, 16 creates at a time.
      const t0 = performance.now();
      const names = Array.from({ length: n - have }, (_, i) => have + i);
      for (let i = 0; i < names.length; i += 16) {
        await Promise.all(
          names
            .slice(i, i + 16)
            .map((k) =>
              world.rest.must(
                'POST',
                `/apis/portico.dev/v1alpha1/namespaces/${NS}/mappings`,
                mapping(`m-${k}`, `/m-${k}/`),
              ),
            ),
        );
      }
      have = n;
      while ((await once(gateway, `/m-${n - 1}/x`)) !== 200) await sleep(100);
      // And every status written (the operator writes them after serving; a change waits for that run to end).
      for (;;) {
        const list = await world.rest.must<{
          items: { status?: { conditions?: { type: string; status: string }[] } }[];
        }>('GET', `/apis/portico.dev/v1alpha1/namespaces/${NS}/mappings`);
        if (list.items.every((m) => m.status?.conditions?.some((c) => c.type === 'Programmed' && c.status === 'True')))
          break;
        await sleep(500);
      }
      const populateMs = Math.round(performance.now() - t0);

      const loop = clientLoop(gateway, '/m-0/x', 4);
      const samples: number[] = [];
      for (let c = 0; c < changes; c++) {
        const name = `chg-${n}-${c}`;
        await world.rest.must(
          'POST',
          `/apis/portico.dev/v1alpha1/namespaces/${NS}/mappings`,
          mapping(name, `/${name}/`),
        );
        const acked = performance.now();
        while ((await once(gateway, `/${name}/x`)) !== 200) {
          if (performance.now() - acked > 60_000) throw new Error(`${name} not served after 60 s`);
          await sleep(5);
        }
        samples.push(performance.now() - acked);
      }
      await loop.stop();
      const s = summarise(samples);
      rows.push({ n, populateMs, changes, p50: round(s.median), p99: round(s.p99), max: round(s.max), ...loop.counts });
      const goal = n <= 1000 ? 300 : 1000;
      goals.push({
        measure: `xds: create acknowledged → served by real Envoy, p99, ${n} Mappings`,
        goal: `≤ ${goal} ms`,
        value: round(s.p99),
        unit: 'ms',
        met: s.p99 <= goal,
        note: `p50 ${round(s.median)} ms over ${changes} changes`,
      });
      goals.push({
        measure: `xds: client loop during ${changes} changes, ${n} Mappings: failed requests + resets`,
        goal: '0',
        value: loop.counts.failed + loop.counts.non200,
        unit: '',
        met: loop.counts.failed + loop.counts.non200 === 0,
        note: `${loop.counts.requests} requests, ${loop.counts.resets} resets, ${loop.counts.non200} non-200`,
      });
    }
  } finally {
    await envoy.stop();
    await op.stop();
  }
  printTable(
    'xds delivery: create acknowledged → served by real Envoy (ms)',
    ['mappings', 'populate ms', 'changes', 'p50', 'p99', 'max', 'loop requests', 'failed', 'resets', 'non-200'],
    rows.map(
      (r) =>
        [r.n, r.populateMs, r.changes, r.p50, r.p99, r.max, r.requests, r.failed, r.resets, r.non200] as Array<number>,
    ),
  );
  printGoals(goals);
  writeResult({
    benchmark: 'xds-served',
    quick,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    goals,
    data: { rows },
  });
  await world.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
