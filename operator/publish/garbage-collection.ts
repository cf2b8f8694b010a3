// Pure choice of which published generations to delete: keep the newest `keep` complete generations, and never
// one that the Deployment or a live ReplicaSet still references (a rollout in progress, or `kubectl rollout
// undo` target that is still running). A generation without its head ConfigMap `portico-envoy-<hash>` (written
// last) was cut short by a crash and can never be rolled to, so it goes unless something references it.
// reconcile/publisher.ts lists the objects, asks here what to delete, and deletes it.
import { HASH_LABEL, PUBLISHED_AT_ANNOTATION, configMapName } from './names.js';
import { publicationNames, type Publication } from './publication.js';
import { referencedNames, type PodTemplateHolder } from './template-refs.js';

export interface PublishedObject {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  hash: string;
  /** ISO time from the published-at annotation (falls back to creationTimestamp). */
  publishedAt: string;
}

export const GENERATIONS_TO_KEEP = 3;

export function selectGarbage(
  published: PublishedObject[],
  referencedNames: ReadonlySet<string>,
  keep = GENERATIONS_TO_KEEP,
): PublishedObject[] {
  const complete = new Set(
    published.filter((o) => o.kind === 'ConfigMap' && o.name === configMapName(o.hash)).map((o) => o.hash),
  );
  const newestByHash = new Map<string, string>();
  for (const o of published) {
    if (!complete.has(o.hash)) continue;
    const t = newestByHash.get(o.hash);
    if (t === undefined || o.publishedAt > t) newestByHash.set(o.hash, o.publishedAt);
  }
  const generations = [...newestByHash.entries()].sort((a, b) =>
    a[1] === b[1] ? a[0].localeCompare(b[0]) : a[1] < b[1] ? 1 : -1,
  );
  const kept = new Set(generations.slice(0, keep).map(([hash]) => hash));
  // A generation is referenced as a whole if any of its objects is.
  for (const o of published) if (referencedNames.has(o.name)) kept.add(o.hash);
  return published.filter((o) => !kept.has(o.hash)).sort((a, b) => a.name.localeCompare(b.name));
}

/** A listed ConfigMap or Secret as garbage collection sees it (undefined: not one of ours). */
export function publishedObjectOf(o: {
  kind?: string;
  metadata?: {
    name?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: unknown;
  };
}): PublishedObject | undefined {
  const hash = o.metadata?.labels?.[HASH_LABEL];
  const name = o.metadata?.name;
  if (!hash || !name || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) return undefined;
  const created = o.metadata?.creationTimestamp;
  const publishedAt =
    o.metadata?.annotations?.[PUBLISHED_AT_ANNOTATION] ??
    (created instanceof Date ? created.toISOString() : typeof created === 'string' ? created : '');
  return { kind: o.kind, name, hash, publishedAt };
}

/**
 * The published names still in use: the current publication's, every name the Deployment's template references
 * (the template just replaced may still be rolling out, even before its ReplicaSet shows up), and those of every
 * live ReplicaSet.
 */
export function namesInUse(
  current: Publication,
  deployment: PodTemplateHolder | undefined,
  replicaSets: ReadonlyArray<PodTemplateHolder & { spec?: { replicas?: number }; status?: { replicas?: number } }>,
): Set<string> {
  const names = publicationNames(current);
  const inUse = new Set<string>([...names.configMaps, ...names.secrets]);
  for (const n of referencedNames(deployment)) inUse.add(n);
  for (const rs of replicaSets) {
    const live = (rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0;
    if (live) for (const n of referencedNames(rs)) inUse.add(n);
  }
  return inUse;
}
