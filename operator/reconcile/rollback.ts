// Was the Envoy Deployment pointed at another config by someone else, on purpose (pure)? `kubectl rollout
// undo` copies an older ReplicaSet's template back into the Deployment, which makes its field manager (kubectl)
// the owner of the config-hash annotation instead of ours. The operator honours that when the template names a
// complete published generation, until its own config changes; anything else (the annotation removed or set to
// the manifests' placeholder, volumes edited out of step, or our own earlier write after a crash) is drift and is
// rolled back to the newest config at once.
import type { DeploymentFacts } from '../kube/rollout-facts.js';
import { HASH_ANNOTATION } from '../publish/names.js';

const PATH = ['f:spec', 'f:template', 'f:metadata', 'f:annotations', `f:${HASH_ANNOTATION}`];

function owns(fields: unknown): boolean {
  let node = fields;
  for (const step of PATH) {
    if (typeof node !== 'object' || node === null || !(step in node)) return false;
    node = (node as Record<string, unknown>)[step];
  }
  return true;
}

/**
 * The managers other than `ours` that own the config-hash annotation, when `ours` does not; empty when we own it
 * or when the API recorded no managed fields (then nothing says someone else chose the config).
 */
export function foreignHashOwners(d: DeploymentFacts | undefined, ours: string): string[] {
  const entries = (d?.metadata?.managedFields ?? []).filter((e) => !e.subresource && owns(e.fieldsV1));
  if (entries.length === 0 || entries.some((e) => e.manager === ours)) return [];
  return [...new Set(entries.map((e) => e.manager ?? 'unknown'))].sort();
}
