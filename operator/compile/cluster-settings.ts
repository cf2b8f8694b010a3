// Clusters are keyed by what they are: Service, port, scheme and the settings Mappings set on the connection
// pool. Default settings keep the plain name (`<ns>_<svc>_<port>[_tls]`); other settings add a short hash of
// them, so Mappings that agree share one cluster and Mappings that differ never overwrite each other's.
import { createHash } from 'node:crypto';
import type { IRCluster, IRClusterSettings } from './ir.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './routing-fields.js';

const isDefault = (s: IRClusterSettings): boolean =>
  s.connectTimeoutMs === DEFAULT_CONNECT_TIMEOUT_MS && !s.http2 && s.lbPolicy === 'round_robin' && !s.circuitBreakers;

/** The cluster for `base` (a resolved Service) with these settings. */
export function withSettings(base: IRCluster, settings: IRClusterSettings): IRCluster {
  if (isDefault(settings)) return base;
  const canonical = JSON.stringify([
    settings.connectTimeoutMs,
    settings.http2,
    settings.lbPolicy,
    settings.circuitBreakers ?? null,
  ]);
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 8);
  return { ...base, name: `${base.name}_${hash}`, settings };
}
