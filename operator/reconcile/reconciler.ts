// One reconcile: snapshot → compileSnapshot → renderEnvoyConfig → validateEnvoyBootstrap → the real Envoy
// check when there is a binary (operator/envoy-check/operator-check.ts) → publish (leader) → the Envoy rollout's
// progress → statuses and Events (leader). Followers compile too, so their diagnostics are warm and a takeover is
// fast. A run caused only by the rollout (a pod got Ready, a ReplicaSet scaled) reuses the last compile and check:
// the inputs did not change, only how far Envoy is in serving them. The Debouncer guarantees one run at a time.
import { compileSnapshot, type CompileOptions } from '../compile/index.js';
import type { ObjectStatus } from '../compile/types.js';
import { renderEnvoyConfig } from '../envoy/index.js';
import { validateEnvoyBootstrap, type ValidationIssue } from '../envoy-validate/index.js';
import type { GatewayIR } from '../compile/ir.js';
import type { EnvoyConfig } from '../envoy/index.js';
import type { EnvoyCheckOutcome } from '../envoy-check/operator-check.js';
import { API_VERSION } from '../api/types.js';
import type { ClusterCache } from '../kube/cluster-cache.js';
import type { ClusterWriter } from '../kube/cluster-writer.js';
import { apiErrorMessage } from '../kube/api-error.js';
import type { OperatorMetrics } from '../metrics/operator-metrics.js';
import type { Logger } from '../log/logger.js';
import type { EventRecorder } from './events.js';
import type { Publisher } from './publisher.js';
import { finalConditions, rejectionOf, type PublishOutcome } from './status.js';
import { writeStatuses } from './status-writer.js';
import { templateHash } from '../publish/template-refs.js';
import type { RolloutFacts } from '../kube/rollout-facts.js';
import { rolloutProgress, type RolloutView } from './rollout-progress.js';
import { programmedOutcomes, type RolledBack } from './programmed.js';
import { foreignHashOwners } from './rollback.js';
import type { ServedConfigs } from './served-configs.js';
import { FIELD_MANAGER } from '../kube/cluster-writer.js';
import type { Snapshot } from '../compile/types.js';

export interface ReconcilerDeps {
  cache: ClusterCache;
  publisher: Publisher;
  writer: ClusterWriter;
  events: EventRecorder;
  metrics: OperatorMetrics;
  log: Logger;
  isLeader: () => boolean;
  /**
   * Elected, even if isLeader() is momentarily false because the last renewal is older than the renew
   * deadline (e.g. a long synchronous compile blocked the event loop). The next renewal restores isLeader()
   * without any leadership callback, so a run skipped meanwhile must ask for a retry itself.
   */
  isElected?: () => boolean;
  namespace: string;
  deploymentName: string;
  /** The Envoy config check (default validateEnvoyBootstrap); replaceable so tests can force a rejection. */
  validate?: (bootstrap: unknown) => ValidationIssue[];
  /** Real Envoy's verdict on a config that passed `validate` (EnvoyConfigCheck.check); absent: no binary. */
  envoyCheck?: (config: EnvoyConfig, ir: GatewayIR) => Promise<EnvoyCheckOutcome>;
  /** Ask for another run later (after an error, or while the Deployment is missing). */
  retryLater: (delayMs: number) => void;
  /** Policy for the compiler (host ownership, ExternalName Services, cluster domain); safe defaults when absent. */
  compileOptions?: Partial<CompileOptions>;
  /** The Envoy Deployment, its ReplicaSets and pods (kube/envoy-rollout-cache.ts). */
  rollout: { facts(): RolloutFacts; readonly settled: boolean };
  /** What the configs Envoy pods run amount to, object by object. */
  served: ServedConfigs;
}

export interface LatestRun {
  ir: GatewayIR;
  /** Each object's conditions as written (Programmed included). */
  statuses: ObjectStatus[];
  mappings: Snapshot['mappings'];
}

