// Canary groups never span namespaces (with host ownership on): several Mappings with the same match (host, path, method, headers, query, precedence)
// split traffic, which is how a team runs blue/green, but a Mapping in another namespace must not be able to
// join a group and take a share of its traffic. The namespace of the group's oldest Mapping keeps the match;
// identical Mappings of other namespaces are refused with Conflicted. In `open` mode groups may span
// namespaces, as in Emissary.
import { compareAge } from './object-age.js';
import type { MappingCandidate } from './mappings.js';

export interface CanaryConflict {
  candidate: MappingCandidate;
  /** The namespace that keeps the match. */
  holderNamespace: string;
}

/** `candidates` sorted by namespace/name; `kept` keeps that order. */
export function confineCanaryGroups(candidates: readonly MappingCandidate[]): {
  kept: MappingCandidate[];
  conflicts: CanaryConflict[];
} {
  const oldest = new Map<string, MappingCandidate>();
  for (const c of candidates) {
    const k = c.key;
    const prev = oldest.get(k);
    if (!prev || compareAge(c, prev) < 0) oldest.set(k, c);
  }
  const kept: MappingCandidate[] = [];
  const conflicts: CanaryConflict[] = [];
  for (const c of candidates) {
    const holder = oldest.get(c.key)!.namespace;
    if (holder === c.namespace) kept.push(c);
    else conflicts.push({ candidate: c, holderNamespace: holder });
  }
  return { kept, conflicts };
}
