// IR clusters → Envoy STRICT_DNS clusters on the Service's cluster DNS name, plus the admin cluster that the
// readiness listener proxies to.
import type { IRCluster } from '../compile/ir.js';
import { ADMIN_ADDRESS, ADMIN_CLUSTER, ADMIN_PORT, socketAddress } from './constants.js';
import { CONNECTION_BUFFER_LIMIT_BYTES } from './edge.js';
import { upstreamTlsSocket } from './tls.js';

function loadAssignment(name: string, address: string, port: number): object {
  return { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(address, port) } }] }] };
}

export function envoyCluster(c: IRCluster): Record<string, unknown> {
  return {
    name: c.name,
    type: 'STRICT_DNS',
    connect_timeout: '3s',
    dns_lookup_family: 'V4_PREFERRED',
    lb_policy: 'ROUND_ROBIN',
    per_connection_buffer_limit_bytes: CONNECTION_BUFFER_LIMIT_BYTES,
    load_assignment: loadAssignment(c.name, c.address, c.port),
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
