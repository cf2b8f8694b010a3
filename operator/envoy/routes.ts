// IR virtual hosts → Envoy RouteConfiguration. The cleartext listener answers vhosts marked redirectToHttps with
// a 301 to https; the TLS listener always routes.
import type { IRRoute, IRVirtualHost } from '../compile/ir.js';
import { routeStatsFields } from './stats-bootstrap.js';

function routeAction(route: IRRoute): Record<string, unknown> {
  const a = route.action;
  if (a.kind === 'direct') return { direct_response: { status: a.status, body: { inline_string: a.body } } };
  const action: Record<string, unknown> = { cluster: a.cluster };
  if (a.rewrite.kind === 'prefix') action.prefix_rewrite = a.rewrite.value;
  else if (a.rewrite.kind === 'regex') action.regex_rewrite = { pattern: { regex: a.rewrite.pattern }, substitution: a.rewrite.substitution };
  return { route: action };
}

function envoyRoute(route: IRRoute): Record<string, unknown> {
  const match: Record<string, unknown> = { prefix: route.prefix };
  if (route.runtimeFractionPpm !== undefined) {
    match.runtime_fraction = { default_value: { numerator: route.runtimeFractionPpm, denominator: 'MILLION' } };
  }
  return { name: route.name, match, ...routeAction(route), ...routeStatsFields(route.name, route.action.kind === 'direct') };
}

const REDIRECT_ROUTE = { name: 'https-redirect', match: { prefix: '/' }, redirect: { https_redirect: true } };

/**
 * Envoy objects already built in one render, by IR object: a host-less route is on every virtual host, and a
 * virtual host that does not redirect is the same on both listeners. Sharing them saves building, memory and
 * serialisation (canonicalJson serialises each distinct object once). Consumers treat the bootstrap as read-only.
 */
export interface RouteMemo {
  routes: Map<IRRoute, Record<string, unknown>>;
  vhosts: Map<IRVirtualHost, Record<string, unknown>>;
}

export const newRouteMemo = (): RouteMemo => ({ routes: new Map(), vhosts: new Map() });

function sharedRoute(route: IRRoute, memo: RouteMemo): Record<string, unknown> {
  let r = memo.routes.get(route);
  if (!r) memo.routes.set(route, (r = envoyRoute(route)));
  return r;
}

function routingVhost(vh: IRVirtualHost, memo: RouteMemo): Record<string, unknown> {
  let v = memo.vhosts.get(vh);
  if (!v) memo.vhosts.set(vh, (v = { name: vh.name, domains: [vh.domain], routes: vh.routes.map((r) => sharedRoute(r, memo)) }));
  return v;
}

export function routeConfiguration(name: string, vhosts: readonly IRVirtualHost[], secure: boolean, memo: RouteMemo = newRouteMemo()): Record<string, unknown> {
  return {
    name,
    virtual_hosts: vhosts.map((vh) =>
      !secure && vh.redirectToHttps ? { name: vh.name, domains: [vh.domain], routes: [REDIRECT_ROUTE] } : routingVhost(vh, memo),
    ),
  };
}
