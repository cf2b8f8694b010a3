// Issue 7 item 1: API faults during churn. A seeded script creates, updates and deletes Mappings, TLSContexts,
// Services and TLS Secrets while faults hit the operator: watches closed mid-stream, 410 Expired on watches,
// 429 and 500 answers, latency spikes, a network partition that leaves half-open connections (fault proxy),
// connection resets, the API server refusing connections, and an API server restart that keeps its state.
// After the faults stop, the published config must equal a from-scratch render of the objects the API server
// holds and every status must match the from-scratch compile, within a bound. Reported: faults, time to
// converge (p50/max over rounds), rollouts, lost updates (rounds or objects not converged: must be 0).
import { expect } from 'chai';
import type { FaultCounts } from '../../operator/apiserver/test-hooks/faults.js';
import { Churn } from './support/churn.js';
import { convergenceGaps, deploymentState, waitForConvergence } from './support/convergence.js';
import { percentile, sleep, startReliabilityCluster, type ReliabilityCluster } from './support/reliability-cluster.js';
import { recordSection } from './support/report.js';
import { FULL, runSeed, seededRandom, type Random } from './support/seeded-random.js';
import { runCerts } from './support/test-certs.js';

const ROUNDS = FULL ? 6 : 2;
const CHURN_MS = FULL ? 20_000 : 5_000;
const REFUSE_MS = FULL ? 10_000 : 3_000;
const PARTITION_MS = FULL ? 4_000 : 1_500;
const CONVERGE_BOUND_MS = 30_000;

type FaultName =
  'closeWatches' | 'watch410' | 'answer429' | 'answer500' | 'latency' | 'partition' | 'reset' | 'refuse' | 'restart';

/** Injects seeded random faults until stopped; counts what it did. */
class FaultScript {
  readonly injected: Record<FaultName, number> = {
    closeWatches: 0,
    watch410: 0,
    answer429: 0,
    answer500: 0,
    latency: 0,
    partition: 0,
    reset: 0,
    refuse: 0,
    restart: 0,
  };
  private stopped = false;
  private readonly pending: Promise<unknown>[] = [];

  constructor(
    private readonly rc: ReliabilityCluster,
    private readonly rng: Random,
  ) {}

  async run(churnMs: number): Promise<void> {
    const faults = this.rc.cluster.server.faults;
    // One refusal and one restart per round, at random moments; the rest at random every 0.25–0.7 s.
    const refuseAt = Date.now() + this.rng.between(0.1, 0.5) * churnMs;
    const restartAt = Date.now() + this.rng.between(0.55, 0.9) * churnMs;
    let refusal: Promise<void> | undefined;
    let restarted = false;
    while (!this.stopped) {
      const now = Date.now();
      if (!refusal && now >= refuseAt) {
        this.injected.refuse++;
        refusal = faults.refuseConnections(REFUSE_MS);
        this.pending.push(refusal);
      } else if (!restarted && now >= restartAt) {
        restarted = true;
        this.injected.restart++;
        // Not while the port is closed for the refusal: reopening twice would collide.
        this.pending.push((refusal ?? Promise.resolve()).then(() => faults.restart()));
      } else {
        const f = this.rng.pick<FaultName>([
          'closeWatches',
          'watch410',
          'answer429',
          'answer500',
          'latency',
          'partition',
          'reset',
        ]);
        this.injected[f]++;
        switch (f) {
          case 'closeWatches':
            faults.closeWatches();
            break;
          case 'watch410':
            faults.failNext(1 + this.rng.int(2), { status: 410, path: /watch=true/ });
            break;
          case 'answer429':
            faults.failNext(1 + this.rng.int(3), { status: 429, retryAfterSeconds: 1, ...this.operatorRequests() });
            break;
          case 'answer500':
            faults.failNext(1 + this.rng.int(3), { status: 500, ...this.operatorRequests() });
            break;
          case 'latency': {
            faults.addLatency(Math.round(this.rng.between(200, 1000)));
            this.pending.push(sleep(1000).then(() => faults.clearLatency()));
            break;
          }
          case 'partition':
            this.rc.proxy.partition();
            this.pending.push(sleep(PARTITION_MS).then(() => this.rc.proxy.heal()));
            break;
          case 'reset':
            this.rc.proxy.reset();
            break;
        }
      }
      await sleep(this.rng.between(250, 700));
    }
  }

