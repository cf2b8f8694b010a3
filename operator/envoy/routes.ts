// IR routes → Envoy routes, and a chain's virtual hosts (layouts/linear.ts) → a RouteConfiguration. The cleartext
// listener answers redirected hosts with a 301 to https; the TLS listener always routes.
//
// A canary group (one IR route, several members) becomes one Envoy route per member with the same match and a
// cumulative runtime_fraction, as Emissary renders it: Envoy draws one random number per request for the whole
// route list, so cumulative thresholds split the traffic, and each Mapping keeps its own route name and policy.
import type { IRFilterChain, IRMatch, IRRoute, IRRouteMember, IRStringMatch } from '../compile/ir.js';
import { linearVirtualHosts } from './layouts/linear.js';
import { routeActionPolicy, routeLevelPolicy } from './route-policy.js';
import { routeStatsFields } from './stats-bootstrap.js';

function stringMatch(m: IRStringMatch): Record<string, unknown> {
  if (m.kind === 'present') return { name: m.name, present_match: true };
  return {
    name: m.name,
    string_match: m.kind === 'regex' ? { safe_regex: { regex: m.value ?? '' } } : { exact: m.value ?? '' },
  };
}

function envoyMatch(m: IRMatch, fractionPpm: number | undefined): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  if (m.path.kind === 'prefix') match.prefix = m.path.value;
  else if (m.path.kind === 'exact') match.path = m.path.value;
  else match.safe_regex = { regex: m.path.value };
  if (!m.path.caseSensitive) match.case_sensitive = false;
  if (m.method || m.headers.length > 0)
    match.headers = [
      ...(m.method ? [stringMatch({ name: ':method', kind: 'exact', value: m.method })] : []),
      ...m.headers.map(stringMatch),
    ];
  if (m.query.length > 0) match.query_parameters = m.query.map(stringMatch);
  if (fractionPpm !== undefined)
    match.runtime_fraction = { default_value: { numerator: fractionPpm, denominator: 'MILLION' } };
  return match;
}

/** One Envoy route for a member: its match (with the cumulative share), where it goes, its policy. */
function envoyRoute(
  member: IRRouteMember,
  match: Record<string, unknown>,
  mirror: IRRoute['mirror'],
): Record<string, unknown> {
  const a = member.action;
  const policy = hasPolicy(member.policy);
  if (a.kind === 'direct') {
    const r: Record<string, unknown> = {
      name: member.name,
      match,
      direct_response: { status: a.status, body: { inline_string: a.body } },
    };
    return withStats(policy ? Object.assign(r, routeLevelPolicy(member.policy)) : r, member.name, true);
  }
  const action: Record<string, unknown> = { cluster: a.cluster };
  if (a.rewrite.kind === 'prefix') action.prefix_rewrite = a.rewrite.value;
  else if (a.rewrite.kind === 'regex')
    action.regex_rewrite = { pattern: { regex: a.rewrite.pattern }, substitution: a.rewrite.substitution };
  if (policy || mirror || a.hostRewrite) Object.assign(action, routeActionPolicy(member.policy, a, mirror));
  const r: Record<string, unknown> = { name: member.name, match, route: action };
  return withStats(policy ? Object.assign(r, routeLevelPolicy(member.policy)) : r, member.name, false);
}

/** The route with its statistics fields (stats-bootstrap.ts); per-filter configs of both are kept. */
function withStats(r: Record<string, unknown>, mapping: string, noBackend: boolean): Record<string, unknown> {
  const stats = routeStatsFields(mapping, noBackend);
  const own = r.typed_per_filter_config as Record<string, unknown> | undefined;
  const counted = stats.typed_per_filter_config as Record<string, unknown> | undefined;
  Object.assign(r, stats);
  if (own && counted) r.typed_per_filter_config = { ...own, ...counted };
  else if (own) r.typed_per_filter_config = own;
  return r;
}

/** One Envoy route per member; all but the last take the request below their cumulative share (parts per million). */
function envoyRoutes(route: IRRoute): Record<string, unknown>[] {
  if (route.members.length === 1)
    return [envoyRoute(route.members[0], envoyMatch(route.match, undefined), route.mirror)];
  let cumulative = 0;
  return route.members.map((member, i) => {
    cumulative += member.weight;
    const last = i === route.members.length - 1;
    return envoyRoute(
      member,
      envoyMatch(route.match, last ? undefined : Math.round(cumulative * 10_000)),
      route.mirror,
    );
  });
}

const hasPolicy = (p: object): boolean => {
  for (const _ in p) return true;
  return false;
};

const REDIRECT_ROUTE = { name: 'https-redirect', match: { prefix: '/' }, redirect: { https_redirect: true } };

/**
 * Envoy objects already built in one render: a host-less route is on every virtual host, and a virtual host
 * (by name: see layouts/linear.ts) is the same on every chain and listener that has it. Sharing them saves
 * building, memory and serialisation (canonicalJson serialises each distinct object once). Consumers treat the
 * bootstrap as read-only.
 */
export interface RouteMemo {
  routes: Map<IRRoute, Record<string, unknown>[]>;
  vhosts: Map<string, Record<string, unknown>>;
}

export const newRouteMemo = (): RouteMemo => ({ routes: new Map(), vhosts: new Map() });

function sharedRoutes(route: IRRoute, memo: RouteMemo): Record<string, unknown>[] {
  let r = memo.routes.get(route);
  if (!r) memo.routes.set(route, (r = envoyRoutes(route)));
  return r;
}

export function routeConfiguration(
  name: string,
  chain: IRFilterChain,
  memo: RouteMemo = newRouteMemo(),
): Record<string, unknown> {
  return {
    name,
    virtual_hosts: linearVirtualHosts(chain).map((vh) => {
      if (vh.redirect) return { name: vh.domain, domains: [vh.domain], routes: [REDIRECT_ROUTE] };
      let v = memo.vhosts.get(vh.domain);
      if (!v)
        memo.vhosts.set(
          vh.domain,
          (v = { name: vh.domain, domains: [vh.domain], routes: vh.routes().flatMap((r) => sharedRoutes(r, memo)) }),
        );
      return v;
    }),
  };
}
