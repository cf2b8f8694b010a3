// GENERATED from crds/*.yaml by `npm run generate:api` (operator/codegen/): do not edit. A change to the API is
// a change to its CRD; test/api/generated-files.test.ts fails while this file is not regenerated. The types the
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
   * A plain string prefix of the request path, as in Ambassador: /user also matches /users. Percent-encodings are in
   * uppercase (%C3%A9). Requests are normalised before matching (docs/security.md), so "//", "." and ".." segments
   * and encoded unreserved characters such as %2e are refused.
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
