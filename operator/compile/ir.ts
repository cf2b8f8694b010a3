// The Gateway IR: what compile/ decided, in Envoy-neutral terms (docs/design/ir.md). envoy/ turns it into a
// Bootstrap and owns every Envoy mechanism (virtual hosts, runtime fractions, regex wrappers). Everything here is
// already sorted; each filter chain's route list is the routing contract: a request gets the first route that
// matches it, however a renderer lays the list out.
import type { TlsVersion } from '../api/types.js';

export interface GatewayIR {
  /** `http` always; `https` when some TLSContext is programmed. */
  listeners: IRListener[];
  /** Upstream clusters, sorted by name. */
  clusters: IRCluster[];
  /** Certificate and key files for the certs Secret: file name → PEM. */
  tls: { files: Record<string, string> };
}

export interface IRListener {
  name: 'http' | 'https';
  /** https: one per TLSContext, those with server names (SNI) first, the default chain last; http: one. */
  filterChains: IRFilterChain[];
}

export interface IRFilterChain {
  /** `http`, or `<namespace>/<name>` of the TLSContext. */
  name: string;
  /** SNI names this chain is chosen for (exact or `*.`); empty: the default chain. */
  serverNames: string[];
  tls?: IRDownstreamTls;
  /** In match order (the comparator of route-order.ts). Only routes whose host these server names can reach. */
  routes: IRRoute[];
  /** Cleartext only: requests for these hosts are answered with a 301 to https, before any route. */
  redirectToHttps: IRHostMatch[];
  /**
   * The host names (exact or `*.`) a request's Host is judged by, besides those the routes and redirects name:
   * every name a namespace owns, so an owned name whose routes differ from its parent wildcard's is told apart.
   */
  hostNames: readonly string[];
}

export interface IRDownstreamTls {
  certFile: string;
  keyFile: string;
  minTlsVersion: TlsVersion;
  maxTlsVersion?: TlsVersion;
  alpnProtocols: string[];
}

/**
 * Which request hosts a route (or redirect) answers. `except` lists the names (exact or `*.`) inside the pattern
 * it must not answer, because host ownership gives them to another namespace; a request is judged by the most
 * specific name (exact, then the longest wildcard) that covers its host among the names the chain mentions.
 */
export type IRHostMatch =
  | { kind: 'exact'; host: string }
  | { kind: 'wildcard'; pattern: string; except: readonly string[] }
  | { kind: 'any'; except: readonly string[] };

export interface IRPathMatch {
  /** prefix: a plain string prefix (Ambassador: /user also matches /users); exact: the whole path; regex: RE2, whole path. */
  kind: 'prefix' | 'exact' | 'regex';
  value: string;
  caseSensitive: boolean;
}

/** A header or query parameter constraint (Envoy Gateway's StringMatch, reduced to what Emissary offers). */
export interface IRStringMatch {
  name: string;
  kind: 'exact' | 'regex' | 'present';
  value?: string;
}

export interface IRMatch {
  host: IRHostMatch;
  path: IRPathMatch;
  method?: string;
  headers: IRStringMatch[];
  query: IRStringMatch[];
  precedence: number;
}

/**
 * One match and the Mappings that share it (a canary group, usually of one). Members keep their own action and
 * policy, as in Emissary, where only the match is shared.
 */
export interface IRRoute {
  match: IRMatch;
  /** In traffic order; weights are percent (intent) and sum to 100. */
  members: IRRouteMember[];
  /** A shadow Mapping of the same match: a copy of `percent` of the requests goes there, its answers are dropped. */
  mirror?: { name: string; cluster: string; percent: number };
}

export interface IRRouteMember {
  /** `<namespace>/<name>` of the Mapping. */
  name: string;
  /** Percent of the group's traffic, possibly fractional (1/3 is 33.33…). */
  weight: number;
  action: IRForward | IRDirectResponse;
  policy: IRRoutePolicy;
}

export interface IRForward {
  kind: 'forward';
  cluster: string;
  rewrite: IRRewrite;
  /** The Host header sent upstream instead of the client's. */
  hostRewrite?: string;
}

/** Answer without an upstream; used when the backend cannot be resolved, so the request never falls through. */
export interface IRDirectResponse {
  kind: 'direct';
  status: number;
  body: string;
}

export type IRRewrite =
  { kind: 'none' } | { kind: 'prefix'; value: string } | { kind: 'regex'; pattern: string; substitution: string };

/** How a route treats its requests beyond where they go. Fields are absent when the Mapping leaves them unset. */
export interface IRRoutePolicy {
  /** The whole request, first byte to last byte of the response; 0: no limit. */
  timeoutMs?: number;
  /** The stream without activity. */
  idleTimeoutMs?: number;
  retry?: { on: string[]; numRetries: number; perTryTimeoutMs?: number };
  requestHeaders?: IRHeaderEdits;
  responseHeaders?: IRHeaderEdits;
  /** Connection upgrades allowed, lower case (websocket). */
  upgrades?: string[];
  cors?: {
    origins: string[];
    methods: string[];
    headers: string[];
    exposedHeaders: string[];
    credentials: boolean;
    maxAgeSeconds?: number;
  };
  /** What a consistent-hash load balancer hashes on (loadBalancer RingHash/Maglev). */
  hashOn?: { header?: string; sourceIp?: boolean; cookie?: { name: string; path?: string; ttlMs?: number } };
}

export interface IRHeaderEdits {
  /** Names lower case; `append`: beside any existing value (true) or instead of it. */
  add: { name: string; value: string; append: boolean }[];
  remove: string[];
}

export interface IRCluster {
  /**
   * `<namespace>_<service>_<port>[_tls][_<hash of settings>]`: unique, since namespaces and Service names hold no
   * `_`; the hash is there only when settings differ from the defaults, so two Mappings to one Service with
   * different timeouts or circuit breakers get different clusters.
   */
  name: string;
  /**
   * What STRICT_DNS resolves: a Service's cluster name (`usersvc.default.svc.cluster.local`), or for an
   * ExternalName an absolute DNS name ending in "." (so resolv.conf search domains never apply) or an IP literal
   * in canonical form.
   */
  address: string;
  port: number;
  /** Originate TLS to the upstream (`https://` service). */
  upstreamTls: boolean;
  /** Set when a Mapping sets cluster settings (the name then ends in a hash of them); absent: the defaults. */
  settings?: IRClusterSettings;
}

/** What Mappings may set about the connection pool to a Service; Mappings that agree share a cluster. */
export interface IRClusterSettings {
  connectTimeoutMs: number;
  /** HTTP/2 to the upstream (grpc). */
  http2: boolean;
  lbPolicy: 'round_robin' | 'least_request' | 'ring_hash' | 'maglev';
  circuitBreakers?: { maxConnections?: number; maxPendingRequests?: number; maxRequests?: number; maxRetries?: number };
}
