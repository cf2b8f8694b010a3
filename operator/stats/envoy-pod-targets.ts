// The Envoy pods to read stats from, as the rollout cache sees them: every pod of the Envoy Deployment that
// exists, terminating ones included (they serve while they drain), at its stats listener. Pure.
import { STATS_PORT } from '../envoy/constants.js';
import type { EnvoyPodTarget } from './stats-collector.js';

interface PodLike {
  metadata?: { name?: string; uid?: string; annotations?: Record<string, string> };
  status?: { podIP?: string };
}

export function envoyStatsTargets(pods: readonly PodLike[]): EnvoyPodTarget[] {
  return pods.map((p) => {
    const name = p.metadata?.name ?? '';
    return {
      key: p.metadata?.uid ?? name,
      name,
      statsUrl: p.status?.podIP ? `http://${p.status.podIP}:${STATS_PORT}` : undefined,
      version: p.metadata?.annotations?.['portico.dev/config-hash'] ?? '',
    };
  });
}
