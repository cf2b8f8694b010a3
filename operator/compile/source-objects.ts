// Normalising the snapshot's object lists so the result cannot depend on their order: default namespace,
// one object per namespace/name (a deterministic pick if the caller passed duplicates), sorted by namespace/name.
import type { ObjectMeta } from '../api/types.js';

export const DEFAULT_NAMESPACE = 'default';

export interface Named {
  metadata?: Partial<ObjectMeta>;
}

export function namespaceOf(obj: Named): string {
  const ns = obj.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : DEFAULT_NAMESPACE;
}

export function nameOf(obj: Named): string {
  const n = obj.metadata?.name;
  return typeof n === 'string' ? n : '';
}

export const idOf = (obj: Named): string => `${namespaceOf(obj)}/${nameOf(obj)}`;

export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Unique by namespace/name and sorted by it. Between duplicates the larger JSON wins: arbitrary but stable. */
export function uniqueSorted<T extends Named>(items: readonly T[] | undefined): T[] {
  const byId = new Map<string, { obj: T; json?: string }>();
  for (const obj of Array.isArray(items) ? items : []) {
    if (typeof obj !== 'object' || obj === null) continue;
    const id = idOf(obj);
    const prev = byId.get(id);
    if (!prev) {
      byId.set(id, { obj });
      continue;
    }
    const json = JSON.stringify(obj);
    prev.json ??= JSON.stringify(prev.obj);
    if (json > prev.json) byId.set(id, { obj, json });
  }
  return [...byId.entries()].sort((a, b) => compareStrings(a[0], b[0])).map(([, v]) => v.obj);
}

/** Index by namespace/name (for Services and Secrets). */
export function indexById<T extends Named>(items: readonly T[] | undefined): Map<string, T> {
  return new Map(uniqueSorted(items).map((o) => [idOf(o), o]));
}
