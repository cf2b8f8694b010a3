// Leader election on a coordination.k8s.io/v1 Lease, following client-go's tools/leaderelection:
// - a candidate judges expiry from the LOCAL time at which it last saw the record change, never from the
//   renewTime written by another clock;
// - every write is a PUT of the last read object (optimistic concurrency), so two candidates cannot both win;
// - the leader renews every retryPeriod; if it cannot renew within renewDeadline, or sees another holder, it
//   stops leading at once;
// - on shutdown it releases the Lease (holderIdentity "", leaseDurationSeconds 1) so a successor need not
//   wait out the full duration.
import { V1MicroTime, type V1Lease, type V1LeaseSpec } from '@kubernetes/client-node';
import type { LeaseStore } from './lease-store.js';
import { apiErrorCode, apiErrorMessage } from './api-error.js';
import type { Logger } from '../log/logger.js';

export interface LeaderElectionTiming {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export const DEFAULT_LEADER_TIMING: LeaderElectionTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};
const JITTER_FACTOR = 1.2;

/** client-go's config check: LeaseDuration > RenewDeadline > JitterFactor * RetryPeriod. */
export function checkLeaderTiming(t: LeaderElectionTiming): string | undefined {
  if (!(t.leaseDurationMs > t.renewDeadlineMs)) return 'leaseDuration must be greater than renewDeadline';
  if (!(t.renewDeadlineMs > JITTER_FACTOR * t.retryPeriodMs))
    return 'renewDeadline must be greater than 1.2 × retryPeriod';
  if (t.leaseDurationMs < 1000) return 'leaseDuration must be at least 1s (the Lease stores whole seconds)';
  if (t.retryPeriodMs <= 0) return 'retryPeriod must be positive';
  return undefined;
}

export interface LeaderElectorOptions extends LeaderElectionTiming {
  identity: string;
  store: LeaseStore;
  log: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  now?: () => number;
  random?: () => number;
}

