// The endpoints of every Service, from the EndpointSlices the cluster's EndpointSlice controller maintains,
// counted for the statistics: in rollout mode Envoy reaches a Service through its ClusterIP, so to Envoy it has one
// member whatever its pods; the pods are what the slices list. Read-only; it feeds no reconcile.
import { DiscoveryV1Api, type KubeConfig, type V1EndpointSlice } from '@kubernetes/client-node';
import { ResilientInformer } from './resilient-informer.js';
import { makeTimedApiClient } from './api-clients.js';
import type { InformerTimings } from './informer-timings.js';
import type { Logger } from '../log/logger.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface EndpointCounts {
  /** Distinct addresses whose `ready` condition is not false (the API: unset means ready). */
  healthy: number;
  /** Distinct addresses listed, ready or not. */
  total: number;
}

/** Ready and total endpoints per `<namespace>/<service>`, over all of a Service's slices and ports. Pure. */
export function countEndpoints(slices: readonly V1EndpointSlice[]): Map<string, EndpointCounts> {
  const seen = new Map<string, { all: Set<string>; ready: Set<string> }>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const id = `${slice.metadata?.namespace}/${service}`;
    let s = seen.get(id);
    if (!s) seen.set(id, (s = { all: new Set(), ready: new Set() }));
    for (const ep of slice.endpoints ?? []) {
      for (const address of ep.addresses ?? []) {
        s.all.add(address);
        if (ep.conditions?.ready !== false) s.ready.add(address);
      }
    }
  }
  return new Map([...seen].map(([id, s]) => [id, { healthy: s.ready.size, total: s.all.size }]));
}

export class ServiceEndpoints {
  private readonly informer: ResilientInformer<V1EndpointSlice>;
  private counted?: Map<string, EndpointCounts>;

  constructor(kc: KubeConfig, log: Logger, timings: InformerTimings, onRestart: (resource: string) => void) {
    const discovery = makeTimedApiClient(kc, DiscoveryV1Api, timings.requestTimeoutMs);
    this.informer = new ResilientInformer<V1EndpointSlice>(
      kc,
      {
        resource: 'endpointslices',
        path: '/apis/discovery.k8s.io/v1/endpointslices',
        list: () => discovery.listEndpointSliceForAllNamespaces(),
        stopWhenNotServed: true,
      },
      { onChange: () => (this.counted = undefined), onSynced: () => (this.counted = undefined), onRestart },
      log,
      timings.backoff,
      timings.watch,
    );
  }

  start(): void {
    this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  /** Undefined until the slices are listed (or where the API server does not serve them). */
  counts(service: string): EndpointCounts | undefined {
    if (!this.informer.synced) return undefined;
    this.counted ??= countEndpoints(this.informer.list());
    return this.counted.get(service) ?? { healthy: 0, total: 0 };
  }
}
