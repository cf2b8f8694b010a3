// The linear layout: a filter chain's route list as Envoy virtual hosts, one per host name the chain mentions
// (its hostNames, and any name a route or redirect names or excepts) plus the catch-all `*`. Envoy
// picks one virtual host per request (exact, then the longest wildcard, then `*`) and scans its routes in order,
// so each virtual host carries, in the chain's order, every route that answers its name. An SNI chain only has
// the names its server names can reach (any other Host lands on `*`).
//
// A virtual host's routes depend only on its name and the routes that answer it, which are the same in every
// chain that has the name (filter-chains.ts keeps every route that can reach a chain's names), so renderers may
// share one virtual host by name across chains and listeners.
import { CATCH_ALL, compareDomains, coveringPatterns, hostMatchServes, hostsOverlap } from '../../compile/hosts.js';
import type { IRFilterChain, IRHostMatch, IRRoute } from '../../compile/ir.js';

export interface VirtualHostPlan {
  domain: string;
  /** Cleartext chain only: answer everything with a 301 to https. */
  redirect: boolean;
  routes: IRRoute[];
}

const exceptSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function exceptSet(list: readonly string[]): ReadonlySet<string> {
  let set = exceptSets.get(list);
  if (!set) exceptSets.set(list, (set = new Set(list)));
  return set;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function mentionedNames(matches: readonly IRHostMatch[], into: Set<string>): void {
  for (const m of matches) {
    if (m.kind === 'exact') into.add(m.host);
    else {
      if (m.kind === 'wildcard') into.add(m.pattern);
      for (const e of m.except) into.add(e);
    }
  }
}

export function linearVirtualHosts(chain: IRFilterChain): VirtualHostPlan[] {
  const exact = new Map<string, number[]>();
  const wildcard = new Map<string, number[]>();
  // Host-less routes grouped by their exception list (one per namespace under host ownership, else one).
  const any = new Map<readonly string[], number[]>();
  chain.routes.forEach((r, i) => {
    const h = r.match.host;
    if (h.kind === 'exact') push(exact, h.host, i);
    else if (h.kind === 'wildcard') push(wildcard, h.pattern, i);
    else push(any, h.except, i);
  });

  const names = new Set<string>([CATCH_ALL, ...chain.hostNames]);
  mentionedNames(chain.routes.map((r) => r.match.host), names);
  mentionedNames(chain.redirectToHttps, names);
  let domains = [...names];
  if (chain.serverNames.length > 0) domains = domains.filter((d) => chain.serverNames.some((n) => hostsOverlap(n, d)));
  domains.sort(compareDomains);

  return domains.map((domain) => {
    const lists: number[][] = [];
    const own = exact.get(domain);
    if (own) lists.push(own);
    for (const p of coveringPatterns(domain)) {
      const list = wildcard.get(p);
      if (!list) continue;
      const kept = list.filter((i) => !exceptSet((chain.routes[i].match.host as { except: readonly string[] }).except).has(domain));
      if (kept.length > 0) lists.push(kept);
    }
    for (const [except, list] of any) if (!exceptSet(except).has(domain)) lists.push(list);
    const order = lists.length === 1 ? lists[0] : lists.flat().sort((a, b) => a - b);
    return { domain, redirect: chain.redirectToHttps.some((m) => hostMatchServes(m, domain)), routes: order.map((i) => chain.routes[i]) };
  });
}
