// Issue 7 item 2: the operator crashes at random points and restarts. The crash is injected through the
// operator's beforeWrite seam: at the chosen write the instance throws and, like a killed process, never
// writes again; the test then drops it without releasing the Lease (as SIGKILL would) and starts a fresh one.
// Crash points: half-way through publishing a generation (certs Secret written, ConfigMap not), after both
// but before the Deployment patch, and between status writes. After each restart: convergence to the from-scratch render, no orphaned or
// missing published objects, exactly the rollouts needed (none when the crash came after the Deployment
// patch), and a further restart with nothing changed writes nothing at all.
import { expect } from 'chai';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { RunningOperator } from '../../operator/operator.js';
import { Churn } from './support/churn.js';
import {
  deploymentState,
  orphanedGenerations,
  publishedGenerations,
  waitForConvergence,
} from './support/convergence.js';
import { percentile, sleep, startReliabilityCluster, type ReliabilityCluster } from './support/reliability-cluster.js';
import { recordSection } from './support/report.js';
import { FULL, runSeed, seededRandom } from './support/seeded-random.js';
import { runCerts } from './support/test-certs.js';

const CRASHES = FULL ? 12 : 4;

type CrashPoint = 'mid-publish' | 'before-deployment' | 'between-status-writes';

class Crashed extends Error {
  constructor(point: string) {
    super(`injected crash at ${point}`);
  }
}

/** The instance's writes by "resource verb", from its own metrics. */
async function writesOf(op: RunningOperator): Promise<Record<string, number>> {
  const text = await fetch(`http://127.0.0.1:${op.httpPort}/metrics`).then((r) => r.text());
  const out: Record<string, number> = {};
  for (const l of text.split('\n')) {
    const m = /^portico_api_writes_total\{(.*)\} (\S+)$/.exec(l);
    if (!m) continue;
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    out[`${labels.resource} ${labels.verb}`] = Number(m[2]);
  }
  return out;
}

