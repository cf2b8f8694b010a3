// Background garbage collection: when an owner is deleted, its dependents (ownerReferences by uid) are
// deleted once none of their owners exists, honouring the dependents' own finalizers. The store's owner
// index makes each step proportional to the dependents, not to the store.
import type { ApiState } from '../api-state.js';
import { typeForResourceKey } from '../api-state.js';
import { deferIsolated } from '../storage/isolation.js';
import { deleteObject } from '../writes/object-deletion.js';

export function startGarbageCollector(state: ApiState): () => void {
  return state.store.subscribe((e) => {
    if (e.type !== 'DELETED') return;
    const uid = e.object.metadata?.uid;
    if (!uid) return;
    deferIsolated(`garbage collection of the dependents of ${e.resource} ${e.object.metadata?.name}`, () => {
      for (const { resource, object } of state.store.dependentsOf(uid)) {
        const others = (object.metadata.ownerReferences ?? []).filter((r: any) => r?.uid !== uid);
        if (others.some((r: any) => state.store.hasUid(r?.uid))) continue;
        const rt = typeForResourceKey(state, resource);
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