  /**
   * Aim answered faults at the operator's traffic (the churn script only PATCHes and DELETEs outside
   * portico-system): its reads, watches, status PUTs, Event POSTs, Lease calls, or its publishing.
   */
  private operatorRequests(): { method?: RegExp; path?: RegExp } {
    return this.rng.chance(0.7) ? { method: /^(GET|PUT|POST)$/ } : { path: /portico-system/ };
  }

  /** Stop injecting, and wait until every fault in progress is over (refusal reopened, latency cleared, healed). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.pending);
    this.rc.cluster.server.faults.clearLatency();
    this.rc.proxy.heal();
  }

  get total(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }
}

describe('reliability: API faults during churn', function () {
  this.timeout(ROUNDS * (CHURN_MS + REFUSE_MS + CONVERGE_BOUND_MS) + 60_000);
  let rc: ReliabilityCluster;
  after(async () => rc?.stop());

  it(`${ROUNDS} rounds of seeded churn under faults converge to the from-scratch render with correct statuses and no lost update`, async () => {
    const seed = runSeed();
    const rng = seededRandom(seed);
    rc = await startReliabilityCluster();
    const certs = runCerts(3);
    const churn = new Churn(rc.cluster.kubeConfig, rng, certs);
    const op = await rc.startOperator({ identity: 'churn-op' });
    const initial = await waitForConvergence(rc.cluster.kubeConfig, 15_000);
    expect(initial.gaps, 'initial convergence').to.deep.equal([]);

    const converge: number[] = [];
    const rounds: unknown[] = [];
    let lostUpdates = 0;
    let rollouts = 0;
    let faultsTotal = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const before = await deploymentState(rc.cluster.kubeConfig);
      const faults = new FaultScript(rc, rng);
      const serverBefore: FaultCounts = { ...rc.cluster.server.faults.counts };
      const faulting = faults.run(CHURN_MS);
      await churn.runFor(CHURN_MS, 40);
      await faults.stop();
      await faulting;
      const result = await waitForConvergence(rc.cluster.kubeConfig, CONVERGE_BOUND_MS);
      const after = await deploymentState(rc.cluster.kubeConfig);
      const serverCounts = rc.cluster.server.faults.counts;
      const serverFaults = (Object.keys(serverCounts) as Array<keyof FaultCounts>).reduce(
        (n, k) => n + serverCounts[k] - serverBefore[k],
        0,
      );
      const row = {
        round,
        convergeMs: result.ms,
        gaps: result.gaps.slice(0, 10),
        rollouts: after.generation - before.generation,
        faults: faults.injected,
        // what actually hit requests at the server (failNext counts only answered faults; closed watches count each stream)
        serverFaultEvents: serverFaults,
      };
      rounds.push(row);
      if (result.gaps.length > 0) lostUpdates += result.gaps.length;
      else converge.push(result.ms);
      rollouts += row.rollouts;
      faultsTotal += faults.total;
    }
    const metrics = await fetch(`http://127.0.0.1:${op.httpPort}/metrics`).then((r) => r.text());
    const restarts = metrics
      .split('\n')
      .filter((l) => l.startsWith('portico_informer_restarts_total{'))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    recordSection(
      'apiFaults',
      {
        scenario: 'API faults during churn',
        faultsInjected: faultsTotal,
        convergeP50Ms: percentile(converge, 50),
        convergeMaxMs: Math.max(...converge),
        rollouts,
        inputs: churn.counts.ops,
        lostUpdates,
        crashes: 0,
        notes: `${ROUNDS} rounds × ${CHURN_MS / 1000} s churn; refusal ${REFUSE_MS / 1000} s; partition ${PARTITION_MS / 1000} s`,
      },
      { seed, churn: churn.counts, rounds, informerRestarts: restarts, proxy: rc.proxy.counts },
    );
    expect(lostUpdates, JSON.stringify(rounds, null, 2)).to.equal(0);
    expect(await convergenceGaps(rc.cluster.kubeConfig)).to.deep.equal([]);
    // Enough writes landed for the churn to mean something; on a loaded machine the faults make many unreachable.
    expect(churn.counts.applied + churn.counts.deleted, JSON.stringify(churn.counts)).to.be.at.least(
      Math.ceil(churn.counts.ops / 4),
    );
    expect(faultsTotal).to.be.greaterThan(ROUNDS * 5);
    expect(restarts, 'the faults really made informers restart').to.be.greaterThan(0);
  });
});
