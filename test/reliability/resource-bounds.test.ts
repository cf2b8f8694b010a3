// Issue 7 item 6: resource bounds, measured on a real `portico run` process (its own RSS and heap, read from
// its /metrics). A churn run reports the operator's RSS and heap at the start and the end; an event storm
// (hundreds of writes in a burst) must coalesce into far fewer reconciles than events, with the product's
// default holdoff (100 ms, at most 500 ms).
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { Churn } from './support/churn.js';
import { waitForConvergence } from './support/convergence.js';
import { sleep, startReliabilityCluster, type ReliabilityCluster } from './support/reliability-cluster.js';
import { recordSection } from './support/report.js';
import { FULL, runSeed, seededRandom } from './support/seeded-random.js';
import { runCerts } from './support/test-certs.js';
import { freePort } from '../support/free-port.js';

const REPO = join(import.meta.dirname, '..', '..');
const CHURN_MS = FULL ? 120_000 : 8_000;
const STORM = FULL ? 1000 : 300;

function metric(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(name) && (l[name.length] === ' ' || l[name.length] === '{'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

describe('reliability: resource bounds', function () {
  this.timeout(CHURN_MS + 120_000);
  let rc: ReliabilityCluster;
  let child: ChildProcess | undefined;
  after(async () => {
    child?.kill('SIGKILL');
    await rc?.stop();
  });

  it('a churn run keeps memory bounded and an event storm coalesces (portico run process)', async () => {
    rc = await startReliabilityCluster();
    const kc = rc.cluster.kubeConfig;
    const port = await freePort();
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO, 'operator', 'cli.ts'),
        'run',
        '--kubeconfig',
        rc.cluster.kubeconfigPath,
        '--http-host',
        '127.0.0.1',
        '--http-port',
        String(port),
        '--identity',
        'bounds-op',
        '--lease-duration',
        '3',
        '--renew-deadline',
        '2',
        '--retry-period',
        '0.4',
        '--log-level',
        'warn',
      ],
      { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const started = Date.now();
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      if (Date.now() - started > 60_000) throw new Error(`portico run did not become ready: ${stderr}`);
      await sleep(200);
    }

    const churn = new Churn(kc, seededRandom(runSeed() + 6), runCerts(3));
    for (let i = 0; i < 20; i++) await churn.step();
    expect((await waitForConvergence(kc, 20_000)).gaps).to.deep.equal([]);
    const m0 = await metrics();
    const start = {
      rssMiB: metric(m0, 'portico_process_resident_memory_bytes') / 2 ** 20,
      heapMiB: metric(m0, 'portico_nodejs_heap_size_used_bytes') / 2 ** 20,
    };

    await churn.runFor(CHURN_MS, 30);
    expect((await waitForConvergence(kc, 20_000)).gaps).to.deep.equal([]);
    const m1 = await metrics();
    const end = {
      rssMiB: metric(m1, 'portico_process_resident_memory_bytes') / 2 ** 20,
      heapMiB: metric(m1, 'portico_nodejs_heap_size_used_bytes') / 2 ** 20,
    };

    // Event storm: STORM writes to 20 Mappings as fast as the API server takes them, 10 at a time.
    const custom = kc.makeApiClient(CustomObjectsApi);
    for (let i = 0; i < 20; i++) {
      await custom.createNamespacedCustomObject({
        group: 'portico.dev',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'mappings',
        body: {
          apiVersion: 'portico.dev/v1alpha1',
          kind: 'Mapping',
          metadata: { name: `storm-${i}` },
          spec: { prefix: `/storm-${i}/`, service: 'svc-0' },
        },
      });
    }
    expect((await waitForConvergence(kc, 20_000)).gaps).to.deep.equal([]);
    const reconcilesBefore = metric(await metrics(), 'portico_reconcile_duration_seconds_count');
    const stormStart = Date.now();
    for (let i = 0; i < STORM; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          custom.patchNamespacedCustomObject(
            {
              group: 'portico.dev',
              version: 'v1alpha1',
              namespace: 'default',
              plural: 'mappings',
              name: `storm-${(i + j) % 20}`,
              body: { spec: { rewrite: `/r${i + j}/` } },
            },
            setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
          ),
        ),
      );
    }
    const stormMs = Date.now() - stormStart;
    const settle = await waitForConvergence(kc, 30_000);
    expect(settle.gaps).to.deep.equal([]);
    const reconciles = metric(await metrics(), 'portico_reconcile_duration_seconds_count') - reconcilesBefore;

    recordSection(
      'resources',
      {
        scenario: 'Resource bounds (portico run process)',
        inputs: churn.counts.ops + STORM,
        lostUpdates: 0,
        crashes: 0,
        notes: `RSS ${start.rssMiB.toFixed(0)} → ${end.rssMiB.toFixed(0)} MiB, heap ${start.heapMiB.toFixed(0)} → ${end.heapMiB.toFixed(0)} MiB over ${CHURN_MS / 1000} s churn; storm of ${STORM} writes in ${stormMs} ms → ${reconciles} reconciles`,
      },
      {
        start,
        end,
        churnMs: CHURN_MS,
        churn: churn.counts,
        storm: { writes: STORM, ms: stormMs, reconciles, settleMs: settle.ms },
      },
    );
    // The storm's events coalesce: at most one reconcile per holdoff window, far fewer than the writes.
    expect(reconciles, `${reconciles} reconciles for ${STORM} writes`).to.be.lessThan(STORM / 5);
    expect(reconciles).to.be.at.most(Math.ceil(stormMs / 100) + 5);
    // Loose bound for the short run; the full run (npm run test:reliability) is the one to read for drift.
    expect(end.heapMiB - start.heapMiB, 'heap growth over the churn run').to.be.lessThan(FULL ? 40 : 60);
  });
});
