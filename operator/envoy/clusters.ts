// IR clusters → Envoy STRICT_DNS clusters on the Service's cluster DNS name, plus the admin cluster that the
// readiness listener proxies to.
import type { IRCluster, IRClusterSettings } from '../compile/ir.js';
import { ADMIN_ADDRESS, ADMIN_CLUSTER, ADMIN_PORT, TypeUrls, socketAddress } from './constants.js';
import { CONNECTION_BUFFER_LIMIT_BYTES, HTTP2_LIMITS } from './edge.js';
import { envoyDuration } from './route-policy.js';
import { upstreamTlsSocket } from './tls.js';

function loadAssignment(name: string, address: string, port: number): object {
  return {
    cluster_name: name,
    endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(address, port) } }] }],
  };
}

const LB_POLICY: Record<IRClusterSettings['lbPolicy'], string> = {
  round_robin: 'ROUND_ROBIN',
  least_request: 'LEAST_REQUEST',
  ring_hash: 'RING_HASH',
  maglev: 'MAGLEV',
};

function circuitBreakers(cb: NonNullable<IRClusterSettings['circuitBreakers']>): Record<string, unknown> {
  const t: Record<string, unknown> = { priority: 'DEFAULT' };
  if (cb.maxConnections !== undefined) t.max_connections = cb.maxConnections;
  if (cb.maxPendingRequests !== undefined) t.max_pending_requests = cb.maxPendingRequests;
  if (cb.maxRequests !== undefined) t.max_requests = cb.maxRequests;
  if (cb.maxRetries !== undefined) t.max_retries = cb.maxRetries;
  return { thresholds: [t] };
}

export function envoyCluster(c: IRCluster): Record<string, unknown> {
  const s = c.settings;
  return {
    name: c.name,
    type: 'STRICT_DNS',
    connect_timeout: s ? envoyDuration(s.connectTimeoutMs) : '3s',
    dns_lookup_family: 'V4_PREFERRED',
    lb_policy: s ? LB_POLICY[s.lbPolicy] : 'ROUND_ROBIN',
    per_connection_buffer_limit_bytes: CONNECTION_BUFFER_LIMIT_BYTES,
    load_assignment: loadAssignment(c.name, c.address, c.port),
    ...(s?.circuitBreakers ? { circuit_breakers: circuitBreakers(s.circuitBreakers) } : {}),
    // gRPC: HTTP/2 to the upstream, with the same stream limits as the listeners.
    ...(s?.http2
      ? {
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': TypeUrls.HttpProtocolOptions,
              explicit_http_config: { http2_protocol_options: HTTP2_LIMITS },
            },
          },
        }
      : {}),
    // SNI is the host name without the absolute-name dot (a trailing dot in SNI is not a valid host name).
    ...(c.upstreamTls ? { transport_socket: upstreamTlsSocket(c.address.replace(/\.$/, '')) } : {}),
  };
}

export function adminCluster(): Record<string, unknown> {
  return {
    name: ADMIN_CLUSTER,
    type: 'STATIC',
    connect_timeout: '1s',
    per_connection_buffer_limit_bytes: CONNECTION_BUFFER_LIMIT_BYTES,
    load_assignment: loadAssignment(ADMIN_CLUSTER, ADMIN_ADDRESS, ADMIN_PORT),
  };
}
