// One reconcile: snapshot → compileSnapshot → renderEnvoyConfig → validateEnvoyBootstrap → the real Envoy
// check when there is a binary (operator/envoy-check/operator-check.ts) → publish (leader) → statuses and
// Events (leader). Followers compile too, so their diagnostics are warm and a takeover is fast.
// The Debouncer guarantees one run at a time.
import { compileSnapshot, type CompileOptions } from '../compile/index.js';
import type { ObjectStatus } from '../compile/types.js';
import { renderEnvoyConfig } from '../envoy/index.js';
import { validateEnvoyBootstrap, type ValidationIssue } from '../envoy/validate/index.js';
import type { GatewayIR } from '../compile/ir.js';
import type { EnvoyConfig } from '../envoy/index.js';
import type { EnvoyCheckOutcome } from '../envoy-check/operator-check.js';
import { API_VERSION } from '../api/types.js';
import type { ClusterCache } from '../kube/cluster-cache.js';
import type { ClusterWriter } from '../kube/cluster-writer.js';
import { apiErrorMessage } from '../kube/api-error.js';
import type { OperatorMetrics } from '../server/metrics.js';
import { mappingRows, type MappingRow } from '../server/diagnostics.js';
import type { Logger } from '../log/logger.js';
import type { EventRecorder } from './events.js';
import type { Publisher } from './publisher.js';
import { finalConditions, rejectionOf, type PublishOutcome } from './status.js';
import { writeStatuses } from './status-writer.js';
import { configMapName } from './publish-plan.js';

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
}

/** What the HTTP endpoints show. */
export interface ReconcileState {
  lastGood?: { hash: string; json: string };
  /** The Deployment points at lastGood (as far as this instance, when leader, has seen). */
  published: boolean;
  deploymentMissing: boolean;
  invalidIssues?: ValidationIssue[];
  lastError?: string;
  /** The /portico/v1/mappings rows of the latest run, built on request (not on every reconcile). */
  rows: () => MappingRow[];
  runs: number;
}

const RETRY_MIN_MS = 500;
// Reconciling an unchanged cluster writes nothing, so retrying often is cheap; a long cap only delays recovery
// after an API outage when no watch event comes along to trigger a run.
const RETRY_MAX_MS = 5_000;
const DEPLOYMENT_RECHECK_MS = 5_000;
const LAPSE_RETRY_MS = 250;

export class Reconciler {
  readonly state: ReconcileState = { published: false, deploymentMissing: false, rows: () => [], runs: 0 };
  private failures = 0;
  private statusFailures = 0;

  constructor(private readonly d: ReconcilerDeps) {}

  private get deploymentRef() {
    return { apiVersion: 'apps/v1', kind: 'Deployment', namespace: this.d.namespace, name: this.d.deploymentName };
  }

  async run(firstEventAt: number): Promise<void> {
    if (!this.d.cache.readyToCompile) return; // each informer's first sync triggers another run
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

  private async reconcileOnce(firstEventAt: number): Promise<string> {
    const { cache, log } = this.d;
    const snapshot = cache.snapshot(new Date());
    const cached = this.d.metrics.cachedObjects;
    cached.set({ kind: 'Mapping' }, snapshot.mappings.length);
    cached.set({ kind: 'TLSContext' }, snapshot.tlsContexts.length);
    cached.set({ kind: 'Service' }, snapshot.services.length);
    cached.set({ kind: 'Secret' }, snapshot.secrets.length);
    const { ir, statuses } = compileSnapshot(snapshot, this.d.compileOptions);
    const config = renderEnvoyConfig(ir);
    const issues = (this.d.validate ?? validateEnvoyBootstrap)(config.bootstrap);
    const real = issues.length === 0 && this.d.envoyCheck ? await this.d.envoyCheck(config, ir) : undefined;
    if (real?.kind === 'failed') log.warn('the Envoy check did not run; publishing on the proto check alone', { hash: config.hash, error: real.message });
    if (real?.kind === 'accepted') log.info('Envoy accepted the generated config', { hash: config.hash, ms: real.ms });
    const leader = this.d.isLeader();
    let outcome: PublishOutcome | undefined;
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
      this.d.metrics.configBytes.set(Buffer.byteLength(config.json));
      if (!leader) {
        result = 'follower';
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
        this.state.published = pub.deploymentPointsAtConfig;
        this.state.deploymentMissing = pub.deploymentMissing;
        if (pub.rolled) this.d.metrics.eventToPublished.observe((Date.now() - firstEventAt) / 1000);
        if (pub.deploymentMissing) {
          const message = `Deployment ${this.d.namespace}/${this.d.deploymentName} not found: configuration ${configMapName(config.hash)} is published but no Envoy picks it up`;
          log.warn('Envoy Deployment missing', { deployment: { kind: 'Deployment', namespace: this.d.namespace, name: this.d.deploymentName }, hash: config.hash });
          await this.d.events.record(this.deploymentRef, 'Warning', 'DeploymentNotFound', message);
          outcome = { kind: 'not-programmed', reason: 'Pending', message };
          this.d.retryLater(DEPLOYMENT_RECHECK_MS); // we do not watch the Deployment: look again
        } else {
          this.d.events.forget(this.deploymentRef);
          outcome = { kind: 'programmed' };
        }
        result = pub.rolled || pub.objectsWritten ? 'published' : 'unchanged';
        }
      }
    }

    if (this.d.isElected?.() && !(leader && this.d.isLeader())) {
      log.info('leadership lapsed during this reconcile (renewal overdue); retrying shortly');
      this.d.retryLater(LAPSE_RETRY_MS);
    }
    if (leader && this.d.isLeader() && outcome) {
      const byKey = new Map<string, unknown>();
      for (const o of cache.mappingObjects()) byKey.set(`Mapping/${o.metadata.namespace}/${o.metadata.name}`, o);
      for (const o of cache.tlsContextObjects()) byKey.set(`TLSContext/${o.metadata.namespace}/${o.metadata.name}`, o);
      const cached = (kind: string, ns: string, name: string) => byKey.get(`${kind}/${ns}/${name}`) as never;
      // The conditions objects carried before this run's writes: a rejection already on an object was
      // reported (status and Event) by an earlier leader, so a restart or failover does not repeat the Event.
      const reportedBefore = new Map<string, Array<{ reason?: string; message?: string }>>();
      for (const [key, o] of byKey) reportedBefore.set(key, ((o as { status?: { conditions?: [] } }).status?.conditions ?? []).slice());
      const w = await writeStatuses(this.d.writer, statuses, outcome, cached, log);
      if (w.written) log.info('statuses written', { written: w.written, unchanged: w.unchanged, failed: w.failed });
      // A failed status write (API error, timeout) is retried by a later run: nothing else would trigger one,
      // since our own successful writes are the only events the failed objects would see.
      if (w.failed > 0) this.d.retryLater(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.statusFailures++));
      else this.statusFailures = 0;
      await this.recordRejections(statuses, refusals, reportedBefore);
    }
    if (publishError !== undefined) throw publishError;
    if (collectGarbage && this.d.isLeader()) await collectGarbage();
    const finalStatuses: ObjectStatus[] = outcome ? statuses.map((s) => ({ ...s, conditions: finalConditions(s, outcome) })) : statuses;
    let rows: MappingRow[] | undefined;
    this.state.rows = () => (rows ??= mappingRows(ir, finalStatuses, snapshot.mappings));
    this.countConditions(finalStatuses);
    return result;
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
