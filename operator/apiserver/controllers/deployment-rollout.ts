// What kube-controller-manager's Deployment controller decides for one Deployment (pkg/controller/deployment,
// util/deployment_util.go), without pods: the ReplicaSet for the current pod template (found by template, or
// new as <name>-<pod-template-hash>), its revision (one above the highest; an old ReplicaSet brought back by
// `kubectl rollout undo` gets a new revision and remembers its old ones), every other ReplicaSet scaled to 0,
// the oldest of those beyond revisionHistoryLimit deleted, and the status of a finished rollout. Pure.
import { jsonEqual } from '../../api/json-equality.js';
import type { K8sObject } from '../storage/stored-objects.js';

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** Deployment annotations the controller does not copy to its ReplicaSets (deployment_util.go skipCopyAnnotation). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return `{${Object.keys(v as object)
    .sort()
    .filter((k) => (v as any)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`)
    .join(',')}}`;
}

/** FNV-32a of the template, spelled as rand.SafeEncodeString spells controller.ComputeHash's number. */
export function podTemplateHash(template: unknown): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(canonical(template))) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

/** Go compares the decoded structs: a null, {} or [] is the same as an absent field (`creationTimestamp: null`). */
function semantic(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(semantic);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const s = semantic(x);
    if (s === null || s === undefined || (typeof s === 'object' && Object.keys(s as object).length === 0)) continue;
    out[k] = s;
  }
  return out;
}

/** The template as compared and hashed: without the hash label, semantically normalised. */
function withoutHash(template: K8sObject | undefined): K8sObject {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  return semantic(t) as K8sObject;
}

export function revisionOf(o: K8sObject): number {
  const n = Number(o.metadata?.annotations?.[REVISION]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function isControlledBy(rs: K8sObject, deployment: K8sObject): boolean {
  return (rs.metadata?.ownerReferences ?? []).some(
    (r: any) => r?.controller === true && r.uid === deployment.metadata.uid,
  );
}

export interface RolloutPlan {
  /** ReplicaSets to create or replace (compare with the stored ones before writing). */
  replicaSets: K8sObject[];
  /** Names of old ReplicaSets beyond revisionHistoryLimit. */
  deleteReplicaSets: string[];
  /** The Deployment's revision annotation. */
  revision: string;
  status: K8sObject;
}

function newReplicaSet(d: K8sObject, hash: string, revision: number): K8sObject {
  const template = structuredClone(d.spec.template ?? {});
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, [HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      annotations: { [REVISION]: String(revision) },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: d.metadata.name,
          uid: d.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
}

function annotate(rs: K8sObject, d: K8sObject, revision: number, replicas: number, current: boolean): K8sObject {
  const next = structuredClone(rs);
  const annotations: Record<string, string> = { ...next.metadata.annotations };
  if (current) {
    for (const [k, v] of Object.entries((d.metadata.annotations ?? {}) as Record<string, string>))
      if (!NOT_COPIED.has(k)) annotations[k] = v;
    const old = revisionOf(rs);
    if (old > 0 && old !== revision)
      annotations[REVISION_HISTORY] = [annotations[REVISION_HISTORY], String(old)].filter(Boolean).join(',');
    annotations[REVISION] = String(revision);
  }
  annotations[DESIRED_REPLICAS] = String(d.spec.replicas ?? 1);
  annotations[MAX_REPLICAS] = String(d.spec.replicas ?? 1);
  next.metadata.annotations = annotations;
  next.spec.replicas = replicas;
  // No pods here: a ReplicaSet's pods count as created and ready at once.
  next.status = {
    replicas,
    fullyLabeledReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    observedGeneration: next.metadata.generation ?? 1,
  };
  if (replicas === 0) next.status = { replicas: 0, observedGeneration: next.metadata.generation ?? 1 };
  return next;
}

/** Conditions that did not change keep their times, so a resync writes nothing. */
function keepTimes(conditions: K8sObject[], previous: K8sObject[] | undefined): K8sObject[] {
  return conditions.map((c) => {
    const p = (previous ?? []).find((x) => x.type === c.type);
    if (!p || p.status !== c.status) return c;
    return p.reason === c.reason && p.message === c.message ? p : { ...c, lastTransitionTime: p.lastTransitionTime };
  });
}

export function planRollout(d: K8sObject, owned: K8sObject[], now: string): RolloutPlan {
  const replicas: number = d.spec?.replicas ?? 1;
  const wanted = withoutHash(d.spec?.template);
  const maxRevision = Math.max(0, ...owned.map(revisionOf));
  let current = owned.find((rs) => jsonEqual(withoutHash(rs.spec?.template), wanted));
  const paused = d.spec?.paused === true;
  let revision: number;
  if (current)
    revision =
      revisionOf(current) === maxRevision && maxRevision > 0
        ? maxRevision
        : paused
          ? revisionOf(current)
          : maxRevision + 1;
  else revision = maxRevision + 1;
  if (!current && !paused) current = newReplicaSet(d, podTemplateHash(wanted), revision);

  const replicaSets: K8sObject[] = [];
  if (current) replicaSets.push(annotate(current, d, revision, replicas, true));
  const old = owned.filter((rs) => rs.metadata.name !== current?.metadata.name);
  for (const rs of old)
    replicaSets.push(annotate(rs, d, revisionOf(rs), paused && !current ? (rs.spec?.replicas ?? 0) : 0, false));
  const limit: number = d.spec?.revisionHistoryLimit ?? 10;
  const deletable = old.filter((rs) => (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
  const deleteReplicaSets = deletable.slice(0, Math.max(0, deletable.length - limit)).map((rs) => rs.metadata.name);

  const ready = current ? replicas : 0;
  const status = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: ready,
    updatedReplicas: ready,
    readyReplicas: ready,
    availableReplicas: ready,
    conditions: keepTimes(
      [
        {
          type: 'Available',
          status: 'True',
          lastUpdateTime: now,
          lastTransitionTime: now,
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
        paused
          ? {
              type: 'Progressing',
              status: 'Unknown',
              lastUpdateTime: now,
              lastTransitionTime: now,
              reason: 'DeploymentPaused',
              message: 'Deployment is paused',
            }
          : {
              type: 'Progressing',
              status: 'True',
              lastUpdateTime: now,
              lastTransitionTime: now,
              reason: 'NewReplicaSetAvailable',
              message: `ReplicaSet "${current?.metadata.name}" has successfully progressed.`,
            },
      ],
      d.status?.conditions,
    ),
  };
  return {
    replicaSets: replicaSets.filter((rs) => !deleteReplicaSets.includes(rs.metadata.name)),
    deleteReplicaSets,
    revision: String(revision),
    status,
  };
}
