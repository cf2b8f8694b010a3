// The route list: canary groups, their order, and which hosts each route may answer.
//
// Order: route-order.ts (Emissary's, over the whole match). Envoy takes the first route that matches, so this
// list is the routing contract; envoy/ may lay it out as it likes but must keep it.
//
// Identical matches (from different Mappings) form a canary group, as in Emissary: traffic is split between them
// by their weights (canary-weights.ts), evenly when they set none. A shadow Mapping of the same match does not
// take a share: it gets a copy of the group's requests (the first shadow by name; others mirror nothing). We chose this over rejecting one of them with
// Conflicted because it is what Emissary users migrate with (blue/green and canary by adding a second Mapping),
// it never drops a valid object, and it cannot depend on which object the informer saw first. A member whose
// backend is missing answers 503 for its share, so the problem is visible rather than silently absorbed.
//
// Hosts: a route with a host answers that host (an exact name, or the names a `*.` wildcard covers); one
// without answers every host. With host ownership, a name a namespace owns is answered only by the Mappings of
// that namespace and of the namespaces it granted the name to: the other routes list it in `except`, so a
// host-less `/login/` in one namespace never answers for a host another namespace owns (host-ownership.ts).
import type { IRHostMatch, IRRoute } from './ir.js';
import type { HostOwnership } from './host-ownership.js';
import { CATCH_ALL, coveringPatterns, isWildcard } from './hosts.js';
import { planWeights } from './canary-weights.js';
import { UNAVAILABLE, type MappingCandidate } from './mappings.js';
import { sortByRouteOrder } from './route-order.js';

export interface RouteGroup {
  host?: string;
  prefix: string;
  /** The namespace of the first member (with host ownership, of every member: see canary-groups.ts). */
  namespace: string;
  /** In traffic order, each with its percent. */
  members: MappingCandidate[];
  percents: number[];
  /** The shadow Mapping that mirrors this group (the first by namespace/name). */
  mirror?: MappingCandidate;
  route: IRRoute;
}

/** Shadow Mappings that mirror nothing: no other Mapping has their match, or the group already has a shadow. */
export interface IdleShadow {
  candidate: MappingCandidate;
  /** The shadow that mirrors the group instead, if any. */
  mirroredBy?: string;
}

/** Cleartext requests for `pattern` (`*` = every host) get a 301 to https; set by a TLSContext in `namespace`. */
export interface RedirectClaim {
  pattern: string;
  namespace: string;
}

export interface RouteTable {
  /** Every route, in match order. */
  routes: IRRoute[];
  /** The hosts whose cleartext requests are redirected to https. */
  redirectToHttps: IRHostMatch[];
  /** Every host name a route, redirect or owner names (IRFilterChain.hostNames). */
  hostNames: string[];
  /** Groups in route order; each candidate that is not an idle shadow is in exactly one. */
  groups: RouteGroup[];
  idleShadows: IdleShadow[];
}

/** The group's tie-break: its first member by namespace/name (members are in traffic order). */
const firstId = (members: readonly MappingCandidate[]): string =>
  members.length === 1
    ? `${members[0].namespace}/${members[0].name}`
    : members.map((m) => `${m.namespace}/${m.name}`).sort()[0];

const NO_EXCEPTIONS: readonly string[] = Object.freeze([]);

/** The names inside each pattern that a namespace may not answer; arrays are shared so envoy/ can group by them. */
function exceptionFinder(domains: readonly string[], refused: (namespace: string, domain: string) => boolean) {
  const covered = new Map<string, string[]>();
  for (const d of domains)
    for (const p of coveringPatterns(d)) if (isWildcard(p)) (covered.get(p) ?? covered.set(p, []).get(p)!).push(d);
  const memo = new Map<string, readonly string[]>();
  return (pattern: string, namespace: string): readonly string[] => {
    const key = `${pattern}\n${namespace}`;
    let out = memo.get(key);
    if (!out) {
      const inside = pattern === CATCH_ALL ? domains.filter((d) => d !== CATCH_ALL) : (covered.get(pattern) ?? []);
      const list = inside.filter((d) => refused(namespace, d));
      memo.set(key, (out = list.length > 0 ? list : NO_EXCEPTIONS));
    }
    return out;
  };
}

