// How Envoy picks a route for one request, read from a rendered Bootstrap's JSON alone: the listener by port,
// the virtual host by :authority (exact, then the longest `*.` suffix, then `*`; the port stripped), the first
// route whose match fits (prefix / path / safe_regex, headers, query parameters, runtime_fraction), then its action. It drives
// `portico dev`'s gateway, so a newcomer's curl exercises the config the operator really published.

import { applyPathHygiene, type EscapedSlashesAction, type PathHygiene } from './path-hygiene.js';

type Json = Record<string, any>;

export type RouteDecision =
  | { kind: 'forward'; cluster: string; path: string; route: string }
  | { kind: 'direct'; status: number; body: string; route: string }
  | { kind: 'redirect'; location: string; status: number; route: string }
  | { kind: 'not-found' }
  | { kind: 'no-listener' };

export interface RequestFacts {
  port: number;
  host: string;
  path: string;
  method?: string;
  headers?: Record<string, string | undefined>;
  /** 0..999999, stands in for Envoy's per-request random value (runtime_fraction). */
  random?: number;
  /** The TLS server name; defaults to the host. Picks among SNI filter chains. */
  sni?: string;
}

export interface ClusterTarget {
  address: string;
  port: number;
  tls: boolean;
  type: string;
}

function plainListeners(bootstrap: Json): Json[] {
  return (bootstrap.static_resources?.listeners ?? []) as Json[];
}

function serverNames(chain: Json): string[] {
  return (chain.filter_chain_match?.server_names ?? []) as string[];
}

/** Envoy's filter chain choice by SNI: exact name, then the longest `*.` wildcard, then the chain without one. */
function pickFilterChain(chains: Json[], sni: string): Json | undefined {
  const exact = chains.find((c) => serverNames(c).includes(sni));
  if (exact) return exact;
  let best: Json | undefined;
  let bestLength = -1;
  for (const c of chains) {
    for (const n of serverNames(c)) {
      if (n.startsWith('*.') && sni.endsWith(n.slice(1)) && n.length > bestLength) {
        best = c;
        bestLength = n.length;
      }
    }
  }
  return best ?? chains.find((c) => serverNames(c).length === 0);
}

/** The HttpConnectionManager that serves a request on a port (and SNI name). */
export function connectionManagerFor(bootstrap: object, port: number, sni = ''): Json | undefined {
  const listener = plainListeners(bootstrap as Json).find((l) => l.address?.socket_address?.port_value === port);
  const chain = pickFilterChain((listener?.filter_chains ?? []) as Json[], sni);
  return (chain?.filters as Json[] | undefined)?.find((f) => f.typed_config?.route_config)?.typed_config;
}

export function pickVirtualHost(vhosts: Json[], rawHost: string): Json | undefined {
  const host = rawHost.replace(/:\d+$/, '').toLowerCase();
  const exact = vhosts.find((v) => (v.domains as string[]).includes(host));
  if (exact) return exact;
  let best: Json | undefined;
  let bestLength = -1;
  for (const v of vhosts) {
    for (const d of v.domains as string[]) {
      if (d.startsWith('*.') && host.endsWith(d.slice(1)) && host.length > d.length - 1 && d.length > bestLength) {
        best = v;
        bestLength = d.length;
      }
    }
  }
  return best ?? vhosts.find((v) => (v.domains as string[]).includes('*'));
}

function stringMatches(m: Json, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (m.exact !== undefined) return value === m.exact;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  if (m.suffix !== undefined) return value.endsWith(m.suffix);
  if (m.contains !== undefined) return value.includes(m.contains);
  if (m.safe_regex) return new RegExp(`^(?:${m.safe_regex.regex})$`).test(value);
  return true;
}

function headersMatch(matchers: Json[] | undefined, req: RequestFacts): boolean {
  for (const h of matchers ?? []) {
    const name = String(h.name).toLowerCase();
    const value = name === ':method' ? req.method : name === ':authority' ? req.host : req.headers?.[name];
    let ok =
      h.present_match !== undefined
        ? (value !== undefined) === h.present_match
        : h.string_match
          ? stringMatches(h.string_match, value)
          : value !== undefined;
    if (h.invert_match) ok = !ok;
    if (!ok) return false;
  }
  return true;
}

/** The first value of each query parameter, percent-decoded (Envoy matches decoded values; `+` stays `+`). */
function queryParams(query: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of (query ?? '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    if (!params.has(name)) params.set(name, percentDecoded(value));
  }
  return params;
}

function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function queryMatch(matchers: Json[] | undefined, query: string | undefined): boolean {
  if (!matchers?.length) return true;
  const params = queryParams(query);
  for (const q of matchers) {
    const value = params.get(String(q.name));
    const ok =
      q.present_match !== undefined
        ? (value !== undefined) === q.present_match
        : q.string_match
          ? stringMatches(q.string_match, value)
          : value !== undefined;
    if (!ok) return false;
  }
  return true;
}

/** The part of the path the route matched, for prefix_rewrite. */
function pathMatch(m: Json, path: string): string | undefined {
  const sensitive = m.case_sensitive !== false;
  const p = sensitive ? path : path.toLowerCase();
  if (m.prefix !== undefined)
    return p.startsWith(sensitive ? m.prefix : String(m.prefix).toLowerCase())
      ? path.slice(0, m.prefix.length)
      : undefined;
  if (m.path !== undefined) return p === (sensitive ? m.path : String(m.path).toLowerCase()) ? path : undefined;
  if (m.safe_regex)
    return new RegExp(`^(?:${m.safe_regex.regex})$`, sensitive ? '' : 'i').test(path) ? path : undefined;
  return undefined;
}

