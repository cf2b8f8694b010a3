// Namespace lifecycle: a terminating namespace has its contents deleted, and disappears once empty.
import type { ApiState } from '../api-state.js';
import { typeForResourceKey } from '../api-state.js';
import { deferIsolated } from '../storage/isolation.js';
import { deleteObject } from '../writes/object-deletion.js';

const NAMESPACES = '/namespaces';

function contents(state: ApiState, namespace: string): Array<{ key: string; name: string }> {
  const out: Array<{ key: string; name: string }> = [];
  for (const key of state.store.resources()) {
    if (key === NAMESPACES) continue;
    for (const name of state.store.names(key, namespace)) out.push({ key, name });
  }
  return out;
}

function finishIfEmpty(state: ApiState, namespace: string): void {
  const ns = state.store.get(NAMESPACES, undefined, namespace);
  if (!ns?.metadata.deletionTimestamp) return;
  if (contents(state, namespace).length === 0) state.store.remove(NAMESPACES, ns);
}

export function startNamespaceLifecycle(state: ApiState): () => void {
  return state.store.subscribe((e) => {
    if (
      e.resource === NAMESPACES &&
      e.type === 'MODIFIED' &&
      e.object.metadata.deletionTimestamp &&
      !e.oldObject?.metadata.deletionTimestamp
    ) {
      const namespace = e.object.metadata.name;
      deferIsolated(`deleting the contents of namespace ${namespace}`, () => {
        for (const { key, name } of contents(state, namespace)) {
          const rt = typeForResourceKey(state, key);
          if (!rt) continue;
          try {
            deleteObject(state, rt, namespace, name, { propagationPolicy: 'Background' });
          } catch {
            // Gone already.
          }
        }
        finishIfEmpty(state, namespace);
      });
    } else if (e.type === 'DELETED' && e.resource !== NAMESPACES && e.object.metadata?.namespace) {
      const namespace = e.object.metadata.namespace;
      deferIsolated(`finishing namespace ${namespace}`, () => finishIfEmpty(state, namespace));
    }
  });
}
