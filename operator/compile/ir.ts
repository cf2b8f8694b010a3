// The Gateway IR: what compile/ decided, in Envoy-neutral terms. envoy/ turns it into a Bootstrap. Everything
// here is already sorted; renderers must keep array order (it is the routing contract: first match wins).
import type { TlsVersion } from '../api/types.js';

export interface GatewayIR {
  /** Virtual hosts in a stable order; the catch-all `*` is always present and last. */
  virtualHosts: IRVirtualHost[];
  /** Upstream clusters, sorted by name. */
  clusters: IRCluster[];
  /** TLS termination; `contexts` empty means no HTTPS listener. */
  tls: IRTls;
}

export interface IRVirtualHost {
  /** Stable name for Envoy (`*` or the domain). */
  name: string;
  /** The single domain this vhost answers: an exact host, a `*.` wildcard or `*`. */
  domain: string;
  /** On the cleartext listener, answer every request with a 301 to https (TLSContext redirectCleartext). */
  redirectToHttps: boolean;
  /** Routes in match order. */
  routes: IRRoute[];
}

export interface IRRoute {
  /** `<namespace>/<name>` of the source Mapping. */
  name: string;
  /** Plain string prefix of the path (Ambassador semantics: /user also matches /users). */
  prefix: string;
  /**
   * Canary groups (several Mappings with the same host and prefix): the cumulative share in parts per million
   * below which this route takes the request. Envoy draws one random value per request for all routes, so
   * cumulative thresholds split traffic. Absent on the group's last route, which takes whatever reaches it.
   */
  runtimeFractionPpm?: number;
  action: IRForward | IRDirectResponse;
}

export interface IRForward {
  kind: 'forward';
  cluster: string;
  rewrite: IRRewrite;
}

/** Answer without an upstream; used when the backend cannot be resolved, so the request never falls through. */
export interface IRDirectResponse {
  kind: 'direct';
  status: number;
  body: string;
}

export type IRRewrite =
  | { kind: 'none' }
  | { kind: 'prefix'; value: string }
  | { kind: 'regex'; pattern: string; substitution: string };

export interface IRCluster {
  /** `<namespace>_<service>_<port>[_tls]`: unique, since namespaces and Service names hold no `_`. */
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
}

export interface IRTls {
  contexts: IRTlsContext[];
  /** Certificate and key files for the certs Secret: file name → PEM. */
  files: Record<string, string>;
}

export interface IRTlsContext {
  /** `<namespace>/<name>` of the TLSContext. */
  name: string;
  /** SNI names for the filter chain; empty = the default chain (no SNI match). */
  serverNames: string[];
  certFile: string;
  keyFile: string;
  minTlsVersion: TlsVersion;
  maxTlsVersion?: TlsVersion;
  alpnProtocols: string[];
}
