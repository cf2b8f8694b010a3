// The Portico API as TypeScript types. crds/*.yaml is the source of truth; test/api/types-drift.test.ts
// fails when these drift from the CRD schemas.

export const GROUP = 'portico.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** metav1.Condition. lastTransitionTime is set by reconcile (compile has no clock). */
export interface Condition {
  type: ConditionType;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export type ConditionType = 'Accepted' | 'ResolvedRefs' | 'Programmed';

export interface PorticoStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface MappingSpec {
  prefix: string;
  service: string;
  rewrite?: string;
  host?: string;
}

export interface Mapping {
  apiVersion: typeof API_VERSION;
  kind: 'Mapping';
  metadata: ObjectMeta;
  spec: MappingSpec;
  status?: PorticoStatus;
}

/** TLS 1.0 and 1.1 are not offered (RFC 8996 deprecates them); see docs/security.md. */
export type TlsVersion = 'v1.2' | 'v1.3';

export interface TLSContextSpec {
  hosts?: string[];
  secret: string;
  redirectCleartext?: boolean;
  minTlsVersion?: TlsVersion;
  maxTlsVersion?: TlsVersion;
  alpnProtocols?: string[];
}

export interface TLSContextStatus extends PorticoStatus {
  notAfter?: string;
}

export interface TLSContext {
  apiVersion: typeof API_VERSION;
  kind: 'TLSContext';
  metadata: ObjectMeta;
  spec: TLSContextSpec;
  status?: TLSContextStatus;
}

/** Who may refer (spec.from of a PorticoReferenceGrant). */
export interface ReferenceGrantFrom {
  kind: 'Mapping' | 'TLSContext';
  namespace: string;
}

/**
 * What they may refer to, in the grant's own namespace (spec.to); no name = every object of that kind. `Host`:
 * a host the grant's namespace owns (exact or `*.`), which the referrers may then serve.
 */
export interface ReferenceGrantTo {
  kind: 'Service' | 'Secret' | 'Host';
  name?: string;
}

export interface PorticoReferenceGrantSpec {
  from: ReferenceGrantFrom[];
  to: ReferenceGrantTo[];
}

/** Allows cross-namespace references into its own namespace, and sharing its hosts (docs/security.md). No status. */
export interface PorticoReferenceGrant {
  apiVersion: typeof API_VERSION;
  kind: 'PorticoReferenceGrant';
  metadata: ObjectMeta;
  spec: PorticoReferenceGrantSpec;
}

/** The subset of core/v1 Service the compiler reads. */
export interface Service {
  apiVersion?: 'v1';
  kind?: 'Service';
  metadata: ObjectMeta;
  spec?: {
    ports?: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string; appProtocol?: string }>;
    type?: string;
    externalName?: string;
    /** Read so that an ExternalName naming a ClusterIP counts as a reference to that Service. */
    clusterIP?: string;
    clusterIPs?: string[];
  };
}

/** The subset of core/v1 Secret the compiler reads. `data` values are base64, as on the wire. */
export interface Secret {
  apiVersion?: 'v1';
  kind?: 'Secret';
  metadata: ObjectMeta;
  type?: string;
  data?: Record<string, string>;
}