/** `candidates` must be sorted by namespace/name (group members keep that order). */
export function buildRouteTable(
  candidates: readonly MappingCandidate[],
  redirects: readonly RedirectClaim[],
  ownership: HostOwnership,
): RouteTable {
  const byMatch = new Map<string, { members: MappingCandidate[]; shadows: MappingCandidate[] }>();
  for (const c of candidates) {
    let g = byMatch.get(c.key);
    if (!g) byMatch.set(c.key, (g = { members: [], shadows: [] }));
    (c.shadow ? g.shadows : g.members).push(c);
  }
  const idleShadows: IdleShadow[] = [];
  const formed: RouteGroup[] = [];
  for (const { members, shadows } of byMatch.values()) {
    const mirror = members.length > 0 ? shadows.find((s) => s.action.kind === 'forward') : undefined;
    for (const s of shadows)
      if (s !== mirror)
        idleShadows.push({ candidate: s, ...(mirror ? { mirroredBy: `${mirror.namespace}/${mirror.name}` } : {}) });
    if (members.length === 0) continue;
    const weights = planWeights(members);
    const shares =
      'error' in weights
        ? members.map((m) => ({
            member: { ...m, action: UNAVAILABLE, invalid: weights.error },
            percent: 100 / members.length,
          }))
        : weights.shares;
    const first = shares[0].member;
    formed.push({
      host: first.host,
      prefix: first.prefix,
      namespace: first.namespace,
      members: shares.map((x) => x.member),
      percents: shares.map((x) => x.percent),
      ...(mirror ? { mirror } : {}),
      route: undefined as unknown as IRRoute,
    });
  }
  const groups = sortByRouteOrder(formed, (g) => ({ host: g.host, match: g.members[0].match, id: firstId(g.members) }));

  const domains = [
    ...new Set<string>([
      CATCH_ALL,
      ...groups.flatMap((g) => (g.host ? [g.host] : [])),
      ...redirects.map((r) => r.pattern),
      ...ownership.ownedDomains,
    ]),
  ];
  const notAudience = (namespace: string, domain: string): boolean =>
    ownership.audience(domain)?.has(namespace) === false;
  const routeExceptions = exceptionFinder(domains, notAudience);
  const hostMatch = (host: string | undefined, namespace: string): IRHostMatch => {
    if (host && !isWildcard(host)) return { kind: 'exact', host };
    if (!ownership.enforced)
      return host ? { kind: 'wildcard', pattern: host, except: NO_EXCEPTIONS } : { kind: 'any', except: NO_EXCEPTIONS };
    return host
      ? { kind: 'wildcard', pattern: host, except: routeExceptions(host, namespace) }
      : { kind: 'any', except: routeExceptions(CATCH_ALL, namespace) };
  };

  for (const g of groups) {
    const mirror =
      g.mirror && g.mirror.action.kind === 'forward'
        ? {
            name: `${g.mirror.namespace}/${g.mirror.name}`,
            cluster: g.mirror.action.cluster,
            percent: g.mirror.weight ?? 100,
          }
        : undefined;
    g.route = {
      match: { host: hostMatch(g.host, g.namespace), ...g.members[0].match },
      members: g.members.map((m, i) => ({
        name: `${m.namespace}/${m.name}`,
        weight: g.percents[i],
        action: m.action,
        policy: m.policy,
      })),
      ...(mirror ? { mirror } : {}),
    };
  }

  const redirectExceptions = exceptionFinder(
    domains,
    (namespace, domain) => ownership.refusal('TLSContext', namespace, domain) !== undefined,
  );
  const redirectToHttps: IRHostMatch[] = [];
  for (const r of redirects) {
    if (r.pattern === CATCH_ALL)
      redirectToHttps.push({ kind: 'any', except: redirectExceptions(CATCH_ALL, r.namespace) });
    else if (isWildcard(r.pattern))
      redirectToHttps.push({
        kind: 'wildcard',
        pattern: r.pattern,
        except: redirectExceptions(r.pattern, r.namespace),
      });
    else if (ownership.refusal('TLSContext', r.namespace, r.pattern) === undefined)
      redirectToHttps.push({ kind: 'exact', host: r.pattern });
  }
  return {
    routes: groups.map((g) => g.route),
    redirectToHttps,
    hostNames: domains.filter((d) => d !== CATCH_ALL).sort(),
    groups,
    idleShadows,
  };
}
