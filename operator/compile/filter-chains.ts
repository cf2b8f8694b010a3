// Listeners and filter chains: cleartext `http` carries every route (and the https redirects); `https` has one
// chain per served TLSContext, chosen by SNI, the default chain (no server names) last. An SNI chain carries only
// the routes whose host its names can reach, plus the host-less ones: giving it every route would copy the whole
// table once per TLSContext, and a request whose Host is outside the chain's names must not reach another
// TLSContext's hosts over this certificate (no domain fronting); it gets the host-less routes.
import { coveringPatterns, hostsOverlap } from './hosts.js';
import type { IRFilterChain, IRHostMatch, IRListener, IRRoute } from './ir.js';
import type { ServedTlsContext } from './tls-contexts.js';

/** Whether some name a route's host covers could arrive with one of these server names. */
function reachability(serverNames: readonly string[]): (host: IRHostMatch) => boolean {
  const names = new Set(serverNames);
  return (host) => {
    if (host.kind === 'any') return true;
    // An exact host: a server name equal to it, or a wildcard name covering it (a Set lookup per parent domain).
    if (host.kind === 'exact') return coveringPatterns(host.host).some((p) => names.has(p));
    return serverNames.some((n) => hostsOverlap(n, host.pattern));
  };
}

const filterReachable = (routes: IRRoute[], reach: (host: IRHostMatch) => boolean): IRRoute[] =>
  routes.filter((r) => reach(r.match.host));

/** `contexts` sorted by name; `routes` in match order. */
export function buildListeners(
  table: { routes: IRRoute[]; redirectToHttps: IRHostMatch[]; hostNames: readonly string[] },
  contexts: readonly ServedTlsContext[],
): IRListener[] {
  const { routes, redirectToHttps, hostNames } = table;
  const http: IRListener = {
    name: 'http',
    filterChains: [{ name: 'http', serverNames: [], routes, redirectToHttps, hostNames }],
  };
  if (contexts.length === 0) return [http];
  const chain = (c: ServedTlsContext): IRFilterChain => ({
    name: c.name,
    serverNames: c.serverNames,
    tls: c.tls,
    routes: c.serverNames.length === 0 ? routes : filterReachable(routes, reachability(c.serverNames)),
    redirectToHttps: [],
    hostNames:
      c.serverNames.length === 0 ? hostNames : hostNames.filter((h) => c.serverNames.some((n) => hostsOverlap(n, h))),
  });
  const sni = contexts.filter((c) => c.serverNames.length > 0).map(chain);
  const fallback = contexts.filter((c) => c.serverNames.length === 0).map(chain);
  return [http, { name: 'https', filterChains: [...sni, ...fallback] }];
}