function fractionAdmits(m: Json, random: number): boolean {
  const rf = m.runtime_fraction?.default_value;
  if (!rf) return true;
  const denominator =
    ({ HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 } as Record<string, number>)[
      rf.denominator ?? 'HUNDRED'
    ] ?? 100;
  return random % denominator < (rf.numerator ?? 0);
}

function pickWeighted(action: Json, random: number): string {
  const clusters = action.weighted_clusters.clusters as Json[];
  const total = clusters.reduce((sum, c) => sum + (c.weight ?? 0), 0) || 1;
  let point = random % total;
  for (const c of clusters) {
    point -= c.weight ?? 0;
    if (point < 0) return c.name;
  }
  return clusters[clusters.length - 1].name;
}

function rewrite(action: Json, matched: string, path: string): string {
  if (action.prefix_rewrite !== undefined) return action.prefix_rewrite + path.slice(matched.length);
  if (action.regex_rewrite)
    return path.replace(new RegExp(action.regex_rewrite.pattern.regex, 'g'), action.regex_rewrite.substitution);
  return path;
}

function hygieneOf(hcm: Json): PathHygiene {
  return {
    normalizePath: hcm.normalize_path === true,
    mergeSlashes: hcm.merge_slashes === true,
    escapedSlashes: (hcm.path_with_escaped_slashes_action ?? 'IMPLEMENTATION_SPECIFIC_DEFAULT') as EscapedSlashesAction,
  };
}

export function routeRequest(bootstrap: object, facts: RequestFacts): RouteDecision {
  const hcm = connectionManagerFor(bootstrap, facts.port, (facts.sni ?? facts.host.replace(/:\d+$/, '')).toLowerCase());
  const config = hcm?.route_config;
  if (!config) return { kind: 'no-listener' };
  // Before routing, as the connection manager does: an escaped slash may end the request here.
  const hygiene = applyPathHygiene(facts.path, hygieneOf(hcm));
  if (hygiene.action === 'reject') return { kind: 'direct', status: 400, body: 'Bad Request', route: '' };
  if (hygiene.action === 'redirect')
    return { kind: 'redirect', status: 307, location: hygiene.pathAndQuery, route: '' };
  // strip_trailing_host_dot: "example.com." (or "example.com.:8080") is example.com, upstream and in redirects too.
  const req = hcm.strip_trailing_host_dot ? { ...facts, host: facts.host.replace(/\.(:\d+)?$/, '$1') } : facts;
  const vhost = pickVirtualHost((config.virtual_hosts ?? []) as Json[], req.host);
  if (!vhost) return { kind: 'not-found' };
  const [path, query] = splitQuery(hygiene.pathAndQuery);
  const random = req.random ?? 0;
  for (const route of (vhost.routes ?? []) as Json[]) {
    const m = route.match ?? {};
    const matched = pathMatch(m, path);
    if (
      matched === undefined ||
      !headersMatch(m.headers, req) ||
      !queryMatch(m.query_parameters, query) ||
      !fractionAdmits(m, random)
    )
      continue;
    const name = String(route.name ?? '');
    if (route.redirect) {
      const r = route.redirect;
      const host = (r.host_redirect ?? req.host).replace(/:\d+$/, '');
      const scheme = r.https_redirect ? 'https' : (r.scheme_redirect ?? 'http');
      const location = `${scheme}://${host}${r.path_redirect ?? path}${query !== undefined ? `?${query}` : ''}`;
      const status =
        (
          {
            MOVED_PERMANENTLY: 301,
            FOUND: 302,
            SEE_OTHER: 303,
            TEMPORARY_REDIRECT: 307,
            PERMANENT_REDIRECT: 308,
          } as Record<string, number>
        )[r.response_code ?? 'MOVED_PERMANENTLY'] ?? 301;
      return { kind: 'redirect', location, status, route: name };
    }
    if (route.direct_response)
      return {
        kind: 'direct',
        status: route.direct_response.status,
        body: route.direct_response.body?.inline_string ?? '',
        route: name,
      };
    const action = route.route as Json;
    const cluster = action.weighted_clusters ? pickWeighted(action, random) : String(action.cluster);
    const rewritten = rewrite(action, matched, path);
    return { kind: 'forward', cluster, path: query !== undefined ? `${rewritten}?${query}` : rewritten, route: name };
  }
  return { kind: 'not-found' };
}

function splitQuery(pathAndQuery: string): [string, string?] {
  const i = pathAndQuery.indexOf('?');
  return i < 0 ? [pathAndQuery] : [pathAndQuery.slice(0, i), pathAndQuery.slice(i + 1)];
}

/** The upstream a STRICT_DNS cluster points at, and whether Envoy would originate TLS to it. */
export function clusterTarget(bootstrap: object, name: string): ClusterTarget | undefined {
  const cluster = (((bootstrap as Json).static_resources?.clusters ?? []) as Json[]).find((c) => c.name === name);
  const address = cluster?.load_assignment?.endpoints?.[0]?.lb_endpoints?.[0]?.endpoint?.address?.socket_address;
  if (!address) return undefined;
  return { address: address.address, port: address.port_value, tls: !!cluster.transport_socket, type: cluster.type };
}
