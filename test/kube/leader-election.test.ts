import { expect } from 'chai';
import type { V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import { LeaderElector, checkLeaderTiming } from '../../operator/kube/leader-election.js';
import type { LeaseStore } from '../../operator/kube/lease-store.js';
import { createLogger } from '../../operator/log/logger.js';

// An in-memory Lease with the API server's optimistic concurrency (PUT must carry the current
// resourceVersion), so the elector's client-go algorithm is exercised step by step on a manual clock.
// The integration suite runs the same elector against the embedded API server.
class MemoryLease implements LeaseStore {
  lease: V1Lease | undefined;
  rv = 0;
  writes: V1LeaseSpec[] = [];
  async get() {
    return this.lease && structuredClone(this.lease);
  }
  async create(spec: V1LeaseSpec) {
    if (this.lease) throw Object.assign(new Error('exists'), { code: 409 });
    this.lease = {
      metadata: { name: 'l', resourceVersion: String(++this.rv) },
      spec: JSON.parse(JSON.stringify(spec)),
    };
    this.writes.push(this.lease.spec!);
    return structuredClone(this.lease);
  }
  async update(lease: V1Lease) {
    if (!this.lease || lease.metadata?.resourceVersion !== this.lease.metadata?.resourceVersion)
      throw Object.assign(new Error('conflict'), { code: 409 });
    this.lease = {
      metadata: { name: 'l', resourceVersion: String(++this.rv) },
      spec: JSON.parse(JSON.stringify(lease.spec)),
    };
    this.writes.push(this.lease.spec!);
    return structuredClone(this.lease);
  }
}

const log = createLogger({ level: 'silent' });
const timing = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function elector(store: LeaseStore, identity: string, clock: { t: number }) {
  return new LeaderElector({
    ...timing,
    identity,
    store,
    log,
    now: () => clock.t,
    onStartedLeading: () => undefined,
    onStoppedLeading: () => undefined,
  });
}

describe('operator: leader election (client-go algorithm)', () => {
  it('rejects timings client-go rejects', () => {
    expect(checkLeaderTiming(timing)).to.equal(undefined);
    expect(checkLeaderTiming({ ...timing, renewDeadlineMs: 15_000 })).to.match(/greater than renewDeadline/);
    expect(checkLeaderTiming({ ...timing, retryPeriodMs: 9_000 })).to.match(/1.2/);
  });

  it('creates the Lease, writes 6-digit MicroTimes, and a second candidate waits a full duration from its own observation', async () => {
    const store = new MemoryLease();
    const clock = { t: Date.parse('2025-01-01T00:00:00.123Z') };
    const a = elector(store, 'a', clock);
    const b = elector(store, 'b', clock);
    expect(await a.tryAcquireOrRenew()).to.equal(true);
    expect(store.lease!.spec!.holderIdentity).to.equal('a');
    expect(store.lease!.spec!.leaseDurationSeconds).to.equal(15);
    expect(JSON.parse(JSON.stringify(store.writes[0])).renewTime).to.equal('2025-01-01T00:00:00.123000Z');

    clock.t += 1000;
    expect(await b.tryAcquireOrRenew()).to.equal(false); // b observes a's record at t+1s
    clock.t += 20_000; // a stops renewing (crashed); renewTime is long past, but b's clock started at t+1s
    expect(await b.tryAcquireOrRenew()).to.equal(true);
    expect(store.lease!.spec!.holderIdentity).to.equal('b');
    expect(store.lease!.spec!.leaseTransitions).to.equal(1);
  });

  it('a candidate that keeps seeing renewals never takes over', async () => {
    const store = new MemoryLease();
    const clock = { t: 1_700_000_000_000 };
    const a = elector(store, 'a', clock);
    const b = elector(store, 'b', clock);
    await a.tryAcquireOrRenew();
    for (let i = 0; i < 20; i++) {
      clock.t += 2_000;
      expect(await a.tryAcquireOrRenew()).to.equal(true);
      expect(await b.tryAcquireOrRenew()).to.equal(false);
    }
    expect(store.lease!.spec!.leaseTransitions).to.equal(0);
  });

  it('renewal keeps acquireTime and transitions; a stale write conflicts instead of overwriting', async () => {
    const store = new MemoryLease();
    const clock = { t: 1_700_000_000_000 };
    const a = elector(store, 'a', clock);
    await a.tryAcquireOrRenew();
    const acquired = JSON.parse(JSON.stringify(store.lease!.spec)).acquireTime;
    clock.t += 2_000;
    await a.tryAcquireOrRenew();
    const spec = JSON.parse(JSON.stringify(store.lease!.spec));
    expect(spec.acquireTime).to.equal(acquired);
    expect(spec.renewTime).to.not.equal(acquired);
    // someone else writes behind a's back: a's fast-path PUT conflicts, it re-reads and sees another holder
    store.lease = {
      metadata: { name: 'l', resourceVersion: String(++store.rv) },
      spec: { ...store.lease!.spec, holderIdentity: 'c' },
    };
    clock.t += 2_000;
    expect(await a.tryAcquireOrRenew()).to.equal(false);
    expect(store.lease!.spec!.holderIdentity).to.equal('c');
  });

  it('release clears holderIdentity so a successor takes over at once', async () => {
    const store = new MemoryLease();
    const clock = { t: 1_700_000_000_000 };
    let started = 0;
    let stopped = 0;
    const a = new LeaderElector({
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 200,
      identity: 'a',
      store,
      log,
      onStartedLeading: () => started++,
      onStoppedLeading: () => stopped++,
    });
    a.start();
    const deadline = Date.now() + 2000;
    while (!a.isLeader() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(a.isLeader()).to.equal(true);
    await a.stop();
    expect(a.isLeader()).to.equal(false);
    expect([started, stopped]).to.deep.equal([1, 1]);
    expect(store.lease!.spec!.holderIdentity).to.equal('');
    expect(store.lease!.spec!.leaseDurationSeconds).to.equal(1);
    const b = elector(store, 'b', clock);
    expect(await b.tryAcquireOrRenew()).to.equal(true);
  });
});
