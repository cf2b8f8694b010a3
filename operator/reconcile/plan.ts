// What one reconcile decides, apart from doing it (pure). reconciler.ts runs the I/O in between: it compiles,
// asks judgeConfig whether to publish, publishes, hands the result to judgePublish, reads the rollout, and then
// carries out planReport (status writes, Events) and planDiagnostics (what the endpoints and metrics show).
// Every message a user reads about the config's fate is written here, so a test can check it without a cluster.
import type { ObjectStatus } from '../compile/types.js';
import type { GatewayIR } from '../compile/ir.js';
import { tlsChains } from '../compile/ir-queries.js';
import type { ValidationIssue } from '../envoy-validate/index.js';
import type { EnvoyCheckOutcome } from '../envoy-check/operator-check.js';
import { API_VERSION, type Mapping, type TLSContext } from '../api/types.js';
import type { PublishResult } from './publisher.js';
import type { InvolvedObject } from './events.js';
import type { RolledBack } from './programmed.js';
import type { RolloutView } from './rollout-progress.js';
import { finalConditions, rejectionOf, type PublishOutcome } from './status.js';

/** A Warning's reason and message (an Event, or a status condition). */
export interface Rejection {
  reason: string;
  message: string;
}

/** `Kind/<ns>/<name>`, the key refusals and outcomes are looked up by. */
export const objectKey = (ref: { kind: string; namespace: string; name: string }): string => `${ref.kind}/${ref.namespace}/${ref.name}`;

/** One outcome for every object, or each object's own (Programmed follows the rollout object by object). */
export type Outcomes = PublishOutcome | ((key: string) => PublishOutcome);

/** What the compiled config's checks allow, before anything is written. */
export type ConfigVerdict =
  | { kind: 'publish' }
  | {
      kind: 'invalid';
      /** What /readyz and diagnostics show as the reason nothing new is published. */
      issues: ValidationIssue[];
      outcome: PublishOutcome;
      /** The Warning on the Envoy Deployment (the leader records it). */
      event: Rejection;
      /** Objects Envoy's refusal was traced to, and what to tell each. */
      refusals: Map<string, Rejection>;
      log: { message: string; meta: Record<string, unknown> };
    };

export interface CompiledConfig {
  hash: string;
  /** The proto check's issues (none: valid). */
  issues: ValidationIssue[];
  /** Real Envoy's verdict, when it ran. */
  real?: EnvoyCheckOutcome;
}

/** Publish, or say why not: the proto check failed, or real Envoy refused the config. */
export function judgeConfig(config: CompiledConfig, lastGoodHash: string | undefined): ConfigVerdict {
  const { hash, issues, real } = config;
  const keep = lastGoodHash ? `the last good configuration ${lastGoodHash} stays in place` : 'nothing has been published';
  if (issues.length > 0) {
    const message = `The generated Envoy configuration ${hash} failed validation (${issues.length} issue(s), first: ${issues[0].path}: ${issues[0].message}); ${keep}`;
    return {
      kind: 'invalid',
      issues,
      outcome: { kind: 'not-programmed', reason: 'Invalid', message },
      event: { reason: 'InvalidConfig', message },
      refusals: new Map(),
      log: { message: 'generated Envoy config is invalid; not publishing it', meta: { hash, issues: issues.slice(0, 10) } },
    };
  }
  if (real?.kind === 'rejected') {
    const message = `Envoy refused the generated configuration ${hash}: ${real.message}; ${keep}`;
    const culprits = real.objects.map((o) => `${o.kind} ${o.namespace}/${o.name}`);
    const more = culprits.length > 5 ? ` and ${culprits.length - 5} more` : '';
    const others = culprits.length > 0 ? `The generated configuration ${hash} was not published: Envoy refused it because of ${culprits.slice(0, 5).join(', ')}${more}; ${keep}` : message;
    const refusals = new Map(real.objects.map((o) => [objectKey(o), { reason: 'InvalidConfig', message }]));
    return {
      kind: 'invalid',
      issues: [{ path: 'envoy --mode validate', message: real.message }],
      outcome: { kind: 'not-programmed', reason: 'InvalidConfig', message: others, objects: new Map([...refusals].map(([k, v]) => [k, v.message])) },
      event: { reason: 'InvalidConfig', message },
      refusals,
      log: { message: 'Envoy refused the generated config; not publishing it', meta: { hash, envoy: real.message, objects: culprits } },
    };
  }
  return { kind: 'publish' };
}