/** What the HTTP endpoints show. */
export interface ReconcileState {
  lastGood?: { hash: string; json: string };
  /** The Deployment points at lastGood (as far as this instance, when leader, has seen). */
  published: boolean;
  deploymentMissing: boolean;
  /** The Envoy rollout as last judged (for /readyz and diagnostics). */
  rollout?: RolloutView;
  /** The Deployment is left at an older config someone chose. */
  rolledBack?: RolledBack;
  invalidIssues?: ValidationIssue[];
  lastError?: string;
  /** What the latest run compiled and concluded, object by object (the diagnostics endpoints read it). */
  latest?: LatestRun;
  runs: number;
}

const RETRY_MIN_MS = 500;
// Reconciling an unchanged cluster writes nothing, so retrying often is cheap; a long cap only delays recovery
// after an API outage when no watch event comes along to trigger a run.
const RETRY_MAX_MS = 5_000;
const LAPSE_RETRY_MS = 250;

interface Compiled {
  snapshot: Snapshot;
  ir: GatewayIR;
  statuses: ObjectStatus[];
  config: EnvoyConfig;
  issues: ValidationIssue[];
  /** The real Envoy check's verdict, when it ran. */
  real?: EnvoyCheckOutcome;
}

export class Reconciler {
  readonly state: ReconcileState = { published: false, deploymentMissing: false, runs: 0 };
  private failures = 0;
  private statusFailures = 0;
  private compiled: Compiled | undefined;
  private inputsChanged = true;
  /** When the change behind each rolled-out config was first seen, for the event → served metric. */
  private readonly rolledAt = new Map<string, number>();

  constructor(private readonly d: ReconcilerDeps) {}

  private get deploymentRef() {
    return { apiVersion: 'apps/v1', kind: 'Deployment', namespace: this.d.namespace, name: this.d.deploymentName };
  }

  /** The compiler's inputs changed (or may have: a resync): the next run compiles again. */
  invalidate(): void {
    this.inputsChanged = true;
  }

