// What the compiler reads from each kind of object. An update whose fingerprint is unchanged (our own status
// write, a resourceVersion bump, managedFields churn, a Service's load-balancer status) schedules nothing.
import type { KubernetesObject } from '@kubernetes/client-node';

export type WatchedKind = 'Mapping' | 'TLSContext' | 'Service' | 'Secret' | 'PorticoReferenceGrant';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function metaPart(obj: KubernetesObject) {
  const m = obj.metadata ?? {};
  const annotations = { ...(m.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  return { uid: m.uid, generation: m.generation, labels: m.labels ?? {}, annotations };
}

/** A string that changes exactly when something the compiler reads changes. */
export function compilerFingerprint(kind: WatchedKind, obj: KubernetesObject): string {
  const o = obj as KubernetesObject & { spec?: unknown; data?: unknown; type?: unknown };
  switch (kind) {
    case 'Mapping':
    case 'TLSContext':
    case 'PorticoReferenceGrant':
      return JSON.stringify({ ...metaPart(obj), spec: o.spec });
    case 'Service':
      return JSON.stringify({ uid: obj.metadata?.uid, spec: o.spec });
    case 'Secret':
      return JSON.stringify({ uid: obj.metadata?.uid, type: o.type, data: o.data });
  }
}
