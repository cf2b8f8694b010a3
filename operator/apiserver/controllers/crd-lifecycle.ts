// When a CRD is deleted its resource leaves discovery and its custom resources are removed.
import type { ApiState } from '../api-state.js';
import { deferIsolated } from '../storage/isolation.js';
import { createObject, updateObject, type WriteOptions } from '../writes/object-writes.js';
import { resourceKey } from '../registry/resource-types.js';
import type { K8sObject } from '../storage/stored-objects.js';

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

/**
 * Installs CRDs as given (crds/*.yaml for portico dev): created when missing, and replaced when the stored one
 * differs, so a saved state never keeps an older or mangled schema. An unchanged CRD is not written.
 */
export function installCrds(state: ApiState, crds: K8sObject[], opts: WriteOptions): void {
  const rt = state.registry.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
  for (const crd of crds) {
    const name = crd.metadata?.name;
    const stored = state.store.get(CRD_KEY, undefined, name);
    if (!stored) createObject(state, rt, undefined, crd, opts);
    else
      updateObject(
        state,
        rt,
        undefined,
        name,
        { ...crd, metadata: { ...crd.metadata, resourceVersion: stored.metadata.resourceVersion } },
        opts,
      );
  }
}