  async run(firstEventAt: number): Promise<void> {
    if (!this.d.cache.readyToCompile) return; // each informer's first sync triggers another run
    if (!this.d.rollout.settled) {
      this.d.log.debug('waiting for the Envoy rollout watches to list'); // so does theirs; half a picture would make Programmed flap
      return;
    }
    const end = this.d.metrics.reconcileDuration.startTimer();
    try {
      const result = await this.reconcileOnce(firstEventAt);
      this.failures = 0;
      this.state.lastError = undefined;
      end({ result });
    } catch (err) {
      end({ result: 'error' });
      this.state.lastError = apiErrorMessage(err);
      const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.failures++);
      this.d.log.error('reconcile failed; retrying', { error: this.state.lastError, delayMs: delay });
      this.d.retryLater(delay);
    } finally {
      this.state.runs++;
    }
  }

  private async compile(): Promise<Compiled> {
    const snapshot = this.d.cache.snapshot(new Date());
    const cached = this.d.metrics.cachedObjects;
    cached.set({ kind: 'Mapping' }, snapshot.mappings.length);
    cached.set({ kind: 'TLSContext' }, snapshot.tlsContexts.length);
    cached.set({ kind: 'Service' }, snapshot.services.length);
    cached.set({ kind: 'Secret' }, snapshot.secrets.length);
    const { ir, statuses } = compileSnapshot(snapshot, this.d.compileOptions);
    const config = renderEnvoyConfig(ir);
    const issues = (this.d.validate ?? validateEnvoyBootstrap)(config.bootstrap);
    const real = issues.length === 0 && this.d.envoyCheck ? await this.d.envoyCheck(config, ir) : undefined;
    if (real?.kind === 'failed') this.d.log.warn('the Envoy check did not run; publishing on the proto check alone', { hash: config.hash, error: real.message });
    if (real?.kind === 'accepted') this.d.log.info('Envoy accepted the generated config', { hash: config.hash, ms: real.ms });
    return { snapshot, ir, statuses, config, issues, real };
  }

  private async reconcileOnce(firstEventAt: number): Promise<string> {
    const { cache, log } = this.d;
    if (this.inputsChanged || !this.compiled) {
      this.inputsChanged = false; // before: a change seen while this compile runs asks for the next one
      try {
        this.compiled = await this.compile();
      } catch (err) {
        this.inputsChanged = true;
        throw err;
      }
    }
    const { snapshot, ir, statuses, config, issues, real } = this.compiled;
    const leader = this.d.isLeader();
    let outcome: PublishOutcome | ((key: string) => PublishOutcome) | undefined;
    let result: string;
    /** `Kind/<ns>/<name>` → the rejection to report on that object (a certificate too large, Envoy's refusal). */
    const refusals = new Map<string, { reason: string; message: string }>();
    let collectGarbage: (() => Promise<string[]>) | undefined;
    let publishError: unknown;

    if (issues.length > 0) {
      this.state.invalidIssues = issues;
      const keep = this.state.lastGood ? `the last good configuration ${this.state.lastGood.hash} stays in place` : 'nothing has been published';
      const message = `The generated Envoy configuration ${config.hash} failed validation (${issues.length} issue(s), first: ${issues[0].path}: ${issues[0].message}); ${keep}`;
      log.error('generated Envoy config is invalid; not publishing it', { hash: config.hash, issues: issues.slice(0, 10) });
      outcome = { kind: 'not-programmed', reason: 'Invalid', message };
      if (leader) await this.d.events.record(this.deploymentRef, 'Warning', 'InvalidConfig', message);
      result = 'invalid';
    } else if (real?.kind === 'rejected') {
      this.state.invalidIssues = [{ path: 'envoy --mode validate', message: real.message }];
      const keep = this.state.lastGood ? `the last good configuration ${this.state.lastGood.hash} stays in place` : 'nothing has been published';
      const message = `Envoy refused the generated configuration ${config.hash}: ${real.message}; ${keep}`;
      const culprits = real.objects.map((o) => `${o.kind} ${o.namespace}/${o.name}`);
      const others = culprits.length > 0 ? `The generated configuration ${config.hash} was not published: Envoy refused it because of ${culprits.slice(0, 5).join(', ')}${culprits.length > 5 ? ` and ${culprits.length - 5} more` : ''}; ${keep}` : message;
      log.error('Envoy refused the generated config; not publishing it', { hash: config.hash, envoy: real.message, objects: culprits });
      for (const o of real.objects) refusals.set(`${o.kind}/${o.namespace}/${o.name}`, { reason: 'InvalidConfig', message });
      outcome = { kind: 'not-programmed', reason: 'InvalidConfig', message: others, objects: new Map([...refusals].map(([k, v]) => [k, v.message])) };
      if (leader) await this.d.events.record(this.deploymentRef, 'Warning', 'InvalidConfig', message);
      result = 'invalid';
    } else {
      this.state.invalidIssues = undefined;
      this.state.lastGood = { hash: config.hash, json: config.json };
      this.d.served.offer(config.hash, () => ({ bootstrap: config.bootstrap, certFiles: config.certFiles }));
      this.d.metrics.configBytes.set(Buffer.byteLength(config.json));
      if (!leader) {
        result = 'follower';
        outcome = await this.programmed(config.hash, undefined, this.followerRollback(config.hash));
      } else {
        let pub: Awaited<ReturnType<Publisher['publish']>> | undefined;
        try {
          pub = await this.d.publisher.publish(config);
        } catch (err) {
          // Say so on every object (after which the caller logs it and retries with back-off), not only in the log.
          publishError = err;
          const message = `The Envoy configuration ${config.hash} could not be published: ${apiErrorMessage(err)}; the configuration already published stays in place`;
          outcome = { kind: 'not-programmed', reason: 'PublishFailed', message };
        }
        if (!pub) {
          result = 'error';
        } else if (pub.refused) {
          // Nothing was written: the Deployment keeps the configuration it has.
          const message = `The generated Envoy configuration ${config.hash} cannot be published: ${pub.refused.message}; the configuration already published stays in place`;
          await this.d.events.record(this.deploymentRef, 'Warning', 'ConfigTooLarge', message);
          outcome = { kind: 'not-programmed', reason: pub.refused.reason, message };
          const files = new Set(pub.refused.oversized.map((f) => f.file));
          for (const c of ir.tls.contexts) if (files.has(c.certFile) || files.has(c.keyFile)) refusals.set(`TLSContext/${c.name}`, { reason: 'TooLarge', message });
          result = 'refused';
        } else {
          collectGarbage = pub.collectGarbage;
          // Published: the Deployment points at it, or is left at a rollback someone chose.
          this.state.published = pub.deploymentPointsAtConfig || !!pub.rolledBack;
          this.state.deploymentMissing = pub.deploymentMissing;
          this.state.rolledBack = pub.rolledBack;
          if (pub.rolled) {
            this.d.metrics.eventToPublished.observe((Date.now() - firstEventAt) / 1000);
            this.rolledAt.set(config.hash, firstEventAt);
          }
          if (pub.deploymentMissing) {
            log.warn('Envoy Deployment missing', { deployment: { kind: 'Deployment', namespace: this.d.namespace, name: this.d.deploymentName }, hash: config.hash });
            await this.d.events.record(
              this.deploymentRef,
              'Warning',
              'DeploymentNotFound',
              `Deployment ${this.d.namespace}/${this.d.deploymentName} not found: configuration ${config.hash} is published but no Envoy picks it up`,
            );
          } else {
            this.d.events.forget(this.deploymentRef);
          }
          // The Deployment as the publish left it (our own patch included): the watch may not have delivered it yet.
          outcome = await this.programmed(config.hash, pub.deploymentMissing ? null : pub.rolled ? pub.deployment : undefined, pub.rolledBack);
          result = pub.rolled || pub.objectsWritten ? 'published' : 'unchanged';
        }
      }
    }

    if (this.d.isElected?.() && !(leader && this.d.isLeader())) {
      log.info('leadership lapsed during this reconcile (renewal overdue); retrying shortly');
      this.d.retryLater(LAPSE_RETRY_MS);
    }
    const outcomeOf = (s: ObjectStatus): PublishOutcome | undefined =>
      typeof outcome === 'function' ? outcome(`${s.ref.kind}/${s.ref.namespace}/${s.ref.name}`) : outcome;
    if (leader && this.d.isLeader() && outcome) {
      const byKey = new Map<string, unknown>();
      for (const o of cache.mappingObjects()) byKey.set(`Mapping/${o.metadata.namespace}/${o.metadata.name}`, o);
      for (const o of cache.tlsContextObjects()) byKey.set(`TLSContext/${o.metadata.namespace}/${o.metadata.name}`, o);
      const cached = (kind: string, ns: string, name: string) => byKey.get(`${kind}/${ns}/${name}`) as never;
      // The conditions objects carried before this run's writes: a rejection already on an object was
      // reported (status and Event) by an earlier leader, so a restart or failover does not repeat the Event.
      const reportedBefore = new Map<string, Array<{ reason?: string; message?: string }>>();
      for (const [key, o] of byKey) reportedBefore.set(key, ((o as { status?: { conditions?: [] } }).status?.conditions ?? []).slice());
      const w = await writeStatuses(this.d.writer, statuses, (s) => outcomeOf(s)!, cached, log);
      if (w.written) log.info('statuses written', { written: w.written, unchanged: w.unchanged, failed: w.failed });
      // A failed status write (API error, timeout) is retried by a later run: nothing else would trigger one,
      // since our own successful writes are the only events the failed objects would see.
      if (w.failed > 0) this.d.retryLater(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.statusFailures++));
      else this.statusFailures = 0;
      await this.recordRejections(statuses, refusals, reportedBefore);
    }
    if (publishError !== undefined) throw publishError;
    if (collectGarbage && this.d.isLeader()) await collectGarbage();
    const finalStatuses: ObjectStatus[] = outcome ? statuses.map((s) => ({ ...s, conditions: finalConditions(s, outcomeOf(s)!) })) : statuses;
    this.state.latest = { ir, statuses: finalStatuses, mappings: snapshot.mappings };
    this.countConditions(finalStatuses);
    return result;
  }

  /**
   * Each object's Programmed outcome from the rollout: `deployment` overrides the watched Deployment (null: it is
   * gone; an object: what our own patch returned, newer than the watch may be).
   */
  private async programmed(latest: string, deployment: RolloutFacts['deployment'] | null | undefined, rolledBack: RolledBack | undefined) {
    const facts = this.d.rollout.facts();
    if (deployment === null) facts.deployment = undefined;
    else if (deployment) facts.deployment = deployment;
    const rollout = rolloutProgress(facts);
    this.state.rollout = rollout;
    const complete = rollout.phase === 'complete' && rollout.hash === latest;
    if (complete) {
      const at = this.rolledAt.get(latest);
      if (at !== undefined) this.d.metrics.eventToServed.observe((Date.now() - at) / 1000);
    }
    if (complete || rollout.phase === 'missing') this.rolledAt.clear();
    const needed = complete ? [] : [latest, ...(rollout.hash ? [rollout.hash] : []), ...rollout.serving.flatMap((s) => (s.hash ? [s.hash] : []))];
    const fingerprints = await this.d.served.load(needed);
    return programmedOutcomes({ latest, rollout, rolledBack, fingerprints });
  }

  /** A follower's reading of a rollback (the leader's publisher decides; this only labels the diagnostics). */
  private followerRollback(latest: string): RolledBack | undefined {
    const d = this.d.rollout.facts().deployment;
    const hash = templateHash(d);
    const by = foreignHashOwners(d, FIELD_MANAGER);
    return hash && hash !== latest && by.length > 0 ? { hash, by: by.join(', ') } : undefined;
  }

  private async recordRejections(
    statuses: ObjectStatus[],
    refusals: ReadonlyMap<string, { reason: string; message: string }>,
    reportedBefore: ReadonlyMap<string, Array<{ reason?: string; message?: string }>>,
  ): Promise<void> {
    // Forget objects that are gone, so the dedup memory stays as large as the cluster, not its history.
    this.d.events.retainOnly(['Mapping', 'TLSContext'], statuses.map((s) => ({ apiVersion: API_VERSION, kind: s.ref.kind, namespace: s.ref.namespace, name: s.ref.name, uid: s.ref.uid })));
    for (const s of statuses) {
      const involved = { apiVersion: API_VERSION, kind: s.ref.kind, namespace: s.ref.namespace, name: s.ref.name, uid: s.ref.uid };
      const rejection = refusals.get(`${s.ref.kind}/${s.ref.namespace}/${s.ref.name}`) ?? rejectionOf(s);
      if (!rejection) {
        await this.d.events.recovered(involved);
        continue;
      }
      const onObject = reportedBefore.get(`${s.ref.kind}/${s.ref.namespace}/${s.ref.name}`) ?? [];
      if (!this.d.events.knows(involved) && onObject.some((c) => c.reason === rejection.reason && c.message === rejection.message)) {
        this.d.events.remember(involved, 'Warning', rejection.reason, rejection.message);
      } else {
        await this.d.events.record(involved, 'Warning', rejection.reason, rejection.message);
      }
    }
  }

  private countConditions(statuses: ObjectStatus[]): void {
    const g = this.d.metrics.objectsByCondition;
    g.reset();
    for (const s of statuses) for (const c of s.conditions) g.inc({ kind: s.ref.kind, condition: c.type, status: c.status });
  }
}
