// DELETE as the generic store does it: preconditions, finalizers (mark with deletionTimestamp and wait),
// propagation policy (Orphan strips owner references, Foreground/Background cascade through the garbage
// collector), and the response body (custom resources and namespaces return the object, built-ins a Status).
import { timestamp, type ApiState } from '../api-state.js';
import { resourceKey, type ResourceType } from '../registry/resource-types.js';
import { badRequest, conflict, notFound, successStatus } from '../encoding/status-errors.js';

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteResult {
  /** What the response body is: the object (still there or last state) or a Success Status. */
  body: object;
  /** true when the object is gone now; false when finalizers keep it. */
  removed: boolean;
  /** The object's resourceVersion after this delete (the deletion's own when it was removed). */
  resourceVersion?: string;
}

export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, any>;
  const policy =
    b.propagationPolicy ?? query.get('propagationPolicy') ?? (b.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy))
    throw badRequest(
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    );
  const dryRun = [...(b.dryRun ?? []), ...query.getAll('dryRun')].includes('All');
  return { propagationPolicy: policy, preconditions: b.preconditions, dryRun };
}

function orphanDependents(state: ApiState, uid: string): void {
  for (const { resource, object } of state.store.dependentsOf(uid)) {
    object.metadata.ownerReferences = object.metadata.ownerReferences.filter((r: any) => r?.uid !== uid);
    if (object.metadata.ownerReferences.length === 0) delete object.metadata.ownerReferences;
    state.store.update(resource, object);
  }
}

export function deleteObject(
  state: ApiState,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  opts: DeleteOptions,
): DeleteResult {
  const key = resourceKey(rt);
  const old = state.store.get(key, namespace, name);
  if (!old) throw notFound(rt, name);
  const pre = opts.preconditions ?? {};
  if (pre.uid && pre.uid !== old.metadata.uid)
    throw conflict(
      rt,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion)
    throw conflict(
      rt,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
    );
  const returnsObject = rt.custom || rt.kind === 'Namespace';
  if (old.metadata.deletionTimestamp)
    return { body: old, removed: false, resourceVersion: old.metadata.resourceVersion };
  if (opts.dryRun)
    return {
      body: returnsObject ? old : successStatus(rt, name, old.metadata.uid),
      removed: true,
      resourceVersion: old.metadata.resourceVersion,
    };

  if (opts.propagationPolicy === 'Orphan') orphanDependents(state, old.metadata.uid);
  const finalizers: string[] = [...(old.metadata.finalizers ?? [])];
  // A namespace always terminates first: its contents go, then the namespace (controllers/namespace-lifecycle.ts).
  if (finalizers.length > 0 || rt.kind === 'Namespace') {
    const next = structuredClone(old);
    next.metadata.deletionTimestamp = timestamp(state.now());
    next.metadata.deletionGracePeriodSeconds = 0;
    if (next.metadata.generation > 0) next.metadata.generation += 1;
    if (rt.kind === 'Namespace') next.status = { ...next.status, phase: 'Terminating' };
    const stored = state.store.update(key, next);
    return { body: stored, removed: false, resourceVersion: stored.metadata.resourceVersion };
  }
  const last = state.store.remove(key, old);
  return {
    body: returnsObject ? last : successStatus(rt, name, old.metadata.uid),
    removed: true,
    resourceVersion: last.metadata.resourceVersion,
  };
}
