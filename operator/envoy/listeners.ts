// Listeners: HTTP :8080, HTTPS :8443 (the IR's filter chains: one per TLSContext, by SNI, the default one
// last), readiness :8002 (/ready proxied to the admin's
// /ready, so a pod whose preStop failed Envoy's health checks turns unready). All with the edge settings of edge.ts.
import type { GatewayIR, IRFilterChain, IRListener } from '../compile/ir.js';
import { CORS_FILTER_NAME } from './route-policy.js';
import { ADMIN_CLUSTER, HTTP_PORT, HTTPS_PORT, READINESS_PORT, TypeUrls, socketAddress } from './constants.js';
import { CONNECTION_BUFFER_LIMIT_BYTES, edgeConnectionManagerOptions } from './edge.js';
import { newRouteMemo, routeConfiguration, type RouteMemo } from './routes.js';
import { statsHttpFilters } from './stats-bootstrap.js';
import { downstreamTlsSocket } from './tls.js';

const ROUTER_FILTER = { name: 'envoy.filters.http.router', typed_config: { '@type': TypeUrls.Router } };
/** Answers CORS preflights and adds the Access-Control-* headers; only where some route has a cors policy. */
const CORS_FILTER = { name: CORS_FILTER_NAME, typed_config: { '@type': TypeUrls.Cors } };

const usesCors = (chain: IRFilterChain): boolean => chain.routes.some((r) => r.members.some((m) => m.policy.cors));

/** One JSON object per request on stdout. */
const ACCESS_LOG = [
  {
    name: 'envoy.access_loggers.stdout',
    typed_config: {
      '@type': TypeUrls.StdoutAccessLog,
      log_format: {
        json_format: {
          start_time: '%START_TIME%',
          method: '%REQ(:METHOD)%',
          path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
          protocol: '%PROTOCOL%',
          authority: '%REQ(:AUTHORITY)%',
          response_code: '%RESPONSE_CODE%',
          response_flags: '%RESPONSE_FLAGS%',
          bytes_received: '%BYTES_RECEIVED%',
          bytes_sent: '%BYTES_SENT%',
          duration_ms: '%DURATION%',
          upstream_cluster: '%UPSTREAM_CLUSTER%',
          upstream_host: '%UPSTREAM_HOST%',
          route_name: '%ROUTE_NAME%',
          x_forwarded_for: '%REQ(X-FORWARDED-FOR)%',
          user_agent: '%REQ(USER-AGENT)%',
          request_id: '%REQ(X-REQUEST-ID)%',
        },
      },
    },
  },
];

function httpConnectionManager(
  statPrefix: string,
  routeConfig: object,
  accessLog: boolean,
  cors = false,
  countNoBackend = true,
): Record<string, unknown> {
  return {
    name: 'envoy.filters.network.http_connection_manager',
    typed_config: {
      '@type': TypeUrls.HttpConnectionManager,
      stat_prefix: statPrefix,
      codec_type: 'AUTO',
      ...edgeConnectionManagerOptions(),
      // Path hygiene before routing (docs/security.md): RFC 3986 normalisation (percent-decoding of unreserved
      // characters such as %2e, then removal of . and .. segments), merged slashes, and %2F/%5C unescaped with a
      // redirect, so every party sees the same path and /a/../admin or //admin cannot skip a longer prefix.
      normalize_path: true,
      merge_slashes: true,
      path_with_escaped_slashes_action: 'UNESCAPE_AND_REDIRECT',
      strip_any_host_port: true,
      // "example.com." (a fully qualified Host) must reach the example.com vhost, not `*`: without this it
      // bypasses per-host routes and the HTTPS redirect (test/envoy-real/request-time.test.ts).
      strip_trailing_host_dot: true,
      route_config: routeConfig,
      http_filters: [...(countNoBackend ? statsHttpFilters() : []), ...(cors ? [CORS_FILTER] : []), ROUTER_FILTER],
      ...(accessLog ? { access_log: ACCESS_LOG } : {}),
    },
  };
}

function listenerOf(ir: GatewayIR, name: 'http' | 'https'): IRListener | undefined {
  return ir.listeners.find((l) => l.name === name);
}

export function httpListener(ir: GatewayIR, memo: RouteMemo = newRouteMemo()): Record<string, unknown> {
  const chain = listenerOf(ir, 'http')?.filterChains[0] ?? {
    name: 'http',
    serverNames: [],
    routes: [],
    redirectToHttps: [],
    hostNames: [],
  };
  return {
    name: 'http',
    address: socketAddress('0.0.0.0', HTTP_PORT),
    per_connection_buffer_limit_bytes: CONNECTION_BUFFER_LIMIT_BYTES,
    filter_chains: [
      { filters: [httpConnectionManager('http', routeConfiguration('http', chain, memo), true, usesCors(chain))] },
    ],
  };
}

/** Undefined when no TLSContext is programmed. */
export function httpsListener(ir: GatewayIR, memo: RouteMemo = newRouteMemo()): Record<string, unknown> | undefined {
  const chains = (listenerOf(ir, 'https')?.filterChains ?? []).filter((c) => c.tls);
  if (chains.length === 0) return undefined;
  return {
    name: 'https',
    address: socketAddress('0.0.0.0', HTTPS_PORT),
    per_connection_buffer_limit_bytes: CONNECTION_BUFFER_LIMIT_BYTES,
    listener_filters: [
      { name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': TypeUrls.TlsInspector } },
    ],
    // A chain without a match (the last) takes every SNI no other chain claims, and clients that send none.
    filter_chains: chains.map((c) => ({
      name: c.name,
      ...(c.serverNames.length > 0 ? { filter_chain_match: { server_names: c.serverNames } } : {}),
      filters: [httpConnectionManager('https', routeConfiguration('https', c, memo), true, usesCors(c))],
      transport_socket: downstreamTlsSocket(c.tls!),
    })),
  };
}

export function readinessListener(): Record<string, unknown> {
  const routeConfig = {
    name: 'readiness',
    // The only way into the admin interface from outside the pod: exactly GET /ready (see docs/security.md).
    virtual_hosts: [
      {
        name: 'readiness',
        domains: ['*'],
        routes: [
          {
            name: 'ready',
            match: { path: '/ready', headers: [{ name: ':method', string_match: { exact: 'GET' } }] },
            route: { cluster: ADMIN_CLUSTER },
          },
        ],
      },
    ],
  };
  return {
    name: 'readiness',
    address: socketAddress('0.0.0.0', READINESS_PORT),
    per_connection_buffer_limit_bytes: CONNECTION_BUFFER_LIMIT_BYTES,
    // Probes still get through when the global connection limit is reached: a full pod keeps serving the
    // connections it has instead of being taken out of every load balancer (all pods at once, in a flood).
    ignore_global_conn_limit: true,
    filter_chains: [{ filters: [httpConnectionManager('readiness', routeConfig, false, false, false)] }],
  };
}
