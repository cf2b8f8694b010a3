// The operator's Prometheus metrics. One Registry per operator instance (not prom-client's global one), so
// two operators in one process (tests, `portico dev`) keep separate numbers.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface OperatorMetrics {
  registry: Registry;
  reconcileDuration: Histogram<'result'>;
  eventToPublished: Histogram;
  eventToServed: Histogram;
  configBytes: Gauge;
  objectsByCondition: Gauge<'kind' | 'condition' | 'status'>;
  informerRestarts: Counter<'resource'>;
  leader: Gauge;
  writes: Counter<'resource' | 'verb'>;
  cachedObjects: Gauge<'kind'>;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): OperatorMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'portico_' });
  const registers = [registry];
  return {
    registry,
    reconcileDuration: new Histogram({
      name: 'portico_reconcile_duration_seconds',
      help: 'Time from snapshot to statuses written, by result (published, unchanged, invalid, error, skipped)',
      labelNames: ['result'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    eventToPublished: new Histogram({
      name: 'portico_event_to_published_seconds',
      help: 'Time from the first unprocessed watch event to the Deployment pointing at the new config',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    eventToServed: new Histogram({
      name: 'portico_event_to_served_seconds',
      help: 'Time from the first unprocessed watch event to the Envoy rollout of the config that holds it completing (Programmed=True)',
      buckets: [0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300],
      registers,
    }),
    configBytes: new Gauge({ name: 'portico_config_bytes', help: 'Size of the current Envoy config JSON', registers }),
    objectsByCondition: new Gauge({
      name: 'portico_objects',
      help: 'Mappings and TLSContexts by condition type and status',
      labelNames: ['kind', 'condition', 'status'],
      registers,
    }),
    informerRestarts: new Counter({
      name: 'portico_informer_restarts_total',
      help: 'Informers restarted after a watch or list error',
      labelNames: ['resource'],
      registers,
    }),
    leader: new Gauge({ name: 'portico_leader', help: '1 while this instance holds the leader Lease', registers }),
    cachedObjects: new Gauge({
      name: 'portico_cached_objects',
      help: 'Objects in the informer caches, by kind (Secrets: only those TLSContexts reference)',
      labelNames: ['kind'],
      registers,
    }),
    writes: new Counter({
      name: 'portico_api_writes_total',
      help: 'Writes this instance sent to the Kubernetes API',
      labelNames: ['resource', 'verb'],
      registers,
    }),
  };
}
