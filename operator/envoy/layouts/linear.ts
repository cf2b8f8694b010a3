// The linear layout: a filter chain's route list as Envoy virtual hosts, one per host name the chain mentions
// (its hostNames, and any name a route or redirect names or excepts) plus the catch-all `*`. Envoy picks one
// virtual host per request (exact, then the longest wildcard, then `*`) and scans its routes in order, so each
// virtual host carries, in the chain's order, every route that answers its name. An SNI chain only has the names
// its server names can reach (any other Host lands on `*`).
//
// A virtual host's routes depend only on its name and the routes that answer it, which are the same in every
// chain that has the name (filter-chains.ts keeps every route that can reach a chain's names), so renderers may
// share one virtual host by name across chains and listeners: `routes` is computed only when asked for.
import { CATCH_ALL, compareDomains, coveringPatterns, hostMatchServes, hostsOverlap } from '../../compile/hosts.js';
import type { IRFilterChain, IRHostMatch, IRRoute } from '../../compile/ir.js';

export interface VirtualHostPlan {
  domain: string;
  /** Cleartext chain only: answer everything with a 301 to https. */
  redirect: boolean;
  /** The routes of this virtual host, in the chain's order. */
  routes(): IRRoute[];
}

/** Positions in the chain's route list, by how their host matches. */
interface RouteIndex {
  exact: Map<string, number[]>;
  wildcard: Map<string, number[]>;
  /** Every host-less route, in order. */
  any: number[];
  /** Names some host-less route excepts → the exception lists that name it. */
  anyExcepted: Map<string, Set<readonly string[]>>;
  /** Every name a route names or excepts. */
  names: Set<string>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// Chains that share a route list (the cleartext chain and the default TLS chain) share its index.
const indexes = new WeakMap<readonly IRRoute[], RouteIndex>();

function indexOf(routes: readonly IRRoute[]): RouteIndex {
  let ix = indexes.get(routes);
  if (ix) return ix;
  ix = { exact: new Map(), wildcard: new Map(), any: [], anyExcepted: new Map(), names: new Set() };
  const seenExcept = new Set<readonly string[]>();
  for (let i = 0; i < routes.length; i++) {
    const h = routes[i].match.host;
    if (h.kind === 'exact') {
      push(ix.exact, h.host, i);
      ix.names.add(h.host);
      continue;
    }
    if (h.kind === 'wildcard') {
      push(ix.wildcard, h.pattern, i);
      ix.names.add(h.pattern);
    } else ix.any.push(i);
    if (h.except.length === 0 || seenExcept.has(h.except)) continue;
    seenExcept.add(h.except);
    for (const e of h.except) {
      ix.names.add(e);
      if (h.kind === 'any') {
        let set = ix.anyExcepted.get(e);
        if (!set) ix.anyExcepted.set(e, (set = new Set()));
        set.add(h.except);
      }
    }
  }
  indexes.set(routes, ix);
  return ix;
}

/** Merges ascending lists of positions. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  if (a.length === 0) return b as number[];
  if (b.length === 0) return a as number[];
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
  return out;
}

const exceptOf = (h: IRHostMatch): readonly string[] => (h.kind === 'exact' ? [] : h.except);

function routesFor(domain: string, routes: readonly IRRoute[], ix: RouteIndex): IRRoute[] {
  let order: number[] = ix.exact.get(domain) ?? [];
  for (const p of coveringPatterns(domain)) {
    const list = ix.wildcard.get(p);
    if (list)
      order = mergeSorted(
        order,
        list.filter((i) => !exceptOf(routes[i].match.host).includes(domain)),
      );
  }
  const excluded = ix.anyExcepted.get(domain);
  order = mergeSorted(order, excluded ? ix.any.filter((i) => !excluded.has(exceptOf(routes[i].match.host))) : ix.any);
  return order.map((i) => routes[i]);
}

export function linearVirtualHosts(chain: IRFilterChain): VirtualHostPlan[] {
  const ix = indexOf(chain.routes);
  const names = new Set<string>([CATCH_ALL, ...chain.hostNames, ...ix.names]);
  for (const m of chain.redirectToHttps) {
    if (m.kind === 'exact') names.add(m.host);
    else {
      if (m.kind === 'wildcard') names.add(m.pattern);
      for (const e of m.except) names.add(e);
    }
  }
  let domains = [...names];
  if (chain.serverNames.length > 0) domains = domains.filter((d) => chain.serverNames.some((n) => hostsOverlap(n, d)));
  domains.sort(compareDomains);
  return domains.map((domain) => ({
    domain,
    redirect: chain.redirectToHttps.some((m) => hostMatchServes(m, domain)),
    routes: () => routesFor(domain, chain.routes, ix),
  }));
}
