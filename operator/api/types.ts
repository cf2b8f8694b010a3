// GENERATED from crds/*.yaml by `npm run generate:api` (operator/codegen/): do not edit. A change to the API is
// a change to its CRD; test/codegen/generated-files.test.ts fails while this file is not regenerated. The types the
// CRDs do not declare (ObjectMeta, Service, Secret, ConditionType) are operator/api/object-types.ts.
import type { ConditionType, ObjectMeta } from './object-types.js';

export type { ConditionType, ObjectMeta, Secret, Service } from './object-types.js';

export const GROUP = 'portico.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/**
 * metav1.Condition, except that lastTransitionTime is optional: the pure compiler has no clock, and reconcile always
 * sets it before writing.
 */
export interface Condition {
  type: ConditionType;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** Who may refer (spec.from of a PorticoReferenceGrant). */
export interface ReferenceGrantFrom {
  /** Mapping (for spec.service and spec.host) or TLSContext (for spec.secret and spec.hosts). */
  kind: 'Mapping' | 'TLSContext';
  /** The namespace of the referring objects. */
  namespace: string;
}

/** What they may refer to, in the grant's own namespace (spec.to). */
export interface ReferenceGrantTo {
  /**
   * Service (Mappings' spec.service), Secret (TLSContexts' spec.secret) or Host (a host this namespace owns, for
   * Mappings' spec.host, host-less Mappings and TLSContexts' spec.hosts).
   */
  kind: 'Service' | 'Secret' | 'Host';
  /**
   * One object by name; omitted means every object of that kind in this namespace. For Host: an exact host or a "*."
   * wildcard (which also grants the names under it); omitted means every host this namespace owns. A "*." name on a
   * Service or Secret matches nothing.
   */
  name?: string;
}

/** TLS 1.0 and 1.1 are not offered (RFC 8996 deprecates them); see docs/security.md. */
export type TlsVersion = 'v1.2' | 'v1.3';

export interface MappingSpec {
  /**
   * A plain string prefix of the request path, as in Ambassador: /user also matches /users (prefixExact and
   * prefixRegex change how it matches). Percent-encodings are in uppercase (%C3%A9). Requests are normalised before
   * matching (docs/security.md), so "//", "." and ".." segments and encoded unreserved characters such as %2e are
   * refused.
   */
  prefix: string;
  /**
   * [http://|https://]name[.namespace][:port]. The namespace defaults to the Mapping's own; the port may be a number
   * or a Service port name and may be omitted when the Service has one port.
   */
  service: string;
  /**
   * Replaces the matched prefix before forwarding. "" forwards the path unchanged. Default "/". No "//", "." or ".."
   * segments.
   */
  rewrite?: string;
  /** An exact host name or a "*." wildcard; without it the Mapping serves every host. */
  host?: string;
  /** The path must equal spec.prefix exactly, instead of starting with it. Default false. */
  prefixExact?: boolean;
  /**
   * spec.prefix is an RE2 regular expression that the whole path must match, instead of a plain prefix. Default
   * false. Routes are still ordered by the length of spec.prefix as written.
   */
  prefixRegex?: boolean;
  /** Whether spec.prefix matches the path case-sensitively. Default true. */
  caseSensitive?: boolean;
  /** Only requests with this HTTP method match (upper case, e.g. GET). Omitted, any method matches. */
  method?: string;
  /**
   * Request headers that must all be present with exactly these values (header names are case-insensitive). An entry
   * without a value only requires the header to be present.
   */
  headers?: {
    /** The header name, e.g. x-canary. */
    name: string;
    /** The exact value; omitted, any value matches. */
    value?: string;
  }[];
  /** Request headers that must all be present with a value matching the RE2 expression (whole value). */
  regexHeaders?: {
    /** The header name, e.g. x-user-agent. */
    name: string;
    /** An RE2 regular expression the whole header value must match, e.g. "^Mozilla/.*". */
    pattern: string;
  }[];
  /**
   * Query parameters that must all be present with exactly these values. An entry without a value only requires the
   * parameter to be present.
   */
  queryParameters?: {
    /** The parameter name, e.g. debug. */
    name: string;
    /** The exact value (after percent-decoding); omitted, any value matches. */
    value?: string;
  }[];
  /** Query parameters that must all be present with a value matching the RE2 expression (whole value). */
  regexQueryParameters?: {
    /** The parameter name, e.g. version. */
    name: string;
    /** An RE2 regular expression the whole value must match, e.g. "v[0-9]+". */
    pattern: string;
  }[];
  /**
   * The first sort key of the route order: a Mapping with a higher precedence is tried before any with a lower one,
   * whatever their prefixes and constraints. Default 0.
   */
  precedence?: number;
  /**
   * The percentage of the traffic of its group (the Mappings with the same match) that this Mapping gets; the
   * Mappings of the group without a weight share the rest evenly, as in Emissary. With shadow, the percentage of the
   * traffic that is mirrored.
   */
  weight?: number;
  /**
   * Mirror the requests of the Mappings with the same match to this Mapping's service; its responses are discarded,
   * and the mirrored Host header gets "-shadow" appended. Default false.
   */
  shadow?: boolean;
  /**
   * Rewrites the path with an RE2 expression instead of spec.rewrite (which it overrides): every match of pattern in
   * the path is replaced by substitution, which may refer to groups (\1).
   */
  regexRewrite?: {
    /** An RE2 regular expression, e.g. "^/service/([^/]+)(/.*)$". */
    pattern: string;
    /** The replacement, e.g. "\2/instance/\1". */
    substitution: string;
  };
  /** The Host header sent upstream instead of the client's. */
  hostRewrite?: string;
  /**
   * How long the whole request may take, from its first byte to the last byte of the response ("3s", "500ms",
   * "1m30s"); "0s" means no limit. Omitted, Envoy's 15s.
   */
  timeout?: string;
  /** How long a request's stream may stay without activity ("30s", "5m"); omitted, the listener's (5 minutes). */
  idleTimeout?: string;
  /** How long a connection to the service may take to open ("3s", "250ms"). Default 3s. */
  connectTimeout?: string;
  /** Retry failed requests (Envoy's retry policy). */
  retryPolicy?: {
    /**
     * Which failures are retried: 5xx (any 5xx response, or no response), gateway-error (502, 503, 504), reset (the
     * connection was reset), connect-failure, retriable-4xx (409), refused-stream (HTTP/2 REFUSED_STREAM).
     */
    retryOn: Array<'5xx' | 'gateway-error' | 'reset' | 'connect-failure' | 'retriable-4xx' | 'refused-stream'>;
    /** How many times a request is retried at most. Default 1. */
    numRetries?: number;
    /** How long each try may take ("1s", "250ms"); omitted, only spec.timeout limits it. */
    perTryTimeout?: string;
  };
  /** Headers added to the request before it is forwarded. */
  addRequestHeaders?: {
    /** The header name. */
    name: string;
    /**
     * The value. Envoy's %VARIABLES% are expanded, e.g. %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%; write %% for a
     * literal %.
     */
    value: string;
    /**
     * Add the value beside any the request already has (true), or replace them (false). Default true, as in Emissary.
     */
    append?: boolean;
  }[];
  /** Headers added to the response before it is returned to the client. */
  addResponseHeaders?: {
    /** The header name. */
    name: string;
    /** The value (Envoy's %VARIABLES% are expanded; write %% for a literal %). */
    value: string;
    /**
     * Add the value beside any the response already has (true), or replace them (false). Default true, as in
     * Emissary.
     */
    append?: boolean;
  }[];
  /** Headers removed from the request before it is forwarded. */
  removeRequestHeaders?: string[];
  /** Headers removed from the response before it is returned to the client. */
  removeResponseHeaders?: string[];
  /**
   * Cross-origin resource sharing: preflight requests (OPTIONS with Origin and Access-Control-Request-Method) are
   * answered by Envoy, and the allowed origins get the Access-Control-* response headers.
   */
  cors?: {
    /** The allowed origins, each exact (https://app.example.com) or "*" for any. */
    origins: string[];
    /** The methods allowed (Access-Control-Allow-Methods), e.g. GET, POST. */
    methods?: string[];
    /** The request headers allowed (Access-Control-Allow-Headers). */
    headers?: string[];
    /** The response headers the browser may read (Access-Control-Expose-Headers). */
    exposedHeaders?: string[];
    /** Whether the browser may send credentials (Access-Control-Allow-Credentials). Default false. */
    credentials?: boolean;
    /** How long the browser may cache a preflight answer (Access-Control-Max-Age), e.g. "24h". */
    maxAge?: string;
  };
  /**
   * Protocols the client may upgrade the connection to (Connection: Upgrade), case-insensitive, e.g. websocket or
   * spdy/3.1. After the upgrade the bytes are relayed as they are.
   */
  allowUpgrade?: string[];
  /**
   * Limits on what Envoy sends to the service at once; above them requests fail fast with 503. Omitted, Envoy's
   * defaults: 1024 connections, 1024 pending requests, 1024 requests, 3 retries.
   */
  circuitBreakers?: {
    /** Connections to the service at once. */
    maxConnections?: number;
    /** Requests waiting for a connection at once. */
    maxPendingRequests?: number;
    /** Requests in flight at once. */
    maxRequests?: number;
    /** Retries in flight at once. */
    maxRetries?: number;
  };
  /** How requests are spread over the service's endpoints. */
  loadBalancer?: {
    /** RoundRobin, LeastRequest, or a consistent hash (RingHash, Maglev) on one of cookie, header or sourceIp. */
    policy: 'RoundRobin' | 'LeastRequest' | 'RingHash' | 'Maglev';
    /** Hash on this cookie; Envoy sets it when the request has none. */
    cookie?: {
      name: string;
      /** The cookie's Path. */
      path?: string;
      /** The cookie's lifetime, e.g. "1h"; omitted, a session cookie. */
      ttl?: string;
    };
    /** Hash on this request header. */
    header?: string;
    /** Hash on the client's IP address. */
    sourceIp?: boolean;
  };
  /** Speak HTTP/2 to the service (needed for gRPC). Default false. */
  grpc?: boolean;
}

export interface MappingStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

/** A Mapping routes requests whose path starts with spec.prefix to spec.service. */
export interface Mapping {
  apiVersion: typeof API_VERSION;
  kind: 'Mapping';
  metadata: ObjectMeta;
  spec: MappingSpec;
  status?: MappingStatus;
}

export interface PorticoReferenceGrantSpec {
  /** Who may refer to this namespace's objects. No wildcards. */
  from: ReferenceGrantFrom[];
  /** What they may refer to, in this grant's namespace, or which of its hosts they may serve. */
  to: ReferenceGrantTo[];
}

/**
 * A PorticoReferenceGrant, in the namespace that owns some Services, Secrets or hosts, allows the objects listed in
 * spec.from (other namespaces) to reference the Services and Secrets listed in spec.to (this namespace), or to serve
 * the hosts listed there (hosts this namespace owns: it named them first). A reference is allowed when one grant has
 * a matching entry in both lists.
 */
export interface PorticoReferenceGrant {
  apiVersion: typeof API_VERSION;
  kind: 'PorticoReferenceGrant';
  metadata: ObjectMeta;
  spec: PorticoReferenceGrantSpec;
}

export interface TLSContextSpec {
  /** SNI host names (exact or "*." wildcard). Empty means the default certificate. */
  hosts?: string[];
  /** name[.namespace] of a kubernetes.io/tls Secret; the last dot splits off the namespace. */
  secret: string;
  /** Redirect plain HTTP requests for these hosts to HTTPS (301). */
  redirectCleartext?: boolean;
  /**
   * Lowest TLS version offered. TLS 1.0 and 1.1 are not offered at all (RFC 8996); with TLS 1.2, only ECDHE key
   * exchange with AEAD ciphers (AES-GCM, ChaCha20-Poly1305) is negotiated.
   */
  minTlsVersion?: TlsVersion;
  /** Highest TLS version offered; v1.3 when omitted. */
  maxTlsVersion?: TlsVersion;
  alpnProtocols?: string[];
}

export interface TLSContextStatus {
  observedGeneration?: number;
  /** Expiry of the certificate in spec.secret. */
  notAfter?: string;
  conditions?: Condition[];
}

/** A TLSContext terminates TLS on the HTTPS listener for spec.hosts (SNI). */
export interface TLSContext {
  apiVersion: typeof API_VERSION;
  kind: 'TLSContext';
  metadata: ObjectMeta;
  spec: TLSContextSpec;
  status?: TLSContextStatus;
}
