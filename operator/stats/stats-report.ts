// GET /portico/v1/stats: the figures of every Envoy replica, summed, per Service and per Mapping (docs/statistics.md
// defines each). Pure: the totals come from the CounterLedger, the member counts from the latest scrapes or from
// EndpointSlices, the list of Services and Mappings from the config being served.
import { statMeaning, type StatField } from './envoy-stat-names.js';

export interface ServiceStats {
  healthy_members: number;
  total_members: number;
  /** Where the member counts come from: the Service's EndpointSlices (pods), or Envoy's own cluster membership. */
  members_from: 'endpointslices' | 'envoy';
  requests: number;
  upstream_ok: number;
  upstream_bad: number;
}

export interface MappingStats {
  requests: number;
  upstream_ok: number;
  upstream_bad: number;
  no_backend: number;
}

export interface EnvoyPodStats {
  pod: string;
  /** The config hash the pod runs (its portico.dev/config-hash annotation). */
  version: string;
  /** Its stats answered at the latest collection. */
  up: boolean;
  error?: string;
}

export interface StatsReport {
  services: Record<string, ServiceStats>;
  mappings: Record<string, MappingStats>;
  envoys: EnvoyPodStats[];
  collected_at: string;
  /** Counters are totals since this moment (when this operator started counting). */
  counting_since: string;
}

export interface StatsReportInput {
  totals: ReadonlyMap<string, number>;
  /** Gauges (cluster membership) of each pod whose latest scrape answered. */
  upPodGauges: ReadonlyArray<ReadonlyMap<string, number>>;
  envoys: EnvoyPodStats[];
  /** What the served config holds: `<namespace>/<service>` and `<namespace>/<mapping>`. */
  services: readonly string[];
  mappings: readonly string[];
  /** Services Envoy reaches through their ClusterIP (one member to Envoy): their members come from EndpointSlices. */
  endpointCounts?: (service: string) => { healthy: number; total: number } | undefined;
  collectedAt: string;
  countingSince: string;
}

type Sums = Map<string, Partial<Record<StatField, number>>>;

function add(
  into: Sums,
  id: string,
  field: StatField,
  value: number,
  combine: (a: number, b: number) => number = (a, b) => a + b,
): void {
  let row = into.get(id);
  if (!row) into.set(id, (row = {}));
  row[field] = row[field] === undefined ? value : combine(row[field], value);
}

export function buildStatsReport(input: StatsReportInput): StatsReport {
  const services: Sums = new Map();
  const mappings: Sums = new Map();
  for (const [name, value] of input.totals) {
    const m = statMeaning(name);
    if (m?.counter) add(m.scope === 'service' ? services : mappings, m.id, m.field, value);
  }
  // Every replica sees the same members: report the fewest healthy and the most in total any of them sees.
  const members: Sums = new Map();
  for (const gauges of input.upPodGauges) {
    const perPod: Sums = new Map();
    for (const [name, value] of gauges) {
      const m = statMeaning(name);
      if (m && !m.counter && m.scope === 'service') add(perPod, m.id, m.field, value);
    }
    for (const [id, row] of perPod) {
      add(members, id, 'members_healthy', row.members_healthy ?? 0, Math.min);
      add(members, id, 'members_total', row.members_total ?? 0, Math.max);
    }
  }

  const report: StatsReport = {
    services: {},
    mappings: {},
    envoys: input.envoys,
    collected_at: input.collectedAt,
    counting_since: input.countingSince,
  };
  for (const id of [...input.services].sort()) {
    const row = services.get(id) ?? {};
    const requests = row.completed ?? 0;
    const bad = row.upstream_5xx ?? 0;
    const fromSlices = input.endpointCounts?.(id);
    const envoy = members.get(id) ?? {};
    report.services[id] = {
      healthy_members: fromSlices ? fromSlices.healthy : (envoy.members_healthy ?? 0),
      total_members: fromSlices ? fromSlices.total : (envoy.members_total ?? 0),
      members_from: fromSlices ? 'endpointslices' : 'envoy',
      requests,
      upstream_ok: requests - bad,
      upstream_bad: bad,
    };
  }
  for (const id of [...input.mappings].sort()) {
    const row = mappings.get(id) ?? {};
    const upstream = row.completed ?? 0;
    const bad = row.upstream_5xx ?? 0;
    const noBackend = row.no_backend ?? 0;
    report.mappings[id] = {
      requests: upstream + noBackend,
      upstream_ok: upstream - bad,
      upstream_bad: bad,
      no_backend: noBackend,
    };
  }
  return report;
}

/** Whether a stat still belongs to something the config holds (the ledger forgets the rest). */
export function statStillShown(name: string, services: ReadonlySet<string>, mappings: ReadonlySet<string>): boolean {
  const m = statMeaning(name);
  if (!m) return false;
  return m.scope === 'service' ? services.has(m.id) : mappings.has(m.id);
}
