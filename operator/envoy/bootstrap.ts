// The whole Envoy v3 Bootstrap: static listeners and clusters, admin on loopback only.
import type { GatewayIR } from '../compile/ir.js';
import { ADMIN_ADDRESS, ADMIN_PORT, socketAddress } from './constants.js';
import { adminCluster, envoyCluster } from './clusters.js';
import { httpListener, httpsListener, readinessListener } from './listeners.js';
import { newRouteMemo } from './routes.js';
import { deferredStatOptions, statsConfig, statsListener } from './stats-bootstrap.js';

export function buildBootstrap(ir: GatewayIR): Record<string, unknown> {
  // One memo for both listeners: a virtual host that does not redirect is the same object on each.
  const memo = newRouteMemo();
  const https = httpsListener(ir, memo);
  return {
    node: { id: 'portico-envoy', cluster: 'portico-envoy' },
    admin: { address: socketAddress(ADMIN_ADDRESS, ADMIN_PORT) },
    stats_config: statsConfig(),
    deferred_stat_options: deferredStatOptions(),
    static_resources: {
      listeners: [httpListener(ir, memo), ...(https ? [https] : []), readinessListener(), statsListener()],
      clusters: [...ir.clusters.map(envoyCluster), adminCluster()],
    },
  };
}