/** What a publish attempt amounts to. */
export type PublishStep =
  /** The writes failed: every object says so, then the run fails (and is retried with back-off). */
  | { result: 'error'; outcome: PublishOutcome; error: unknown }
  /** Nothing was written: the config cannot be published at any size. */
  | { result: 'refused'; outcome: PublishOutcome; event: Rejection; refusals: Map<string, Rejection> }
  | {
      result: 'published' | 'unchanged';
      /** Warning on the Deployment when it is missing; otherwise what was said about it is forgotten. */
      event?: Rejection;
      /** The Deployment points at the config, or is left at a rollback someone chose. */
      published: boolean;
      deploymentMissing: boolean;
      rolledBack?: RolledBack;
      /** The Deployment was patched now (the publish latency metric, and the served latency later). */
      rolled: boolean;
      /** The Deployment to judge the rollout by: null gone, an object our own patch's answer, else the watch's. */
      deployment: PublishResult['deployment'] | null | undefined;
      collectGarbage?: () => Promise<string[]>;
    };

/** Reads a publish result (or the error it threw) as what to report. */
export function judgePublish(
  config: { hash: string; ir: GatewayIR },
  attempt: { ok: true; pub: PublishResult } | { ok: false; error: unknown; message: string },
  deployment: { namespace: string; name: string },
): PublishStep {
  const { hash, ir } = config;
  if (!attempt.ok) {
    const message = `The Envoy configuration ${hash} could not be published: ${attempt.message}; the configuration already published stays in place`;
    return { result: 'error', outcome: { kind: 'not-programmed', reason: 'PublishFailed', message }, error: attempt.error };
  }
  const { pub } = attempt;
  if (pub.refused) {
    const message = `The generated Envoy configuration ${hash} cannot be published: ${pub.refused.message}; the configuration already published stays in place`;
    const files = new Set(pub.refused.oversized.map((f) => f.file));
    const refusals = new Map<string, Rejection>();
    for (const c of tlsChains(ir)) if (files.has(c.tls.certFile) || files.has(c.tls.keyFile)) refusals.set(`TLSContext/${c.name}`, { reason: 'TooLarge', message });
    return { result: 'refused', outcome: { kind: 'not-programmed', reason: pub.refused.reason, message }, event: { reason: 'ConfigTooLarge', message }, refusals };
  }
  return {
    result: pub.rolled || pub.objectsWritten ? 'published' : 'unchanged',
    event: pub.deploymentMissing
      ? { reason: 'DeploymentNotFound', message: `Deployment ${deployment.namespace}/${deployment.name} not found: configuration ${hash} is published but no Envoy picks it up` }
      : undefined,
    published: pub.deploymentPointsAtConfig || !!pub.rolledBack,
    deploymentMissing: pub.deploymentMissing,
    rolledBack: pub.rolledBack,
    rolled: pub.rolled,
    // The Deployment as the publish left it (our own patch included): the watch may not have delivered it yet.
    deployment: pub.deploymentMissing ? null : pub.rolled ? pub.deployment : undefined,
    collectGarbage: pub.collectGarbage,
  };
}

/** The configs whose fingerprints Programmed needs: none once the newest config is rolled out everywhere. */
export function fingerprintsNeeded(latest: string, rollout: RolloutView): string[] {
  if (rollout.phase === 'complete' && rollout.hash === latest) return [];
  return [latest, ...(rollout.hash ? [rollout.hash] : []), ...rollout.serving.flatMap((s) => (s.hash ? [s.hash] : []))];
}

