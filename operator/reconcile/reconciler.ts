// One reconcile: snapshot → compileSnapshot → renderEnvoyConfig → validateEnvoyBootstrap → the real Envoy
// check when there is a binary (operator/envoy-check/operator-check.ts) → publish (leader) → the Envoy rollout's
// progress → statuses and Events (leader). Followers compile too, so their diagnostics are warm and a takeover is
// fast. A run caused only by the rollout (a pod got Ready, a ReplicaSet scaled) reuses the last compile and check:
// the inputs did not change, only how far Envoy is in serving them. The Debouncer guarantees one run at a time.
// What to publish, report and show is decided in plan.ts (pure); this file does the I/O between the decisions.
import { compileSnapshot, type CompileOptions } from '../compile/index.js';
import type { ObjectStatus } from '../compile/types.js';
import { renderEnvoyConfig } from '../envoy/index.js';
import { validateEnvoyBootstrap, type ValidationIssue } from '../envoy-validate/index.js';
import type { GatewayIR } from '../compile/ir.js';
import type { EnvoyConfig } from '../envoy/index.js';
import type { EnvoyCheckOutcome } from '../envoy-check/operator-check.js';
import type { ClusterCache } from '../kube/cluster-cache.js';
import type { ClusterApi } from '../kube/cluster-writer.js';
import { backoffDelayMs, type BackoffPolicy } from '../kube/backoff.js';
import { apiErrorMessage } from '../kube/api-error.js';
import type { OperatorMetrics } from '../metrics/operator-metrics.js';
import type { Logger } from '../log/logger.js';
import type { EventRecorder } from './events.js';
import type { Publisher } from './publisher.js';
import {
  fingerprintsNeeded,
  judgeConfig,
  judgePublish,
  planDiagnostics,
  planReport,
  type Outcomes,
  type Rejection,
} from './plan.js';
import { writeStatuses } from './status-writer.js';
import { templateHash } from '../publish/template-refs.js';
import type { RolloutFacts } from '../kube/rollout-facts.js';
import { rolloutProgress, type RolloutView } from './rollout-progress.js';
import { programmedOutcomes, type RolledBack } from './programmed.js';
import { foreignHashOwners } from './rollback.js';
import type { ServedConfigs } from './served-configs.js';
import { FIELD_MANAGER } from '../kube/cluster-writer.js';
import type { Snapshot } from '../compile/types.js';
import type { ConnectedEnvoy } from '../xds/ads-server.js';
import { xdsProgress } from './xds-progress.js';

