// Contract between kube/ (which builds Snapshots), compile/ and envoy/. compile/ is pure: it never reads a
// clock, so the caller passes `now` (used for certificate expiry only).
import type { Condition, Mapping, PorticoReferenceGrant, Secret, Service, TLSContext } from '../api/types.js';

export interface Snapshot {
  mappings: Mapping[];
  tlsContexts: TLSContext[];
  services: Service[];
  secrets: Secret[];
  /**
   * PorticoReferenceGrants (all namespaces). Optional so callers that predate grants still compile; absent
   * means no grants, i.e. every cross-namespace reference is denied (RefNotPermitted).
   */
  referenceGrants?: PorticoReferenceGrant[];
  /** ISO time used for certificate validity checks. */
  now: string;
}

export interface ObjectRef {
  kind: 'Mapping' | 'TLSContext';
  namespace: string;
  name: string;
  uid?: string;
  generation?: number;
}

/**
 * The status the compiler computes for one source object. `conditions` holds Accepted, ResolvedRefs and
 * Programmed. Programmed is False/Pending for everything that is in the config (reconcile flips it to True once
 * the config is published) and False with the rejection reason otherwise.
 */
export interface ObjectStatus {
  ref: ObjectRef;
  conditions: Condition[];
  /** True when the object contributes to the generated config. */
  inConfig: boolean;
  /** Extra status fields (e.g. TLSContext notAfter). */
  extra?: Record<string, unknown>;
  /**
   * Problems that do not stop the object from being served (a TLSContext host refused while its other hosts
   * are served, a certificate that does not cover a host). They are in the condition messages too; reconcile
   * reports them as a Warning Event, since no condition is False.
   */
  warnings?: StatusWarning[];
}

export interface StatusWarning {
  reason: string;
  message: string;
}
