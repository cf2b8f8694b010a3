// How far the Envoy Deployment's rollout is, from the Deployment, its ReplicaSets and its pods (pure). The
// Deployment-level verdict is `kubectl rollout status`'s: complete once the controller has observed the
// current template and every replica is updated and available with no old replica left; failed once its
// Progressing condition says ProgressDeadlineExceeded. Pods add what the Deployment status cannot say: why a
// new pod does not come up (crash loop, image pull, init container, scheduling) long before the deadline, and
// which configurations the Ready pods serve meanwhile.
import { templateHash } from '../publish/template-refs.js';
import { podFailure, type PodFailure } from './pod-failure.js';
import type {
  ConditionFacts,
  DeploymentFacts,
  EndpointSliceFacts,
  PodFacts,
  ReplicaSetFacts,
  RolloutFacts,
} from '../kube/rollout-facts.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const POD_TEMPLATE_HASH = 'pod-template-hash';

export type RolloutPhase = 'missing' | 'complete' | 'progressing' | 'failed';

export interface ServingConfig {
  /** The config hash the pods serve; undefined for a template that points at no published config (bootstrap). */
  hash: string | undefined;
  /** Ready, non-terminating pods serving it. */
  pods: number;
}

export interface RolloutView {
  phase: RolloutPhase;
  /** `<namespace>/<name>` of the Deployment. */
  deployment: string;
  /** The config hash the Deployment's template points at (undefined: none, e.g. the bootstrap placeholder). */
  hash?: string;
  /** The template's annotation as written, for messages (may be "bootstrap"). */
  hashLabel?: string;
  desired: number;
  updated: number;
  available: number;
  /** Replicas of older ReplicaSets still running (not terminating). */
  old: number;
  /** "rolling out configuration H: 1 of 2 Envoy pods updated…", "configuration H does not roll out: …". */
  message: string;
  failure?: PodFailure;
  /**
   * What the Ready, non-terminating Envoy pods serve (from the pods, or from the ReplicaSets' Ready counts where
   * the API server serves no pods); empty when neither is known (yet).
   */
  serving: ServingConfig[];
  servingKnown: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function condition(conditions: ConditionFacts[] | undefined, type: string): ConditionFacts | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

function isControlledBy(rs: ReplicaSetFacts, d: DeploymentFacts): boolean {
  const uid = d.metadata?.uid;
  const refs = rs.metadata?.ownerReferences ?? [];
  if (uid && refs.length > 0) return refs.some((r) => r.controller && r.uid === uid);
  return refs.some((r) => r.kind === 'Deployment' && r.name === d.metadata?.name);
}

/**
 * The ReplicaSet of the Deployment's current template: the one carrying the Deployment's revision once the
 * controller has observed it; otherwise, among those with the same config hash, the newest revision.
 */
export function currentReplicaSet(d: DeploymentFacts, replicaSets: ReplicaSetFacts[]): ReplicaSetFacts | undefined {
  const owned = replicaSets.filter((rs) => isControlledBy(rs, d));
  const revision = (o: { metadata?: { annotations?: Record<string, string> } }) =>
    Number(o.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0);
  const observed = (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  if (observed) {
    const byRevision = owned.find((rs) => revision(rs) > 0 && revision(rs) === revision(d));
    if (byRevision) return byRevision;
  }
  const hash = templateHash(d);
  return owned
    .filter((rs) => hash !== undefined && templateHash(rs) === hash)
    .sort((a, b) => revision(b) - revision(a))[0];
}

const ready = (p: PodFacts) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** The config hash a pod runs: its own copy of the template's annotation and volumes. */
export function podConfigHash(p: PodFacts): string | undefined {
  return templateHash({ spec: { template: { metadata: { annotations: p.metadata?.annotations }, spec: p.spec } } });
}

function sortedServing(counts: Map<string | undefined, number>): ServingConfig[] {
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([hash, n]) => ({ hash, pods: n }))
    .sort((a, b) => (a.hash ?? '').localeCompare(b.hash ?? ''));
}

/** Pods (by name and by IP) that some EndpointSlice still lists as ready. */
function readyEndpoints(slices: EndpointSliceFacts[]): Set<string> {
  const out = new Set<string>();
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      if (ep.targetRef?.kind === 'Pod' && ep.targetRef.name) out.add(`pod:${ep.targetRef.name}`);
      for (const a of ep.addresses ?? []) out.add(`ip:${a}`);
    }
  }
  return out;
}

/**
 * Pods that get requests: Ready and not terminating, or (terminating) still listed ready in an EndpointSlice,
 * which kube-proxy and load balancers follow; until the slice drops it, a deleted old pod still serves.
 */
