// Which of Envoy's stats the report reads, and what each names: a Service (by cluster), a Mapping (by route stat
// prefix or no-backend counter) or the Envoy server. Portico's cluster names are `<namespace>_<service>_<port>[_…]`
// and namespaces and Service names hold no `_`, so a cluster maps back to one Service; a route's stat prefix is
// `<namespace>/<name>` (envoy/stats-bootstrap.ts). Pure.

/** Envoy's /stats `filter` (RE2): only what the report reads, so a scrape stays small at any config size. */
export const SCRAPE_FILTER =
  '^(cluster\\.[^.]+\\.(upstream_rq_completed|upstream_rq_5xx|membership_healthy|membership_total)' +
  '|vhost\\..+\\.route\\.[^.]+/.+\\.upstream_rq_(completed|5xx)' +
  '|portico_no_backend\\..+\\.http_local_rate_limit\\.enabled' +
  '|server\\.uptime)$';

export type StatField = 'completed' | 'upstream_5xx' | 'no_backend' | 'members_healthy' | 'members_total';

export interface StatMeaning {
  scope: 'service' | 'mapping';
  /** `<namespace>/<service>` or `<namespace>/<mapping>`. */
  id: string;
  field: StatField;
  /** Counters only grow (until Envoy restarts); gauges are a current value. */
  counter: boolean;
}

const CLUSTER =
  /^cluster\.([a-z0-9-]+)_([a-z0-9-]+)_\d+(?:_[^.]*)?\.(upstream_rq_completed|upstream_rq_5xx|membership_healthy|membership_total)$/;
// A vhost name is a domain (no `/`) and a namespace has no `.`, so `.route.<namespace>/` is where the prefix starts.
const ROUTE = /^vhost\.[^/]*\.route\.([a-z0-9-]+\/[^/]+)\.upstream_rq_(completed|5xx)$/;
const NO_BACKEND = /^portico_no_backend\.([a-z0-9-]+\/[^/]+)\.http_local_rate_limit\.enabled$/;

const CLUSTER_FIELDS: Record<string, StatField> = {
  upstream_rq_completed: 'completed',
  upstream_rq_5xx: 'upstream_5xx',
  membership_healthy: 'members_healthy',
  membership_total: 'members_total',
};

/** What an Envoy stat name means to the report, or undefined for stats it does not read. */
export function statMeaning(name: string): StatMeaning | undefined {
  let m = CLUSTER.exec(name);
  if (m) {
    const field = CLUSTER_FIELDS[m[3]];
    return { scope: 'service', id: `${m[1]}/${m[2]}`, field, counter: !field.startsWith('members_') };
  }
  m = ROUTE.exec(name);
  if (m) return { scope: 'mapping', id: m[1], field: m[2] === '5xx' ? 'upstream_5xx' : 'completed', counter: true };
  m = NO_BACKEND.exec(name);
  if (m) return { scope: 'mapping', id: m[1], field: 'no_backend', counter: true };
  return undefined;
}

export const UPTIME_STAT = 'server.uptime';