export interface ReconcilerDeps {
  /** The compiler's inputs, as the informers have them. */
  cache: Pick<ClusterCache, 'readyToCompile' | 'snapshot' | 'mappingObjects' | 'tlsContextObjects'>;
  publisher: Publisher;
  writer: ClusterApi;
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
  /**
   * `xds` delivery: what this replica's xDS server serves and what its connected Envoys ACKed; Programmed is
   * judged from them instead of the Deployment's rollout.
   */
  xds?: { served(): string | undefined; connected(): ConnectedEnvoy[] };
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

// Reconciling an unchanged cluster writes nothing, so retrying often is cheap; a long cap only delays recovery
// after an API outage when no watch event comes along to trigger a run. One run at a time: no jitter needed.
const RETRY: BackoffPolicy = { initialMs: 500, maxMs: 5_000, jitter: 0 };
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
      const delay = backoffDelayMs(RETRY, this.failures++);
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
    if (real?.kind === 'failed')
      this.d.log.warn('the Envoy check did not run; publishing on the proto check alone', {
        hash: config.hash,
        error: real.message,
      });
    if (real?.kind === 'accepted')
      this.d.log.info('Envoy accepted the generated config', { hash: config.hash, ms: real.ms });
    return { snapshot, ir, statuses, config, issues, real };
  }

  /** Carries out what plan.ts decides, step by step: each step's I/O gives the next decision its input. */
  private async reconcileOnce(firstEventAt: number): Promise<string> {
    const { snapshot, ir, statuses, config, issues, real } = await this.compiledInputs();
    const { log, events } = this.d;
    const leader = this.d.isLeader();
    let outcomes: Outcomes | undefined;
    let refusals: ReadonlyMap<string, Rejection> = new Map();
    let result: string;
    let collectGarbage: (() => Promise<string[]>) | undefined;
    let publishError: { error: unknown } | undefined;

    const verdict = judgeConfig({ hash: config.hash, issues, real }, this.state.lastGood?.hash);
    if (verdict.kind === 'invalid') {
      this.state.invalidIssues = verdict.issues;
      log.error(verdict.log.message, verdict.log.meta);
      ({ outcome: outcomes, refusals } = verdict);
      if (leader) await events.record(this.deploymentRef, 'Warning', verdict.event.reason, verdict.event.message);
      result = 'invalid';
    } else {
      this.state.invalidIssues = undefined;
      this.state.lastGood = { hash: config.hash, json: config.json };
      this.d.served.offer(config.hash, () => ({ bootstrap: config.bootstrap, certFiles: config.certFiles }));
      this.d.metrics.configBytes.set(Buffer.byteLength(config.json));
      if (!leader) {
        result = 'follower';
        outcomes = await this.programmed(config.hash, undefined, this.followerRollback(config.hash));
      } else {
        const step = judgePublish({ hash: config.hash, ir }, await this.publish(config), this.deploymentRef);
        result = step.result;
        if (step.result === 'error') {
          outcomes = step.outcome;
          // Said on every object (after which the caller logs it and retries with back-off), not only in the log.
          publishError = { error: step.error };
        } else if (step.result === 'refused') {
          // Nothing was written: the Deployment keeps the configuration it has.
          await events.record(this.deploymentRef, 'Warning', step.event.reason, step.event.message);
          ({ outcome: outcomes, refusals } = step);
        } else {
          collectGarbage = step.collectGarbage;
          this.state.published = step.published;
          this.state.deploymentMissing = step.deploymentMissing;
          this.state.rolledBack = step.rolledBack;
          if (step.rolled) {
            this.d.metrics.eventToPublished.observe((Date.now() - firstEventAt) / 1000);
            this.rolledAt.set(config.hash, firstEventAt);
          }
          if (step.event) {
            log.warn('Envoy Deployment missing', {
              deployment: { kind: 'Deployment', namespace: this.d.namespace, name: this.d.deploymentName },
              hash: config.hash,
            });
            await events.record(this.deploymentRef, 'Warning', step.event.reason, step.event.message);
          } else {
            events.forget(this.deploymentRef);
          }
          outcomes = await this.programmed(config.hash, step.deployment, step.rolledBack);
        }
      }
    }

    if (this.d.isElected?.() && !(leader && this.d.isLeader())) {
      log.info('leadership lapsed during this reconcile (renewal overdue); retrying shortly');
      this.d.retryLater(LAPSE_RETRY_MS);
    }
    if (leader && this.d.isLeader() && outcomes) await this.report(statuses, outcomes, refusals);
    if (publishError) throw publishError.error;
    if (collectGarbage && this.d.isLeader()) await collectGarbage();
    const diagnostics = planDiagnostics(statuses, outcomes);
    this.state.latest = { ir, statuses: diagnostics.statuses, mappings: snapshot.mappings };
    const gauge = this.d.metrics.objectsByCondition;
    gauge.reset();
    for (const { labels, count } of diagnostics.conditionCounts) gauge.inc(labels, count);
    return result;
  }

  /** The last compile, or a new one when the inputs changed. */
  private async compiledInputs(): Promise<Compiled> {
    if (this.inputsChanged || !this.compiled) {
      this.inputsChanged = false; // before: a change seen while this compile runs asks for the next one
      try {
        this.compiled = await this.compile();
      } catch (err) {
        this.inputsChanged = true;
        throw err;
      }
    }
    return this.compiled;
  }

  private async publish(config: EnvoyConfig): Promise<Parameters<typeof judgePublish>[1]> {
    try {
      return { ok: true, pub: await this.d.publisher.publish(config) };
    } catch (error) {
      return { ok: false, error, message: apiErrorMessage(error) };
    }
  }

  /** The leader's statuses and Events, as planReport has them. */
  private async report(
    statuses: ObjectStatus[],
    outcomes: Outcomes,
    refusals: ReadonlyMap<string, Rejection>,
  ): Promise<void> {
    const { cache, events, log } = this.d;
    const plan = planReport(
      statuses,
      outcomes,
      refusals,
      { mappings: cache.mappingObjects(), tlsContexts: cache.tlsContextObjects() },
      (o) => events.knows(o),
    );
    const w = await writeStatuses(this.d.writer, plan.statusWrites, log);
    if (w.written) log.info('statuses written', { written: w.written, unchanged: w.unchanged, failed: w.failed });
    // A failed status write (API error, timeout) is retried by a later run: nothing else would trigger one,
    // since our own successful writes are the only events the failed objects would see.
    if (w.failed > 0) this.d.retryLater(backoffDelayMs(RETRY, this.statusFailures++));
    else this.statusFailures = 0;
    // Forget objects that are gone, so the dedup memory stays as large as the cluster, not its history.
    events.retainOnly(['Mapping', 'TLSContext'], plan.present);
    for (const e of plan.events) {
      if (e.kind === 'recovered') await events.recovered(e.involved);
      else if (e.kind === 'remember') events.remember(e.involved, 'Warning', e.rejection.reason, e.rejection.message);
      else await events.record(e.involved, 'Warning', e.rejection.reason, e.rejection.message);
    }
  }

  /**
   * Each object's Programmed outcome from the rollout: `deployment` overrides the watched Deployment (null: it is
   * gone; an object: what our own patch returned, newer than the watch may be).
   */
  private async programmed(
    latest: string,
    deployment: RolloutFacts['deployment'] | null | undefined,
    rolledBack: RolledBack | undefined,
  ) {
    let rollout: RolloutView;
    if (this.d.xds) {
      rollout = xdsProgress(latest, this.d.xds.served(), this.d.xds.connected());
    } else {
      const facts = this.d.rollout.facts();
      if (deployment === null) facts.deployment = undefined;
      else if (deployment) facts.deployment = deployment;
      rollout = rolloutProgress(facts);
    }
    this.state.rollout = rollout;
    const complete = rollout.phase === 'complete' && rollout.hash === latest;
    if (complete) {
      const at = this.rolledAt.get(latest);
      if (at !== undefined) this.d.metrics.eventToServed.observe((Date.now() - at) / 1000);
    }
    if (complete || rollout.phase === 'missing') this.rolledAt.clear();
    const fingerprints = await this.d.served.load(fingerprintsNeeded(latest, rollout));
    return programmedOutcomes({ latest, rollout, rolledBack, fingerprints });
  }

  /** A follower's reading of a rollback (the leader's publisher decides; this only labels the diagnostics). */
  private followerRollback(latest: string): RolledBack | undefined {
    const d = this.d.rollout.facts().deployment;
    const hash = templateHash(d);
    const by = foreignHashOwners(d, FIELD_MANAGER);
    return hash && hash !== latest && by.length > 0 ? { hash, by: by.join(', ') } : undefined;
  }
}
