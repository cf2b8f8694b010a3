// Cross-namespace references: a Mapping's spec.service or a TLSContext's spec.secret may name an object in
// another namespace only when a PorticoReferenceGrant in that (target) namespace allows it. Same-namespace
// references are always allowed. The grants are indexed once per compile into a Set of permitted
// (from kind, from namespace, to kind, to namespace, to name | *) keys, so each check is O(1).
// A grant that fails the CRD schema grants nothing (fail closed); the API server refuses such objects anyway.
import type { PorticoReferenceGrant } from '../api/types.js';
import { admitReferenceGrant } from '../api/validators.js';
import { namespaceOf } from './source-objects.js';

export type ReferrerKind = 'Mapping' | 'TLSContext';
export type TargetKind = 'Service' | 'Secret';

export const GRANT_KIND = 'PorticoReferenceGrant';
const ANY_NAME = '*';

export interface ReferenceGrantIndex {
  /** Is `from` (kind in namespace) allowed to refer to `to` (kind, namespace, name)? */
  permits(fromKind: ReferrerKind, fromNamespace: string, toKind: TargetKind, toNamespace: string, toName: string): boolean;
}

const key = (fromKind: string, fromNs: string, toKind: string, toNs: string, toName: string): string =>
  `${fromKind}\u0000${fromNs}\u0000${toKind}\u0000${toNs}\u0000${toName}`;

export function indexReferenceGrants(grants: readonly PorticoReferenceGrant[] | undefined): ReferenceGrantIndex {
  const allowed = new Set<string>();
  for (const raw of Array.isArray(grants) ? grants : []) {
    if (typeof raw !== 'object' || raw === null) continue;
    const { errors, object } = admitReferenceGrant(raw);
    if (errors.length > 0) continue;
    const toNamespace = namespaceOf(object);
    for (const from of object.spec.from) {
      for (const to of object.spec.to) allowed.add(key(from.kind, from.namespace, to.kind, toNamespace, to.name ?? ANY_NAME));
    }
  }
  return {
    permits(fromKind, fromNamespace, toKind, toNamespace, toName) {
      if (fromNamespace === toNamespace) return true;
      return allowed.has(key(fromKind, fromNamespace, toKind, toNamespace, toName)) || allowed.has(key(fromKind, fromNamespace, toKind, toNamespace, ANY_NAME));
    },
  };
}

/**
 * The RefNotPermitted message: names the field, the target and the grant that would allow it. It says nothing
 * about whether the target exists, so a denied namespace learns nothing about another's objects.
 */
export function refNotPermittedMessage(field: string, fromKind: ReferrerKind, fromNamespace: string, toKind: TargetKind, toNamespace: string, toName: string): string {
  return (
    `${field}: ${toKind} ${toNamespace}/${toName} is in another namespace and no ${GRANT_KIND} in namespace ${toNamespace} ` +
    `allows ${fromKind}s from namespace ${fromNamespace} to use it (spec.from: [{kind: ${fromKind}, namespace: ${fromNamespace}}], ` +
    `spec.to: [{kind: ${toKind}, name: ${toName}}])`
  );
}
