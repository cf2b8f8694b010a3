// Pure choice of which published generations to delete: keep the newest `keep` complete generations, and never
// one that the Deployment or a live ReplicaSet still references (a rollout in progress, or `kubectl rollout
// undo` target that is still running). A generation without its head ConfigMap `portico-envoy-<hash>` (written
// last) was cut short by a crash and can never be rolled to, so it goes unless something references it.

export interface PublishedObject {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  hash: string;
  /** ISO time from the published-at annotation (falls back to creationTimestamp). */
  publishedAt: string;
}

export const GENERATIONS_TO_KEEP = 3;

export function selectGarbage(published: PublishedObject[], referencedNames: ReadonlySet<string>, keep = GENERATIONS_TO_KEEP): PublishedObject[] {
  const complete = new Set(published.filter((o) => o.kind === 'ConfigMap' && o.name === `portico-envoy-${o.hash}`).map((o) => o.hash));
  const newestByHash = new Map<string, string>();
  for (const o of published) {
    if (!complete.has(o.hash)) continue;
    const t = newestByHash.get(o.hash);
    if (t === undefined || o.publishedAt > t) newestByHash.set(o.hash, o.publishedAt);
  }
  const generations = [...newestByHash.entries()].sort((a, b) => (a[1] === b[1] ? a[0].localeCompare(b[0]) : a[1] < b[1] ? 1 : -1));
  const kept = new Set(generations.slice(0, keep).map(([hash]) => hash));
  // A generation is referenced as a whole if any of its objects is.
  for (const o of published) if (referencedNames.has(o.name)) kept.add(o.hash);
  return published.filter((o) => !kept.has(o.hash)).sort((a, b) => a.name.localeCompare(b.name));
}
