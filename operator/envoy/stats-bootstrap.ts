// What the operator's statistics (GET /portico/v1/stats, /metrics) need from every Envoy, whichever delivery mode
// built the bootstrap: a stats listener, a per-route stat prefix naming the Mapping, a counter for Portico's own 503
// (a Mapping whose backend is missing), and a stats matcher that keeps per-route stats small. Both the rollout
// bootstrap (bootstrap.ts) and the xds one include these; docs/statistics.md explains the choice.
import { ADMIN_CLUSTER, STATS_PORT, socketAddress } from './constants.js';
import { CONNECTION_BUFFER_LIMIT_BYTES, edgeConnectionManagerOptions } from './edge.js';

/** Route stat prefixes are `<namespace>/<name>`; the no-backend counters live under this root. */
export const NO_BACKEND_STAT_ROOT = 'portico_no_backend';

const LOCAL_RATE_LIMIT = 'envoy.filters.http.local_ratelimit';
const LOCAL_RATE_LIMIT_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';

/**
 * The listener the operator scrapes (:8003): exactly `GET /stats` goes to the admin (read-only: Envoy's admin
 * answers a GET on /stats with the counters, whatever the query string); every other path and method is a 404,
 * so nothing of the admin API beyond reading counters is reachable. The NetworkPolicy admits only the operator.
 */
export function statsListener(): Record<string, unknown> {
  return {
    name: 'stats',
    address: socketAddress('0.0.0.0', STATS_PORT),
    per_connection_buffer_limit_bytes: CONNECTION_BUFFER_LIMIT_BYTES,
    // Like readiness: a pod at its connection limit still reports what it is doing.
    ignore_global_conn_limit: true,
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type':
                'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
              stat_prefix: 'stats',
              codec_type: 'AUTO',
              ...edgeConnectionManagerOptions(),
              // As on every listener (docs/security.md): `/x/../stats` and `//stats` are not `/stats`.
              normalize_path: true,
              merge_slashes: true,
              path_with_escaped_slashes_action: 'UNESCAPE_AND_REDIRECT',
              route_config: {
                name: 'stats',
                virtual_hosts: [
                  {
                    name: 'stats',
                    domains: ['*'],
                    routes: [
                      {
                        name: 'stats',
                        match: { path: '/stats', headers: [{ name: ':method', string_match: { exact: 'GET' } }] },
                        route: { cluster: ADMIN_CLUSTER },
                      },
                    ],
                  },
                ],
              },
              http_filters: [
                {
                  name: 'envoy.filters.http.router',
                  typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

/**
 * Per-route stats cost memory on every virtual host a route is on (~1 KiB each, envoy-runtime.md §7): keep only the
 * two the report reads (completed, 5xx), not the other classes, per-code, retry, timeout, total and time ones.
 */
export function statsConfig(): Record<string, unknown> {
  return {
    stats_matcher: {
      exclusion_list: {
        patterns: [
          {
            safe_regex: {
              regex: '^vhost\\..*\\.route\\..*\\.upstream_rq_(retry.*|timeout|total|time|[0-9]{3}|[1-4]xx)$',
            },
          },
        ],
      },
    },
  };
}

/**
 * A cluster's traffic stats (~100 of them) come into being when it first takes a request: fewer stats in memory,
 * and fewer for every read of /stats to walk (at 1k Mappings of bench/stats.ts' mix: 10.8k stats instead of 26.4k).
 * The report reads only counters that have grown, so it misses nothing.
 */
export function deferredStatOptions(): Record<string, unknown> {
  return { enable_deferred_creation_stats: true };
}

/**
 * Envoy counts nothing per route for a direct response. So the HTTP filter chain starts with a local rate limit that
 * is inert (no per-listener config enables it) and a Mapping that answers Portico's 503 carries a per-route one that
 * never limits: its `enabled` counter is the number of requests that Mapping answered without a backend.
 */
export function statsHttpFilters(): Record<string, unknown>[] {
  return [
    {
      name: LOCAL_RATE_LIMIT,
      typed_config: { '@type': LOCAL_RATE_LIMIT_TYPE, stat_prefix: `${NO_BACKEND_STAT_ROOT}_unused` },
    },
  ];
}

/** The fields a route gets for statistics: its Mapping as stat prefix, and the no-backend counter on a 503. */
export function routeStatsFields(mapping: string, noBackend: boolean): Record<string, unknown> {
  if (!noBackend) return { stat_prefix: mapping };
  const never = { numerator: 0, denominator: 'HUNDRED' };
  const always = { numerator: 100, denominator: 'HUNDRED' };
  return {
    stat_prefix: mapping,
    typed_per_filter_config: {
      [LOCAL_RATE_LIMIT]: {
        '@type': LOCAL_RATE_LIMIT_TYPE,
        stat_prefix: `${NO_BACKEND_STAT_ROOT}.${mapping}`,
        token_bucket: { max_tokens: 1_000_000_000, tokens_per_fill: 1_000_000_000, fill_interval: '1s' },
        filter_enabled: { default_value: always, runtime_key: 'portico.no_backend_count.enabled' },
        filter_enforced: { default_value: never, runtime_key: 'portico.no_backend_count.enforced' },
      },
    },
  };
}
