// When a CRD is deleted its resource leaves discovery and its custom resources are removed.
import type { ApiState } from './api-state.js';
import { deferIsolated } from './isolation.js';
import { resourceKey } from './resource-types.js';

const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';

export function startCrdLifecycle(state: ApiState): () => void {
  return state.store.subscribe((e) => {
    if (e.resource !== CRD_KEY || e.type !== 'DELETED') return;
    const types = state.registry.unregisterCrd(e.object.metadata.name);
    deferIsolated(`removing the custom resources of CRD ${e.object.metadata.name}`, () => {
      const keys = new Set(types.map(resourceKey));
      for (const key of keys) for (const o of state.store.list(key)) state.store.remove(key, o);
    });
  });
}

/** Re-registers the CRDs found in the store (after loading persisted state). */
export function registerStoredCrds(state: ApiState): void {
  for (const crd of state.store.list(CRD_KEY)) state.registry.registerCrd(crd);
}
