// The statistics as Prometheus metrics on the operator's /metrics: one series per Service and per Mapping of the
// served config (labels `service="<ns>/<name>"`, `mapping="<ns>/<name>"`), one per Envoy pod for `up`; nothing per
// request, so cardinality follows the config. Each scrape of /metrics collects afresh (one collection for all).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StatsReport } from './stats-report.js';

export function registerStatsMetrics(registry: Registry, report: () => Promise<StatsReport>): void {
  // All the collect() calls of one /metrics scrape share one report.
  let shared: { at: number; report: Promise<StatsReport> } | undefined;
  const current = (): Promise<StatsReport> => {
    if (!shared || Date.now() - shared.at > 250) shared = { at: Date.now(), report: report() };
    return shared.report;
  };
  const registers = [registry];

  const serviceCounter = (name: string, help: string, pick: (s: StatsReport['services'][string]) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['service'],
      registers,
      async collect() {
        const r = await current();
        this.reset();
        for (const [id, s] of Object.entries(r.services)) this.inc({ service: id }, pick(s));
      },
    });
  const serviceGauge = (name: string, help: string, pick: (s: StatsReport['services'][string]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['service'],
      registers,
      async collect() {
        const r = await current();
        this.reset();
        for (const [id, s] of Object.entries(r.services)) this.set({ service: id }, pick(s));
      },
    });
  const mappingCounter = (name: string, help: string, pick: (m: StatsReport['mappings'][string]) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['mapping'],
      registers,
      async collect() {
        const r = await current();
        this.reset();
        for (const [id, m] of Object.entries(r.mappings)) this.inc({ mapping: id }, pick(m));
      },
    });

  serviceCounter(
    'portico_service_requests_total',
    'Requests Envoy sent to the Service and that completed, all Envoy pods (docs/statistics.md)',
    (s) => s.requests,
  );
  serviceCounter(
    'portico_service_upstream_ok_total',
    'Of those, answered by the Service without a 5xx',
    (s) => s.upstream_ok,
  );
  serviceCounter(
    'portico_service_upstream_bad_total',
    'Of those, a 5xx from the Service or a connection failure, reset or timeout (Envoy’s 5xx)',
    (s) => s.upstream_bad,
  );
  serviceGauge('portico_service_healthy_members', 'Ready endpoints (pods) of the Service', (s) => s.healthy_members);
  serviceGauge('portico_service_members', 'Endpoints (pods) of the Service, ready or not', (s) => s.total_members);
  mappingCounter(
    'portico_mapping_requests_total',
    'Requests the Mapping’s route took, all Envoy pods',
    (m) => m.requests,
  );
  mappingCounter(
    'portico_mapping_upstream_ok_total',
    'Of those, answered by the backend without a 5xx',
    (m) => m.upstream_ok,
  );
  mappingCounter(
    'portico_mapping_upstream_bad_total',
    'Of those, a 5xx from the backend or a connection failure, reset or timeout',
    (m) => m.upstream_bad,
  );
  mappingCounter(
    'portico_mapping_no_backend_total',
    'Of those, answered by Portico’s own 503 because the Mapping’s backend is missing',
    (m) => m.no_backend,
  );
  new Gauge({
    name: 'portico_envoy_up',
    help: 'Whether the Envoy pod’s stats answered at the latest collection',
    labelNames: ['pod'],
    registers,
    async collect() {
      const r = await current();
      this.reset();
      for (const e of r.envoys) this.set({ pod: e.pod }, e.up ? 1 : 0);
    },
  });
}
