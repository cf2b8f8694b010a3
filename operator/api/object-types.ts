// The types the CRDs do not declare: the Kubernetes ObjectMeta fields Portico reads, the subsets of core/v1
// Service and Secret the compiler reads, and the condition types Portico writes. Everything declared in
// crds/*.yaml is generated into operator/api/types.ts, which re-exports these.

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

/** The condition types Portico writes (the CRDs accept any condition type, as metav1.Condition does). */
export type ConditionType = 'Accepted' | 'ResolvedRefs' | 'Programmed';

/** The subset of core/v1 Service the compiler reads. */
export interface Service {
  apiVersion?: 'v1';
  kind?: 'Service';
  metadata: ObjectMeta;
  spec?: {
    ports?: Array<{
      name?: string;
      port: number;
      targetPort?: number | string;
      protocol?: string;
      appProtocol?: string;
    }>;
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
