// Everything a request handler needs: the store, the registry and the clock. One instance per server; it
// survives listener restarts (fault injection) so a "restarted" server keeps its state.
import type { ResourceRegistry } from './registry/registry.js';
import type { ObjectStore } from './storage/store.js';
import type { ResourceType } from './registry/resource-types.js';
import { resourceKey } from './registry/resource-types.js';

export interface ApiState {
  store: ObjectStore;
  registry: ResourceRegistry;
  now(): Date;
  /** Interval between watch BOOKMARK events when a client allows them. */
  bookmarkIntervalMs: number;
  /** How far (bytes of queued events) a watcher may fall behind before its stream is cut. */
  watchBufferBytes: number;
}

/** Any served version of a stored collection (objects are stored once per group/resource). */
export function typeForResourceKey(state: ApiState, key: string): ResourceType | undefined {
  return state.registry.all().find((r) => resourceKey(r) === key);
}

/** RFC3339 with second precision, as metav1.Time serialises. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