export class LeaderElector {
  private observed: V1Lease | undefined;
  private observedRaw = '';
  private observedTime = 0;
  private leading = false;
  private lastRenew = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly opts: LeaderElectorOptions) {
    const problem = checkLeaderTiming(opts);
    if (problem) throw new Error(`leader election: ${problem}`);
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  /** True while this instance holds a Lease it renewed within renewDeadline. Check before every write. */
  isLeader(): boolean {
    return this.leading && this.now() - this.lastRenew < this.opts.renewDeadlineMs;
  }

  /**
   * Won the election and has not given up, even while isLeader() is false because a renewal is overdue:
   * once a renewal succeeds, isLeader() is true again without any callback.
   */
  get elected(): boolean {
    return this.leading;
  }

  /** The holder last seen in the Lease ('' when free). */
  get observedHolder(): string {
    return this.observed?.spec?.holderIdentity ?? '';
  }

  start(): void {
    this.loop ??= this.runLoop();
  }

  private get observedIsMine(): boolean {
    return this.observedHolder === this.opts.identity;
  }

  private leaseValid(now: number): boolean {
    const seconds = this.observed?.spec?.leaseDurationSeconds ?? 0;
    return this.observedTime + seconds * 1000 > now;
  }

  private setObserved(lease: V1Lease, now: number): void {
    this.observed = lease;
    this.observedRaw = JSON.stringify(lease.spec ?? {});
    this.observedTime = now;
  }

  /** One round of client-go's tryAcquireOrRenew. Returns true when we hold the Lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    const seconds = Math.round(this.opts.leaseDurationMs / 1000);
    const desired: V1LeaseSpec = {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: seconds,
      acquireTime: new V1MicroTime(now),
      renewTime: new V1MicroTime(now),
    };
    // Fast path: we are the leader and our lease is still valid: renew without a read.
    if (this.observed && this.observedIsMine && this.leaseValid(now)) {
      const spec = {
        ...desired,
        acquireTime: this.observed.spec?.acquireTime,
        leaseTransitions: this.observed.spec?.leaseTransitions ?? 0,
      };
      try {
        const updated = await this.opts.store.update({ ...this.observed, spec });
        this.setObserved(updated, now);
        return true;
      } catch (err) {
        this.opts.log.debug('lease renew fast path failed, re-reading', { error: apiErrorMessage(err) });
      }
    }
    let current: V1Lease | undefined;
    try {
      current = await this.opts.store.get();
    } catch (err) {
      this.opts.log.warn('cannot read the leader Lease', { error: apiErrorMessage(err) });
      return false;
    }
    if (!current) {
      try {
        const created = await this.opts.store.create({ ...desired, leaseTransitions: 0 });
        this.setObserved(created, now);
        return true;
      } catch (err) {
        this.opts.log.info('cannot create the leader Lease', { error: apiErrorMessage(err) });
        return false;
      }
    }
    const raw = JSON.stringify(current.spec ?? {});
    if (raw !== this.observedRaw) this.setObserved(current, now);
    else this.observed = current; // same record, newer metadata (resourceVersion) is harmless to keep
    if (this.observedHolder !== '' && this.leaseValid(now) && !this.observedIsMine) return false;

    const spec: V1LeaseSpec = { ...desired, leaseTransitions: current.spec?.leaseTransitions ?? 0 };
    if (this.observedIsMine) spec.acquireTime = current.spec?.acquireTime;
    else spec.leaseTransitions = (current.spec?.leaseTransitions ?? 0) + 1;
    try {
      const updated = await this.opts.store.update({ ...current, spec });
      this.setObserved(updated, now);
      return true;
    } catch (err) {
      const code = apiErrorCode(err);
      if (code !== 409) this.opts.log.warn('cannot update the leader Lease', { error: apiErrorMessage(err) });
      return false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async runLoop(): Promise<void> {
    while (!this.stopped) {
      // Candidate: try every retryPeriod with jitter until we win.
      if (!(await this.tryAcquireOrRenew())) {
        if (this.observedHolder) this.opts.log.debug('lease held by another instance', { holder: this.observedHolder });
        await this.sleep(this.opts.retryPeriodMs * (1 + JITTER_FACTOR * this.random()));
        continue;
      }
      if (this.stopped) break;
      this.leading = true;
      // Leadership counts from when the winning request was SENT, not answered: a competitor's lease clock
      // starts no earlier than the server's write, so a slow answer cannot stretch our term past theirs.
      this.lastRenew = this.observedTime;
      this.opts.log.info('became leader', { identity: this.opts.identity });
      this.opts.onStartedLeading();
      await this.renewLoop();
      if (this.stopped) break; // stop() releases the Lease and reports the end of leadership
      if (this.leading) {
        this.leading = false;
        this.opts.log.warn('lost leadership', { identity: this.opts.identity, holder: this.observedHolder });
        this.opts.onStoppedLeading();
      }
    }
  }

  /** Renew every retryPeriod; return when renewDeadline passes without a renewal or another holder shows up. */
  private async renewLoop(): Promise<void> {
    while (!this.stopped) {
      await this.sleep(this.opts.retryPeriodMs);
      if (this.stopped) return;
      const cycleStart = this.now();
      for (;;) {
        if (await this.tryAcquireOrRenew()) {
          this.lastRenew = this.observedTime; // send time of the successful renewal (see above)
          break;
        }
        if (this.stopped) return;
        if (this.observedHolder && !this.observedIsMine) return; // someone else holds it: stop now
        if (this.now() - cycleStart >= this.opts.renewDeadlineMs || !this.isLeader()) return;
        await this.sleep(this.opts.retryPeriodMs);
        if (this.stopped) return;
      }
    }
  }

  /** Stop campaigning; if leading, release the Lease so a successor takes over at once. */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    const wasLeading = this.leading;
    this.leading = false;
    if (wasLeading) this.opts.onStoppedLeading();
    if (!release || !wasLeading || !this.observed || !this.observedIsMine) return;
    const now = new V1MicroTime(this.now());
    try {
      await this.opts.store.update({
        ...this.observed,
        spec: {
          holderIdentity: '',
          leaseDurationSeconds: 1,
          acquireTime: now,
          renewTime: now,
          leaseTransitions: this.observed.spec?.leaseTransitions ?? 0,
        },
      });
      this.opts.log.info('released the leader Lease', { identity: this.opts.identity });
    } catch (err) {
      this.opts.log.warn('cannot release the leader Lease', { error: apiErrorMessage(err) });
    }
  }
}
