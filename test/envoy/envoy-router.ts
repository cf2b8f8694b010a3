// A small model of how Envoy routes one request through a rendered Bootstrap, for tests: listener by port,
// virtual host by :authority (exact, then longest `*.` suffix wildcard, then `*`; port stripped), first route
// whose prefix matches and whose runtime_fraction admits the request's random value, then the route's action
// (prefix_rewrite swaps the matched prefix; regex_rewrite is a global replace, as RE2::GlobalReplace).
// It reads only the JSON, so it checks the rendered config rather than the compiler's intentions.

export type Routed =
  | { kind: 'forward'; cluster: string; path: string; route: string }
  | { kind: 'direct'; status: number; route: string }
  | { kind: 'redirect'; https: boolean }
  | { kind: 'not-found' }
  | { kind: 'no-listener' };

interface Json {
  [k: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function routeRequest(bootstrap: object, req: { port: number; host: string; path: string; random?: number; sni?: string }): Routed {
  const listeners = (bootstrap as Json).static_resources.listeners as Json[];
  const listener = listeners.find((l) => l.address.socket_address.port_value === req.port);
  if (!listener) return { kind: 'no-listener' };
  const chains = listener.filter_chains as Json[];
  const sni = req.sni ?? req.host.split(':')[0];
  const chain =
    chains.find((c) => (c.filter_chain_match?.server_names ?? []).includes(sni)) ??
    chains
      .filter((c) => (c.filter_chain_match?.server_names ?? []).some((n: string) => n.startsWith('*.') && sni.endsWith(n.slice(1))))
      .sort((a, b) => longestName(b) - longestName(a))[0] ??
    chains.find((c) => !c.filter_chain_match);
  if (!chain) return { kind: 'no-listener' };
  const hcm = chain.filters[0].typed_config as Json;
  const host = req.host.split(':')[0].toLowerCase();
  const vhosts = hcm.route_config.virtual_hosts as Json[];
  const vhost =
    vhosts.find((v) => v.domains.includes(host)) ??
    vhosts
      .filter((v) => v.domains.some((d: string) => d.startsWith('*.') && host.endsWith(d.slice(1)) && host.length > d.length - 1))
      .sort((a, b) => b.domains[0].length - a.domains[0].length)[0] ??
    vhosts.find((v) => v.domains.includes('*'));
  if (!vhost) return { kind: 'not-found' };
  const random = req.random ?? 0;
  for (const route of vhost.routes as Json[]) {
    const m = route.match;
    const matches = m.prefix !== undefined ? req.path.startsWith(m.prefix) : m.path !== undefined ? req.path === m.path : false;
    if (!matches) continue;
    const rf = m.runtime_fraction?.default_value;
    if (rf) {
      const denominator = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 }[rf.denominator as string] ?? 100;
      if (random % denominator >= rf.numerator) continue;
    }
    if (route.redirect) return { kind: 'redirect', https: route.redirect.https_redirect === true };
    if (route.direct_response) return { kind: 'direct', status: route.direct_response.status, route: route.name };
    const action = route.route;
    let path = req.path;
    if (action.prefix_rewrite !== undefined) path = action.prefix_rewrite + req.path.slice(m.prefix.length);
    else if (action.regex_rewrite) path = req.path.replace(new RegExp(action.regex_rewrite.pattern.regex, 'g'), action.regex_rewrite.substitution);
    return { kind: 'forward', cluster: action.cluster, path, route: route.name };
  }
  return { kind: 'not-found' };
}

function longestName(c: Json): number {
  return Math.max(...(c.filter_chain_match?.server_names ?? ['']).map((n: string) => n.length));
}

/** The upstream address (host:port) and whether TLS is originated, for a cluster name. */
export function clusterTarget(bootstrap: object, name: string): { address: string; port: number; tls: boolean; type: string } | undefined {
  const c = ((bootstrap as Json).static_resources.clusters as Json[]).find((x) => x.name === name);
  if (!c) return undefined;
  const sa = c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address;
  return { address: sa.address, port: sa.port_value, tls: !!c.transport_socket, type: c.type };
}
