// Route order and virtual hosts.
//
// Order (Envoy takes the first route that matches, so this is the routing contract): longer prefix first; for
// equal prefixes, a more specific host first (exact, then longer wildcard, then no host); then namespace/name.
// Later issues put `precedence` in front of prefix length, as Emissary does.
//
// Identical matches (same host and prefix, from different Mappings) form a canary group, as in Emissary: traffic
// is split evenly between them, in namespace/name order, one Envoy route per Mapping with cumulative
// runtime_fraction thresholds. We chose this over rejecting one of them with Conflicted because it is what
// Emissary users migrate with (blue/green and canary by adding a second Mapping), it never drops a valid object,
// and it cannot depend on which object the informer saw first. A member whose backend is missing answers 503 for
// its share, so the problem is visible rather than silently absorbed by the others.
//
// Virtual hosts: one per distinct host of a Mapping (plus hosts that need a cleartext redirect, plus, with host
// ownership, every owned host), plus the catch-all `*`. Each vhost carries the Mappings without a host and
// those whose host covers its domain. With host ownership, a vhost whose domain a namespace owns carries only
// the Mappings of that namespace and of the namespaces it granted the host to: a host-less `/login/` in one
// namespace never answers for a host another namespace owns (host-ownership.ts). Requests for hosts nobody
// owns reach the `*` vhost, where every namespace's host-less Mappings are.
import type { IRRoute, IRVirtualHost } from './ir.js';
import type { HostOwnership } from './host-ownership.js';
import { CATCH_ALL, compareDomains, coveringPatterns, hostCovers, hostSpecificity } from './hosts.js';
import type { MappingCandidate } from './mappings.js';
import { compareStrings } from './source-objects.js';

export const PPM = 1_000_000;

export interface RouteGroup {
  host?: string;
  prefix: string;
  /** The namespace of the first member (with host ownership, of every member: see canary-groups.ts). */
  namespace: string;
  members: MappingCandidate[];
  routes: IRRoute[];
}

/** Cleartext requests for `pattern` (`*` = every host) get a 301 to https; set by a TLSContext in `namespace`. */
export interface RedirectClaim {
  pattern: string;
  namespace: string;
}

export interface RouteTable {
  virtualHosts: IRVirtualHost[];
  /** Groups in route order; each candidate is in exactly one. */
  groups: RouteGroup[];
}

function compareGroups(a: RouteGroup, b: RouteGroup): number {
  return (
    b.prefix.length - a.prefix.length ||
    hostSpecificity(b.host) - hostSpecificity(a.host) ||
    compareStrings(a.host ?? '', b.host ?? '') ||
    compareStrings(a.prefix, b.prefix)
  );
}

function groupRoutes(members: MappingCandidate[]): IRRoute[] {
  const n = members.length;
  return members.map((m, i) => {
    const route: IRRoute = { name: `${m.namespace}/${m.name}`, prefix: m.prefix, action: m.action };
    if (i < n - 1) route.runtimeFractionPpm = Math.round(((i + 1) * PPM) / n);
    return route;
  });
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
}

/** `candidates` must be sorted by namespace/name (group members keep that order). */
export function buildRouteTable(candidates: readonly MappingCandidate[], redirects: readonly RedirectClaim[], ownership: HostOwnership): RouteTable {
  const byMatch = new Map<string, RouteGroup>();
  for (const c of candidates) {
    const key = `${c.host ?? ''}\n${c.prefix}`;
    let g = byMatch.get(key);
    if (!g) byMatch.set(key, (g = { host: c.host, prefix: c.prefix, namespace: c.namespace, members: [], routes: [] }));
    g.members.push(c);
  }
  const groups = [...byMatch.values()].sort(compareGroups);
  for (const g of groups) g.routes = groupRoutes(g.members);

  // Group positions (already in route order) per host; host-less groups apply everywhere, or per namespace.
  const hostless: number[] = [];
  const hostlessByNamespace = new Map<string, number[]>();
  const byHost = new Map<string, number[]>();
  groups.forEach((g, i) => {
    if (g.host) return push(byHost, g.host, i);
    hostless.push(i);
    push(hostlessByNamespace, g.namespace, i);
  });

  const domains = new Set<string>([CATCH_ALL, ...byHost.keys(), ...redirects.map((r) => r.pattern), ...ownership.ownedDomains]);
  const virtualHosts = [...domains].sort(compareDomains).map((domain): IRVirtualHost => {
    const audience = ownership.audience(domain);
    let specific = coveringPatterns(domain).flatMap((p) => byHost.get(p) ?? []);
    let general = hostless;
    if (audience) {
      specific = specific.filter((i) => audience.has(groups[i].namespace));
      // Usually one namespace (no grants): its list is already in route order.
      general = audience.size === 1 ? (hostlessByNamespace.get([...audience][0]) ?? []) : [...audience].flatMap((ns) => hostlessByNamespace.get(ns) ?? []).sort((a, b) => a - b);
    }
    specific.sort((a, b) => a - b);
    const order = mergeSorted(general, specific);
    const redirectToHttps = redirects.some(
      (r) => (r.pattern === CATCH_ALL || hostCovers(r.pattern, domain)) && ownership.refusal('TLSContext', r.namespace, domain) === undefined,
    );
    return { name: domain, domain, redirectToHttps, routes: order.flatMap((i) => groups[i].routes) };
  });
  return { virtualHosts, groups };
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return a as number[];
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}
