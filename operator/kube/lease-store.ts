// The Lease reads and writes leader election needs, over client-node's CoordinationV1Api. Update is a PUT of
// the previously read object, so its resourceVersion makes concurrent candidates conflict (409) instead of
// overwriting each other: that is what makes the election safe.
import { CoordinationV1Api, type KubeConfig, type V1Lease, type V1LeaseSpec } from '@kubernetes/client-node';
import { apiErrorCode } from './api-error.js';
import { makeTimedApiClient, DEFAULT_REQUEST_TIMEOUT_MS } from './api-clients.js';

export interface LeaseStore {
  /** The Lease, or undefined when it does not exist. */
  get(): Promise<V1Lease | undefined>;
  create(spec: V1LeaseSpec): Promise<V1Lease>;
  /** PUT carrying lease.metadata.resourceVersion; rejects with code 409 on a conflict. */
  update(lease: V1Lease): Promise<V1Lease>;
}

/** requestTimeoutMs should not exceed the renew deadline: a renewal that hangs longer is a lost renewal anyway. */
export function kubeLeaseStore(
  kc: KubeConfig,
  namespace: string,
  name: string,
  requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
): LeaseStore {
  const api = makeTimedApiClient(kc, CoordinationV1Api, requestTimeoutMs);
  return {
    async get() {
      try {
        return await api.readNamespacedLease({ name, namespace });
      } catch (err) {
        if (apiErrorCode(err) === 404) return undefined;
        throw err;
      }
    },
    create: (spec) =>
      api.createNamespacedLease({
        namespace,
        body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec },
      }),
    update: (lease) =>
      api.replaceNamespacedLease({
        name,
        namespace,
        body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...lease },
      }),
  };
}
