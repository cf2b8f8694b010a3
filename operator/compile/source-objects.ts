// Normalising the snapshot's object lists so the result cannot depend on their order: default namespace,
// one object per namespace/name (a deterministic pick if the caller passed duplicates), sorted by namespace/name.
import { namespaceOf } from '../api/namespaces.js';
import type { ObjectMeta } from '../api/types.js';

export interface Named {
  metadata?: Partial<ObjectMeta>;
}

export function nameOf(obj: Named): string {
  const n = obj.metadata?.name;
  return typeof n === 'string' ? n : '';
}

export const idOf = (obj: Named): string => `${namespaceOf(obj)}/${nameOf(obj)}`;

export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One object per namespace/name; between duplicates the larger JSON wins: arbitrary but order-independent. */
function uniqueById<T extends Named>(items: readonly T[] | undefined): Map<string, T> {
  const byId = new Map<string, T>();
  for (const obj of Array.isArray(items) ? items : []) {
    if (typeof obj !== 'object' || obj === null) continue;
    const id = idOf(obj);
    const prev = byId.get(id);
    if (prev === undefined || JSON.stringify(obj) > JSON.stringify(prev)) byId.set(id, obj);
  }
  return byId;
}

/** Unique by namespace/name (see uniqueById) and sorted by it. */
export function uniqueSorted<T extends Named>(items: readonly T[] | undefined): T[] {
  return [...uniqueById(items).entries()].sort((a, b) => compareStrings(a[0], b[0])).map((e) => e[1]);
}

/** Index by namespace/name (for Services and Secrets); lookups only, so no sorting. */
export function indexById<T extends Named>(items: readonly T[] | undefined): Map<string, T> {
  return uniqueById(items);
}
