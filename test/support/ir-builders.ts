// Small IRs built by hand, for tests that render configs the compiler would not produce (or that need only a
// route or two). The listeners come from compile's own buildListeners, so chains are laid out as compile does.
import { buildListeners } from '../../operator/compile/filter-chains.js';
import type {
  GatewayIR,
  IRCluster,
  IRDirectResponse,
  IRDownstreamTls,
  IRForward,
  IRHostMatch,
  IRRewrite,
  IRRoute,
} from '../../operator/compile/ir.js';

const NONE: IRRewrite = { kind: 'none' };

function hostMatch(host: string | undefined): IRHostMatch {
  if (!host) return { kind: 'any', except: [] };
  return host.startsWith('*.') ? { kind: 'wildcard', pattern: host, except: [] } : { kind: 'exact', host };
}

/** One Mapping's route: a plain prefix, an optional host, forwarding or answering directly. */
export function simpleRoute(
  name: string,
  prefix: string,
  action: IRForward | IRDirectResponse,
  host?: string,
): IRRoute {
  return {
    match: {
      host: hostMatch(host),
      path: { kind: 'prefix', value: prefix, caseSensitive: true },
      headers: [],
      query: [],
      precedence: 0,
    },
    members: [{ name, weight: 100, action, policy: {} }],
  };
}

export const forwardRoute = (
  name: string,
  prefix: string,
  cluster: string,
  rewrite: IRRewrite = NONE,
  host?: string,
): IRRoute => simpleRoute(name, prefix, { kind: 'forward', cluster, rewrite }, host);

export interface TlsChainSpec {
  name: string;
  serverNames: string[];
  tls: IRDownstreamTls;
}

/** `routes` in match order (the caller's responsibility); TLS chains with names first, as compile orders them. */
export function gatewayIR(
  routes: IRRoute[],
  clusters: IRCluster[] = [],
  tls: TlsChainSpec[] = [],
  files: Record<string, string> = {},
): GatewayIR {
  return { listeners: buildListeners({ routes, redirectToHttps: [], hostNames: [] }, tls), clusters, tls: { files } };
}