export function outcomeOf(outcomes: Outcomes, s: ObjectStatus): PublishOutcome {
  return typeof outcomes === 'function' ? outcomes(objectKey(s.ref)) : outcomes;
}

type Reported = Mapping | TLSContext;

export interface StatusWrite {
  computed: ObjectStatus;
  outcome: PublishOutcome;
  /** The object as cached: its resourceVersion, generation and current status. */
  object: Reported;
}

/** What to do about one object's Events: a rejection to record (or, already reported, to remember), or none. */
export type EventAction =
  | { kind: 'record'; involved: InvolvedObject; rejection: Rejection }
  | { kind: 'remember'; involved: InvolvedObject; rejection: Rejection }
  | { kind: 'recovered'; involved: InvolvedObject };

export interface ReportPlan {
  /** Statuses of objects still in the cache (one deleted meanwhile gets none). */
  statusWrites: StatusWrite[];
  /** The objects the Event memory keeps (the others are gone). */
  present: InvolvedObject[];
  events: EventAction[];
}

/**
 * The leader's report: each object's status, and the Warning Events for rejections. A rejection already on an
 * object (as a condition, before this run's writes) was reported by an earlier leader, so a restart or failover
 * does not repeat its Event; `knows` says whether this recorder already has an Event for the object.
 */
export function planReport(
  statuses: ObjectStatus[],
  outcomes: Outcomes,
  refusals: ReadonlyMap<string, Rejection>,
  cached: { mappings: Mapping[]; tlsContexts: TLSContext[] },
  knows: (involved: InvolvedObject) => boolean,
): ReportPlan {
  const byKey = new Map<string, Reported>();
  for (const o of cached.mappings) byKey.set(`Mapping/${o.metadata.namespace}/${o.metadata.name}`, o);
  for (const o of cached.tlsContexts) byKey.set(`TLSContext/${o.metadata.namespace}/${o.metadata.name}`, o);
  const statusWrites: StatusWrite[] = [];
  const present: InvolvedObject[] = [];
  const events: EventAction[] = [];
  for (const s of statuses) {
    const key = objectKey(s.ref);
    const object = byKey.get(key);
    if (object) statusWrites.push({ computed: s, outcome: outcomeOf(outcomes, s), object });
    const involved = { apiVersion: API_VERSION, kind: s.ref.kind, namespace: s.ref.namespace, name: s.ref.name, uid: s.ref.uid };
    present.push(involved);
    const found = refusals.get(key) ?? rejectionOf(s);
    if (!found) {
      events.push({ kind: 'recovered', involved });
      continue;
    }
    const rejection = { reason: found.reason, message: found.message };
    const onObject: Array<{ reason?: string; message?: string }> = object?.status?.conditions ?? [];
    const reportedBefore = !knows(involved) && onObject.some((c) => c.reason === rejection.reason && c.message === rejection.message);
    events.push({ kind: reportedBefore ? 'remember' : 'record', involved, rejection });
  }
  return { statusWrites, present, events };
}

export interface Diagnostics {
  /** Each object's conditions as written (Programmed included). */
  statuses: ObjectStatus[];
  /** The objects-by-condition gauge's values. */
  conditionCounts: Array<{ labels: { kind: string; condition: string; status: string }; count: number }>;
}

/** What the diagnostics endpoints and the condition gauge show after a run. */
export function planDiagnostics(statuses: ObjectStatus[], outcomes: Outcomes | undefined): Diagnostics {
  const final = outcomes ? statuses.map((s) => ({ ...s, conditions: finalConditions(s, outcomeOf(outcomes, s)) })) : statuses;
  const counts = new Map<string, { labels: { kind: string; condition: string; status: string }; count: number }>();
  for (const s of final) {
    for (const c of s.conditions) {
      const key = `${s.ref.kind}|${c.type}|${c.status}`;
      const entry = counts.get(key) ?? { labels: { kind: s.ref.kind, condition: c.type, status: c.status }, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
  }
  return { statuses: final, conditionCounts: [...counts.values()] };
}
