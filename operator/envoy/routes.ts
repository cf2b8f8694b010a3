// IR virtual hosts → Envoy RouteConfiguration. The cleartext listener answers vhosts marked redirectToHttps with
// a 301 to https; the TLS listener always routes.
import type { IRRoute, IRVirtualHost } from '../compile/ir.js';

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
  return { name: route.name, match, ...routeAction(route) };
}

const REDIRECT_ROUTE = { name: 'https-redirect', match: { prefix: '/' }, redirect: { https_redirect: true } };

export function routeConfiguration(name: string, vhosts: readonly IRVirtualHost[], secure: boolean): Record<string, unknown> {
  return {
    name,
    virtual_hosts: vhosts.map((vh) => ({
      name: vh.name,
      domains: [vh.domain],
      routes: !secure && vh.redirectToHttps ? [REDIRECT_ROUTE] : vh.routes.map(envoyRoute),
    })),
  };
}
