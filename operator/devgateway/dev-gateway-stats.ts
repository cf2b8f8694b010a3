// The dev gateway's own counters, kept under the names real Envoy gives them for Portico's config
// (envoy/stats-bootstrap.ts), so `portico dev` answers /portico/v1/stats through the same ledger and report as a
// cluster: a Mapping's route, its cluster, Portico's 503 for a missing backend. Members: each cluster has one
// (the echo, or the --upstream it maps to).
import type { EnvoyStatsScrape } from '../stats/envoy-scrape.js';
import type { EnvoyStatsSource } from '../stats/stats-collector.js';

/** A route counts only when it is a Mapping's (named `<namespace>/<name>`, the stat prefix Envoy uses). */
const isMappingRoute = (route: string) => route.includes('/');

export class DevGatewayCounters {
  private readonly counters = new Map<string, number>();
  private readonly startedAt = Date.now();
  private clusters: string[] = [];

  private inc(name: string): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + 1);
  }

  /** The clusters of the config now served (for their membership). */
  setClusters(names: string[]): void {
    this.clusters = names;
  }

  /** A forwarded request ended with `status` (Envoy's own 503 on a connection failure included). */
  upstreamDone(route: string, cluster: string, status: number): void {
    const routeStats = isMappingRoute(route) ? [`vhost.dev.route.${route}`] : [];
    for (const prefix of [`cluster.${cluster}`, ...routeStats]) {
      this.inc(`${prefix}.upstream_rq_completed`);
      if (status >= 500) this.inc(`${prefix}.upstream_rq_5xx`);
    }
  }

  /** A Mapping answered Portico's 503 itself (its backend is missing). */
  noBackend(route: string): void {
    if (isMappingRoute(route)) this.inc(`portico_no_backend.${route}.http_local_rate_limit.enabled`);
  }

  scrape(): EnvoyStatsScrape {
    const gauges = new Map<string, number>();
    for (const c of this.clusters) {
      gauges.set(`cluster.${c}.membership_healthy`, 1);
      gauges.set(`cluster.${c}.membership_total`, 1);
    }
    return {
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
      counters: new Map(this.counters),
      gauges,
    };
  }

  /** Where the operator reads them: one "pod", the dev gateway. */
  source(): EnvoyStatsSource {
    return {
      pods: () => [{ key: 'portico-dev-gateway', name: 'portico-dev-gateway', statsUrl: 'in-process', version: '' }],
      scrape: async () => this.scrape(),
    };
  }
}