describe('reliability: operator crash and restart', function () {
  this.timeout(CRASHES * 30_000 + 60_000);
  let rc: ReliabilityCluster;
  after(async () => rc?.stop());

  it(`${CRASHES} crashes at random points: each restart converges with no orphans and no needless rollout`, async () => {
    const seed = runSeed() + 2;
    const rng = seededRandom(seed);
    rc = await startReliabilityCluster();
    const kc = rc.cluster.kubeConfig;
    const custom = kc.makeApiClient(CustomObjectsApi);
    const churn = new Churn(kc, rng, runCerts(3));
    for (let i = 0; i < 25; i++) await churn.step();
    let op = await rc.startOperator({ identity: 'crash-0' });
    expect((await waitForConvergence(kc, 15_000)).gaps).to.deep.equal([]);

    const cycles: Array<Record<string, unknown>> = [];
    const convergeMs: number[] = [];
    let lost = 0;
    for (let i = 1; i <= CRASHES; i++) {
      const point: CrashPoint = rng.pick(['mid-publish', 'before-deployment', 'between-status-writes']);
      // A fresh instance armed to die at `point`; the current one hands over first (graceful, releases the Lease).
      await op.stop();
      let crashed = false;
      let statusWrites = 0;
      let publishedWrites = 0;
      const crashAfterStatusWrites = 1 + rng.int(2);
      const armed = await rc.startOperator({
        identity: `crash-${i}`,
        beforeWrite: (resource) => {
          if (crashed) throw new Crashed(point); // dead processes write nothing
          const hit =
            // after the first of the generation's objects (certs Secret or ConfigMap), before the next
            (point === 'mid-publish' &&
              (resource === 'secret' || resource === 'configmap') &&
              ++publishedWrites === 2) ||
            (point === 'before-deployment' && resource === 'deployment') ||
            (point === 'between-status-writes' &&
              resource.endsWith('/status') &&
              ++statusWrites > crashAfterStatusWrites);
          if (hit) {
            crashed = true;
            throw new Crashed(point);
          }
        },
      });
      await waitFor(() => armed.isLeader(), 10_000);
      // A change that needs a new config and several status writes: three new Mappings, one of them replacing
      // a prefix in use.
      for (let k = 0; k < 3; k++) {
        await custom.createNamespacedCustomObject({
          group: 'portico.dev',
          version: 'v1alpha1',
          namespace: 'default',
          plural: 'mappings',
          body: {
            apiVersion: 'portico.dev/v1alpha1',
            kind: 'Mapping',
            metadata: { name: `crash-${i}-${k}` },
            spec: { prefix: `/crash-${i}-${k}/`, service: `svc-${rng.int(4)}` },
          },
        });
      }
      await waitFor(() => crashed, 10_000);
      // SIGKILL: no release, no cleanup.
      await armed.stop({ releaseLease: false });
      const atCrash = await deploymentState(kc);
      const publishedAtCrash = await publishedGenerations(kc);

      const restartedAt = Date.now();
      op = await rc.startOperator({ identity: `crash-${i}-restarted` });
      const result = await waitForConvergence(kc, 20_000);
      const after = await deploymentState(kc);
      // Old generations are collected after the status writes, so give clean-up a moment past convergence.
      const orphans = await settledOrphans(kc, 5_000);
      const sinceRestart = Date.now() - restartedAt;
      const rolloutsAfterRestart = after.generation - atCrash.generation;
      cycles.push({
        point,
        convergeMsSinceRestart: sinceRestart,
        gaps: result.gaps.slice(0, 5),
        rolloutsAfterRestart,
        orphans,
        incompleteAtCrash: orphanedGenerations(publishedAtCrash),
      });
      lost += result.gaps.length;
      convergeMs.push(sinceRestart);
      if (point === 'mid-publish')
        expect(orphanedGenerations(publishedAtCrash), 'the crash left a half-published generation').to.not.deep.equal(
          [],
        );
      expect(result.gaps, `after a crash ${point}`).to.deep.equal([]);
      expect(orphans, `orphaned generations after a crash ${point}`).to.deep.equal([]);
      // The Deployment was patched before a status-write crash: the restart must not roll it again.
      expect(rolloutsAfterRestart, `rollouts after restarting from a crash ${point}`).to.equal(
        point === 'between-status-writes' ? 0 : 1,
      );
    }

    // And a restart with nothing changed writes nothing at all.
    await op.stop({ releaseLease: false });
    const quietBefore = await deploymentState(kc);
    op = await rc.startOperator({ identity: 'crash-final' });
    await waitFor(() => op.isLeader(), 10_000);
    await sleep(1500);
    expect(await writesOf(op), 'writes by a restart with nothing changed').to.deep.equal({});
    expect((await deploymentState(kc)).generation).to.equal(quietBefore.generation);

    recordSection(
      'crashRestart',
      {
        scenario: 'Operator crash and restart',
        faultsInjected: CRASHES,
        convergeP50Ms: percentile(convergeMs, 50),
        convergeMaxMs: Math.max(...convergeMs),
        rollouts: cycles.reduce((n, c) => n + (c.rolloutsAfterRestart as number), 0),
        inputs: churn.counts.ops + CRASHES * 3,
        lostUpdates: lost,
        crashes: CRASHES,
        notes:
          "converge time counted from the restart, including the wait for the dead instance's Lease to expire (3 s)",
      },
      { seed, cycles },
    );
  });
});

/** Orphaned generations once clean-up has had up to `timeoutMs` to finish (the last reading if it never does). */
async function settledOrphans(kc: Parameters<typeof publishedGenerations>[0], timeoutMs: number): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const orphans = orphanedGenerations(await publishedGenerations(kc));
    if (orphans.length === 0 || Date.now() > end) return orphans;
    await sleep(100);
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}