function servingPods(pods: PodFacts[], slices: EndpointSliceFacts[] | undefined): ServingConfig[] {
  const listed = readyEndpoints(slices ?? []);
  const stillListed = (p: PodFacts) =>
    listed.has(`pod:${p.metadata?.name}`) || (!!p.status?.podIP && listed.has(`ip:${p.status.podIP}`));
  const counts = new Map<string | undefined, number>();
  for (const p of pods) {
    if (!ready(p)) continue;
    if (p.metadata?.deletionTimestamp && !stillListed(p)) continue;
    const h = podConfigHash(p);
    counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  return sortedServing(counts);
}

/** Without pods to look at: each ReplicaSet's Ready replicas, by the config of its template. */
function servingReplicaSets(d: DeploymentFacts, replicaSets: ReplicaSetFacts[]): ServingConfig[] {
  const counts = new Map<string | undefined, number>();
  for (const rs of replicaSets) {
    if (!isControlledBy(rs, d)) continue;
    const h = templateHash(rs);
    counts.set(h, (counts.get(h) ?? 0) + (rs.status?.readyReplicas ?? 0));
  }
  return sortedServing(counts);
}

/** The first failing pod of the current ReplicaSet (by name), and how many fail. */
function failingPods(pods: PodFacts[], rs: ReplicaSetFacts | undefined): { first?: PodFailure; count: number } {
  const podHash = rs?.metadata?.labels?.[POD_TEMPLATE_HASH];
  if (!podHash) return { count: 0 };
  const failures = pods
    .filter((p) => !p.metadata?.deletionTimestamp && p.metadata?.labels?.[POD_TEMPLATE_HASH] === podHash)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .map(podFailure)
    .filter((f): f is PodFailure => !!f);
  return { first: failures[0], count: failures.length };
}

function keepsServing(serving: ServingConfig[], target: string | undefined): string {
  const others = serving.filter((s) => s.hash !== target || target === undefined);
  if (others.length === 0) return 'no Envoy pod serves an earlier configuration';
  const list = others
    .map((s) => `${s.hash ? `configuration ${s.hash}` : 'the placeholder bootstrap'} on ${plural(s.pods, 'Ready pod')}`)
    .join(', ');
  return `the Deployment keeps ${list} serving`;
}

export function rolloutProgress(facts: RolloutFacts): RolloutView {
  const id = `${facts.namespace}/${facts.name}`;
  const d = facts.deployment;
  const servingKnown = !!d && (facts.podsKnown || !!facts.replicaSetsKnown);
  const slices = facts.endpointsKnown ? facts.endpointSlices : undefined;
  const serving = !d
    ? []
    : facts.podsKnown
      ? servingPods(facts.pods, slices)
      : facts.replicaSetsKnown
        ? servingReplicaSets(d, facts.replicaSets)
        : [];
  const base = { deployment: id, serving, servingKnown };
  if (!d) {
    return {
      ...base,
      phase: 'missing',
      desired: 0,
      updated: 0,
      available: 0,
      old: 0,
      message: `Deployment ${id} not found`,
    };
  }
  const hash = templateHash(d);
  const hashLabel = d.spec?.template?.metadata?.annotations?.['portico.dev/config-hash'] ?? hash;
  const what = `configuration ${hashLabel ?? '(none)'}`;
  const s = d.status ?? {};
  const desired = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const old = Math.max(0, (s.replicas ?? 0) - updated);
  const counts = { hash, hashLabel, desired, updated, available, old };
  const observed = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);

  const rs = currentReplicaSet(d, facts.replicaSets);
  const pods = facts.podsKnown ? failingPods(facts.pods, rs) : { count: 0 };
  const progressing = condition(s.conditions, 'Progressing');
  const deadline = observed && progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded';
  const replicaFailure = condition(rs?.status?.conditions, 'ReplicaFailure');
  const scaledDown =
    desired === 0
      ? { reason: 'NoReplicas', message: `Deployment ${id} is scaled to 0 replicas: no Envoy serves any configuration` }
      : undefined;
  const failure: PodFailure | undefined =
    scaledDown ??
    pods.first ??
    (replicaFailure?.status === 'True'
      ? {
          reason: replicaFailure.reason || 'ReplicaFailure',
          message: `ReplicaSet ${facts.namespace}/${rs?.metadata?.name}: ${replicaFailure.message ?? ''}`,
        }
      : undefined) ??
    (deadline
      ? {
          reason: 'ProgressDeadlineExceeded',
          message: `Deployment ${id}: ${progressing?.message ?? 'progress deadline exceeded'}`,
        }
      : undefined);

  const rolledOut =
    !scaledDown && observed && !deadline && updated >= desired && (s.replicas ?? 0) <= updated && available >= updated;
  // kubectl's "complete" counts no terminating pod, but one still listed in the Service's endpoints gets requests.
  const lingering = servingKnown ? serving.filter((x) => x.hash !== hash).reduce((n, x) => n + x.pods, 0) : 0;
  if (rolledOut && lingering === 0)
    return {
      ...base,
      ...counts,
      phase: 'complete',
      message: `${what} is rolled out: ${plural(available, 'Envoy pod')} available`,
    };
  if (rolledOut) {
    const message = `rolling out ${what}: ${updated} of ${plural(desired, 'Envoy pod')} updated and available; waiting for ${plural(lingering, 'old pod')} to leave the Service endpoints`;
    return { ...base, ...counts, phase: 'progressing', message };
  }

  if (failure) {
    const more = pods.count > 1 ? ` (and ${plural(pods.count - 1, 'more pod')})` : '';
    const late = deadline && pods.first ? '; the Deployment exceeded its progress deadline' : '';
    return {
      ...base,
      ...counts,
      phase: 'failed',
      failure,
      message: `${what} does not roll out: ${failure.message}${more}${late}; ${keepsServing(serving, hash)}`,
    };
  }

  let step: string;
  if (!observed) step = `waiting for the Deployment controller to observe generation ${d.metadata?.generation}`;
  else {
    step = `${updated} of ${plural(desired, 'Envoy pod')} updated`;
    const newAvailable = rs?.status?.availableReplicas;
    if (updated > 0 && newAvailable !== undefined) step += `, ${newAvailable} of them available`;
    if (old > 0) step += `, ${plural(old, 'old pod')} still running`;
  }
  return { ...base, ...counts, phase: 'progressing', message: `rolling out ${what}: ${step}` };
}
