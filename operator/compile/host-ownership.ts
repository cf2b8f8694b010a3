// Host ownership (`--host-ownership=namespace`, the default): a host belongs to the namespace that named it
// first. Every Mapping `spec.host` and TLSContext `spec.hosts` entry that passes the schema is a claim, whether
// or not the rest of the object is valid, so a typo elsewhere cannot hand the host to another namespace. The
// owner of a name is the namespace of the oldest claim (creationTimestamp, then namespace/name) among the name
// itself and every `*.` wildcard covering it: a namespace that named `*.example.com` first owns
// `api.example.com` too, and one that named `api.example.com` first keeps it when another names the wildcard
// later. Objects of other namespaces may serve an owned name only with the owner's grant (reference-grants.ts).
// In `open` mode nothing is owned and every check passes (one trusted tenant).
import { coveringPatterns } from './hosts.js';
import { ageText, compareAge, type Aged } from './object-age.js';
import type { HostOwnership as OwnershipMode } from './options.js';
import { hostGrantHint, type ReferenceGrantIndex, type ReferrerKind } from './reference-grants.js';

export interface HostClaim extends Aged {
  host: string;
  kind: ReferrerKind;
}

export interface HostOwnership {
  readonly enforced: boolean;
  /** The claim that makes a namespace own `host` (exact or `*.`), or undefined when nobody owns it. */
  ownerOf(host: string): HostClaim | undefined;
  /** Why a `kind` in `namespace` may not serve `host`, or undefined when it may. */
  refusal(kind: ReferrerKind, namespace: string, host: string): string | undefined;
  /** The namespaces whose Mappings may serve `domain` (its owner and grantees); undefined when any may. */
  audience(domain: string): ReadonlySet<string> | undefined;
  /** Owned names some permitted object named: each needs its own virtual host (see routes.ts). */
  readonly ownedDomains: readonly string[];
}

const OPEN: HostOwnership = {
  enforced: false,
  ownerOf: () => undefined,
  refusal: () => undefined,
  audience: () => undefined,
  ownedDomains: [],
};

export function buildHostOwnership(
  mode: OwnershipMode,
  claims: readonly HostClaim[],
  grants: ReferenceGrantIndex,
): HostOwnership {
  if (mode === 'open') return OPEN;
  const oldest = new Map<string, HostClaim>();
  const claimants = new Map<string, HostClaim[]>();
  for (const c of claims) {
    const prev = oldest.get(c.host);
    if (!prev || compareAge(c, prev) < 0) oldest.set(c.host, c);
    let list = claimants.get(c.host);
    if (!list) claimants.set(c.host, (list = []));
    list.push(c);
  }
  const owners = new Map<string, HostClaim | undefined>();
  const ownerOf = (host: string): HostClaim | undefined => {
    if (owners.has(host)) return owners.get(host);
    let best: HostClaim | undefined;
    for (const p of coveringPatterns(host)) {
      const c = oldest.get(p);
      if (c && (!best || compareAge(c, best) < 0)) best = c;
    }
    owners.set(host, best);
    return best;
  };
  const refusal = (kind: ReferrerKind, namespace: string, host: string): string | undefined => {
    const owner = ownerOf(host);
    if (!owner || owner.namespace === namespace || grants.permitsHost(kind, namespace, owner.namespace, host))
      return undefined;
    const what = owner.host === host ? 'it' : owner.host;
    return `host ${host} belongs to namespace ${owner.namespace}, which named ${what} first (${ageText(owner)}); ${hostGrantHint(kind, namespace, owner.namespace, host)}`;
  };
  const audiences = new Map<string, ReadonlySet<string> | undefined>();
  const audience = (domain: string): ReadonlySet<string> | undefined => {
    if (audiences.has(domain)) return audiences.get(domain);
    const owner = ownerOf(domain);
    const set = owner
      ? new Set([owner.namespace, ...grants.hostGrantees('Mapping', owner.namespace, domain)])
      : undefined;
    audiences.set(domain, set);
    return set;
  };
  const ownedDomains = [...claimants.entries()]
    .filter(([host, list]) => list.some((c) => refusal(c.kind, c.namespace, host) === undefined))
    .map(([host]) => host)
    .sort();
  return { enforced: true, ownerOf, refusal, audience, ownedDomains };
}
