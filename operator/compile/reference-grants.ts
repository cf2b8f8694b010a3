// Cross-namespace references: a Mapping's spec.service or a TLSContext's spec.secret may name an object in
// another namespace only when a PorticoReferenceGrant in that (target) namespace allows it, and a Mapping or
// TLSContext may serve a host another namespace owns (host-ownership.ts) only when a grant in the owner's
// namespace lists that host (`to: [{kind: Host, name: api.example.com}]`). Same-namespace references are always
// allowed. Service and Secret grants are indexed once per compile into a Set of permitted (from kind, from
// namespace, to kind, to namespace, to name | *) keys, so each check is O(1); host grants per (owner namespace,
// from kind), since a grant's host may be a `*.` wildcard. A grant that fails the CRD schema grants nothing
// (fail closed); the API server refuses such objects anyway.
import type { PorticoReferenceGrant } from '../api/types.js';
import { admitReferenceGrant } from '../api/validators.js';
import { hostCovers } from './hosts.js';
import { namespaceOf } from '../api/namespaces.js';

export type ReferrerKind = 'Mapping' | 'TLSContext';
export type TargetKind = 'Service' | 'Secret';

export const GRANT_KIND = 'PorticoReferenceGrant';
const ANY_NAME = '*';

export interface ReferenceGrantIndex {
  /** Is `from` (kind in namespace) allowed to refer to `to` (kind, namespace, name)? */
  permits(
    fromKind: ReferrerKind,
    fromNamespace: string,
    toKind: TargetKind,
    toNamespace: string,
    toName: string,
  ): boolean;
  /** May `fromKind`s in `fromNamespace` serve `host` (exact or `*.`), which namespace `ownerNamespace` owns? */
  permitsHost(fromKind: ReferrerKind, fromNamespace: string, ownerNamespace: string, host: string): boolean;
  /** The other namespaces whose `fromKind`s the owner lets serve `host`, sorted. */
  hostGrantees(fromKind: ReferrerKind, ownerNamespace: string, host: string): string[];
}

interface HostGrant {
  fromNamespace: string;
  /** Undefined: every host the granting namespace owns. */
  host?: string;
}

const key = (fromKind: string, fromNs: string, toKind: string, toNs: string, toName: string): string =>
  `${fromKind}\u0000${fromNs}\u0000${toKind}\u0000${toNs}\u0000${toName}`;

export function indexReferenceGrants(grants: readonly PorticoReferenceGrant[] | undefined): ReferenceGrantIndex {
  const allowed = new Set<string>();
  const hostGrants = new Map<string, HostGrant[]>();
  for (const raw of Array.isArray(grants) ? grants : []) {
    if (typeof raw !== 'object' || raw === null) continue;
    const { errors, object } = admitReferenceGrant(raw);
    if (errors.length > 0) continue;
    const toNamespace = namespaceOf(object);
    for (const from of object.spec.from) {
      for (const to of object.spec.to) {
        if (to.kind !== 'Host') {
          allowed.add(key(from.kind, from.namespace, to.kind, toNamespace, to.name ?? ANY_NAME));
          continue;
        }
        const k = `${toNamespace}\u0000${from.kind}`;
        let list = hostGrants.get(k);
        if (!list) hostGrants.set(k, (list = []));
        list.push({ fromNamespace: from.namespace, ...(to.name ? { host: to.name } : {}) });
      }
    }
  }
  const grantsHost = (g: HostGrant, host: string) => g.host === undefined || hostCovers(g.host, host);
  return {
    permits(fromKind, fromNamespace, toKind, toNamespace, toName) {
      if (fromNamespace === toNamespace) return true;
      return (
        allowed.has(key(fromKind, fromNamespace, toKind, toNamespace, toName)) ||
        allowed.has(key(fromKind, fromNamespace, toKind, toNamespace, ANY_NAME))
      );
    },
    permitsHost(fromKind, fromNamespace, ownerNamespace, host) {
      if (fromNamespace === ownerNamespace) return true;
      return (hostGrants.get(`${ownerNamespace}\u0000${fromKind}`) ?? []).some(
        (g) => g.fromNamespace === fromNamespace && grantsHost(g, host),
      );
    },
    hostGrantees(fromKind, ownerNamespace, host) {
      const list = hostGrants.get(`${ownerNamespace}\u0000${fromKind}`);
      if (!list) return [];
      return [
        ...new Set(
          list.filter((g) => g.fromNamespace !== ownerNamespace && grantsHost(g, host)).map((g) => g.fromNamespace),
        ),
      ].sort();
    },
  };
}

/** How a namespace shares a host it owns, for Conflicted messages. */
export function hostGrantHint(
  fromKind: ReferrerKind,
  fromNamespace: string,
  ownerNamespace: string,
  host: string,
): string {
  return `a ${GRANT_KIND} in namespace ${ownerNamespace} with spec.from: [{kind: ${fromKind}, namespace: ${fromNamespace}}], spec.to: [{kind: Host, name: ${JSON.stringify(host)}}] shares it`;
}

/**
 * The RefNotPermitted message: names the field, the target and the grant that would allow it. It says nothing
 * about whether the target exists, so a denied namespace learns nothing about another's objects.
 */
export function refNotPermittedMessage(
  field: string,
  fromKind: ReferrerKind,
  fromNamespace: string,
  toKind: TargetKind,
  toNamespace: string,
  toName: string,
): string {
  return (
    `${field}: ${toKind} ${toNamespace}/${toName} is in another namespace and no ${GRANT_KIND} in namespace ${toNamespace} ` +
    `allows ${fromKind}s from namespace ${fromNamespace} to use it (spec.from: [{kind: ${fromKind}, namespace: ${fromNamespace}}], ` +
    `spec.to: [{kind: ${toKind}, name: ${toName}}])`
  );
}
