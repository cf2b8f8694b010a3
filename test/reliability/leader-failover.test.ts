// Issue 7 item 3: leader failover under churn. Three operator instances, each behind its own recording proxy,
// while the seeded churn runs; the leader is killed again and again (its proxy cuts every connection at once,
// then the instance is stopped without releasing the Lease, as after SIGKILL) and replaced by a fresh
// instance. From the recorded traffic: every write of an instance happened inside a leadership term of that
// instance (terms come from the Lease writes the server accepted), so there were never two writers at once.
// After the churn: convergence to the from-scratch render with correct statuses (no lost update).
import { expect } from 'chai';
import type { RunningOperator } from '../../operator/operator.js';
import { Churn } from './support/churn.js';
import { waitForConvergence } from './support/convergence.js';
import { RecordingProxy, termViolations, type RecordedWrite } from './support/recording-proxy.js';
import {
  kubeConfigFor,
  percentile,
  RELIABILITY_TIMINGS,
  sleep,
  startReliabilityCluster,
  type ReliabilityCluster,
} from './support/reliability-cluster.js';
import { recordSection } from './support/report.js';
import { FULL, runSeed, seededRandom } from './support/seeded-random.js';
import { runCerts } from './support/test-certs.js';
import { startOperator } from '../../operator/operator.js';

const KILLS = FULL ? 10 : 3;
const INSTANCES = 3;

interface Instance {
  name: string;
  proxy: RecordingProxy;
  op: RunningOperator;
}

describe('reliability: leader failover under churn', function () {
  this.timeout(KILLS * 20_000 + 60_000);
  let rc: ReliabilityCluster;
  const live: Instance[] = [];
  after(async () => {
    for (const i of live) {
      i.proxy.kill();
      await i.op.stop({ releaseLease: false }).catch(() => undefined);
      await i.proxy.close();
    }
    await rc?.stop();
  });

  it(`${INSTANCES} instances, the leader killed ${KILLS} times during churn: one writer at a time, no lost update`, async () => {
    const seed = runSeed() + 3;
    const rng = seededRandom(seed);
    rc = await startReliabilityCluster();
    const kc = rc.cluster.kubeConfig;
    const writes: RecordedWrite[] = [];
    let started = 0;
    const launch = async (): Promise<Instance> => {
      const name = `fo-${started++}`;
      const proxy = new RecordingProxy(name, new URL(rc.cluster.url), writes);
      await proxy.start();
      const op = await startOperator({
        kubeConfig: kubeConfigFor(proxy.url),
        identity: name,
        httpHost: '127.0.0.1',
        httpPort: 0,
        logLevel: process.env.PORTICO_TEST_LOG ?? 'silent',
        ...RELIABILITY_TIMINGS,
      });
      const inst = { name, proxy, op };
      live.push(inst);
      return inst;
    };
    for (let i = 0; i < INSTANCES; i++) await launch();

    const churn = new Churn(kc, rng, runCerts(3));
    let churning = true;
    const churnLoop = (async () => {
      while (churning) await churn.runFor(500, 60);
    })();

    const takeovers: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const leader = await waitForLeader(live, 15_000);
      await sleep(rng.between(500, 2500)); // let it publish and write statuses for a while
      const killedAt = Date.now();
      leader.proxy.kill();
      live.splice(live.indexOf(leader), 1);
      const stopping = leader.op.stop({ releaseLease: false });
      const next = await waitForLeader(live, 15_000);
      takeovers.push(Date.now() - killedAt);
      expect(next.name).to.not.equal(leader.name);
      await stopping;
      await leader.proxy.close();
      await launch(); // a replacement joins as a follower
    }
    churning = false;
    await churnLoop;
    const converged = await waitForConvergence(kc, 20_000);
    const { terms, violations } = termViolations(writes);

    const nonLeaseWrites = writes.filter((w) => !/\/leases/.test(w.path));
    const writers = new Set(nonLeaseWrites.map((w) => w.instance));
    recordSection(
      'leaderFailover',
      {
        scenario: 'Leader failover under churn',
        faultsInjected: KILLS,
        convergeP50Ms: percentile(takeovers, 50),
        convergeMaxMs: Math.max(...takeovers),
        inputs: churn.counts.ops,
        lostUpdates: converged.gaps.length,
        crashes: KILLS,
        notes: `${INSTANCES} instances; times are kill → new leader (lease ${RELIABILITY_TIMINGS.leaseDurationMs! / 1000} s); ${violations.length} writes outside the writer's term; final convergence ${converged.ms} ms`,
      },
      {
        seed,
        takeoversMs: takeovers,
        terms: terms.length,
        writesRecorded: nonLeaseWrites.length,
        writers: [...writers],
        violations: violations.slice(0, 10),
        churn: churn.counts,
        gaps: converged.gaps.slice(0, 10),
      },
    );
    expect(violations, "writes outside the writer's own leadership term").to.deep.equal([]);
    expect(converged.gaps, 'converged after the last failover').to.deep.equal([]);
    expect(terms.length, 'leadership terms seen').to.be.greaterThan(KILLS);
    expect(writers.size, 'several instances wrote, one after another').to.be.greaterThan(1);
    for (const t of takeovers) expect(t).to.be.lessThan(RELIABILITY_TIMINGS.leaseDurationMs! * 3);
  });
});

describe('reliability: the term check itself', () => {
  const w = (instance: string, path: string, sentAt: number, leaseHolder?: string): RecordedWrite => ({
    instance,
    method: 'PUT',
    path,
    sentAt,
    answeredAt: sentAt + 5,
    status: 200,
    leaseHolder,
  });
  const lease = '/apis/coordination.k8s.io/v1/namespaces/portico-system/leases/portico-leader';
  const status = '/apis/portico.dev/v1alpha1/namespaces/default/mappings/a/status';

  it("accepts writes inside the writer's terms and flags one after a takeover or before the first term", () => {
    const ok = [
      w('a', lease, 0, 'a'),
      w('a', status, 10),
      w('a', lease, 20, 'a'),
      w('b', lease, 100, 'b'),
      w('b', status, 110),
    ];
    expect(termViolations(ok).violations).to.deep.equal([]);
    const late = [...ok, w('a', status, 101), w('a', status, 120)];
    expect(termViolations(late).violations.map((v) => [v.write.sentAt, v.holderAtThatTime])).to.deep.equal([
      [101, '(changing hands)'],
      [120, 'b'],
    ]);
    const early = [w('a', status, 0), w('a', lease, 1, 'a')];
    expect(termViolations(early).violations).to.have.length(1);
    const afterRelease = [w('a', lease, 0, 'a'), w('a', lease, 50, ''), w('a', status, 60)];
    expect(termViolations(afterRelease).violations).to.have.length(1);
  });
});

async function waitForLeader(instances: Instance[], timeoutMs: number): Promise<Instance> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const leaders = instances.filter((i) => i.op.isLeader());
    if (leaders.length > 1) throw new Error(`two instances think they lead: ${leaders.map((l) => l.name).join(', ')}`);
    if (leaders.length === 1) return leaders[0];
    if (Date.now() > end) throw new Error('no leader elected');
    await sleep(20);
  }
}
