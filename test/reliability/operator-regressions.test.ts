// Regression tests for operator bugs the reliability suite found.
// 1. client-node 1.4 requests and watches have no deadline: during a network partition that leaves the
//    operator's connections half-open, the reconcile waiting on a request hung for good (even stop() hung),
//    and the watches never delivered another event. Now every request and watch has deadlines.
// 2. A leader whose reconcile outlasted the renew deadline (a long synchronous compile; the first Envoy proto
//    load takes ~2 s) saw isLeader() false, skipped publishing as a "follower", and nothing ran again until
//    the periodic resync (`portico run` published nothing for 20+ s). Now such a run asks for a retry.
import { expect } from 'chai';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { deploymentState, waitForConvergence } from './support/convergence.js';
import {
  RELIABILITY_TIMINGS,
  sleep,
  startReliabilityCluster,
  type ReliabilityCluster,
} from './support/reliability-cluster.js';

const mapping = (name: string, prefix: string) => ({
  apiVersion: 'portico.dev/v1alpha1',
  kind: 'Mapping',
  metadata: { name, namespace: 'default' },
  spec: { prefix, service: 'svc-0' },
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - start;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe('reliability: operator regressions', function () {
  this.timeout(60_000);
  let rc: ReliabilityCluster | undefined;
  afterEach(async () => {
    await rc?.stop();
    rc = undefined;
  });

  it('a partition that leaves connections half-open stalls nothing: requests and watches time out and resume', async () => {
    rc = await startReliabilityCluster();
    const custom = rc.cluster.kubeConfig.makeApiClient(CustomObjectsApi);
    await rc.startOperator({ identity: 'partition-op' });
    await custom.createNamespacedCustomObject({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'mappings',
      body: mapping('a', '/a/'),
    });
    expect((await waitForConvergence(rc.cluster.kubeConfig, 10_000)).gaps).to.deep.equal([]);

    // Slow every request so one is in flight when the partition starts, then cut the operator off.
    rc.cluster.server.faults.addLatency(300);
    await custom.patchNamespacedCustomObject(
      {
        group: 'portico.dev',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'mappings',
        name: 'a',
        body: { spec: { prefix: '/a2/' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await sleep(150);
    rc.proxy.partition();
    await sleep(1500);
    rc.cluster.server.faults.clearLatency();
    rc.proxy.heal(); // new connections work; the old ones stay silent forever
    await custom.createNamespacedCustomObject({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'mappings',
      body: mapping('b', '/b/'),
    });
    const bound = RELIABILITY_TIMINGS.requestTimeoutMs! + RELIABILITY_TIMINGS.watchTimeouts!.idleTimeoutMs! + 6000;
    const result = await waitForConvergence(rc.cluster.kubeConfig, bound);
    expect(result.gaps, 'converged after the partition').to.deep.equal([]);
    expect(rc.proxy.counts.partitions).to.equal(1);
  });

  it('a reconcile that outlasts the renew deadline is retried once the renewal catches up, not left to the resync', async () => {
    rc = await startReliabilityCluster();
    let blockNext = false;
    const op = await rc.startOperator({
      identity: 'slow-op',
      validateConfig: (bootstrap) => {
        if (blockNext) {
          blockNext = false;
          // Hold the event loop longer than the renew deadline, as a big synchronous compile would.
          const end = Date.now() + RELIABILITY_TIMINGS.renewDeadlineMs! + 500;
          while (Date.now() < end);
        }
        return validateEnvoyBootstrap(bootstrap);
      },
    });
    await until('leading', async () => op.isLeader(), 10_000);
    const custom = rc.cluster.kubeConfig.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'mappings',
      body: mapping('a', '/a/'),
    });
    expect((await waitForConvergence(rc.cluster.kubeConfig, 10_000)).gaps).to.deep.equal([]);
    const before = await deploymentState(rc.cluster.kubeConfig);

    blockNext = true;
    await custom.createNamespacedCustomObject({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'mappings',
      body: mapping('b', '/b/'),
    });
    // Without the retry this waits for the resync (an hour here).
    const result = await waitForConvergence(rc.cluster.kubeConfig, 10_000);
    expect(result.gaps).to.deep.equal([]);
    expect(blockNext, 'the slow reconcile really happened').to.equal(false);
    expect((await deploymentState(rc.cluster.kubeConfig)).generation).to.equal(before.generation + 1);
  });
});
