// Background garbage collection: when an owner is deleted, its dependents (ownerReferences by uid) are
// deleted once none of their owners exists, honouring the dependents' own finalizers.
import type { ApiState } from './api-state.js';
import { typeForResourceKey } from './api-state.js';
import { deleteObject, dependentsOf } from './object-deletion.js';

function ownerExists(state: ApiState, uid: string): boolean {
  for (const key of state.store.resources()) if (state.store.list(key).some((o) => o.metadata.uid === uid)) return true;
  return false;
}

export function startGarbageCollector(state: ApiState): () => void {
  return state.store.subscribe((e) => {
    if (e.type !== 'DELETED') return;
    const uid = e.object.metadata?.uid;
    if (!uid) return;
    setImmediate(() => {
      for (const { key, object } of dependentsOf(state, uid)) {
        const others = (object.metadata.ownerReferences ?? []).filter((r: any) => r.uid !== uid);
        if (others.some((r: any) => ownerExists(state, r.uid))) continue;
        const rt = typeForResourceKey(state, key);
        if (!rt) continue;
        try {
          deleteObject(state, rt, object.metadata.namespace, object.metadata.name, { propagationPolicy: 'Background' });
        } catch {
          // Already gone: another cascade got there first.
        }
      }
    });
  });
}
