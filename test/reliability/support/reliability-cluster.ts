// The reliability suite's cluster: the embedded API server (bookmarks every second, so the operator's watch
// idle deadline can be short), the CRDs, the Envoy Deployment fixture and the server's Deployment controller (so
// a converged cluster has completed its rollout: Programmed=True), a second namespace for the churn, and a fault
// proxy in front of the API server for the operator(s) only.
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '../../support/test-cluster.js';
import { startOperator, type OperatorOptions, type RunningOperator } from '../../../operator/operator.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startRolloutCompleter } from '../../support/rollout-completer.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'operator', 'fixtures', 'envoy-deployment.yaml');

/**
 * Short but not twitchy timings for a noisy 2-core machine: lease 3 s / renew deadline 2 s / retry 0.4 s;
 * requests time out after 2 s; a watch silent for 3.5 s (bookmarks come every 1 s) is resumed; no periodic
 * resync, so convergence is proven to come from watch events and retries, not from a timer.
 */
export const RELIABILITY_TIMINGS: Partial<OperatorOptions> = {
  holdoffMs: 20,
  maxHoldoffMs: 100,
  leaseDurationMs: 3000,
  renewDeadlineMs: 2000,
  retryPeriodMs: 400,
  requestTimeoutMs: 2000,
  watchTimeouts: { connectTimeoutMs: 2000, idleTimeoutMs: 3500, minServerTimeoutSeconds: 30 },
  resyncMs: 3_600_000,
};

export interface ReliabilityCluster {
  cluster: TestCluster;
  proxy: FaultProxy;
  /** A kubeconfig pointing at the fault proxy. */
  operatorKubeConfig: KubeConfig;
  startOperator(over?: Partial<OperatorOptions>): Promise<RunningOperator>;
  stop(): Promise<void>;
}

export function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u', namespace: 'default' }],
    currentContext: 'ctx',
  });
  return kc;
}

export async function startReliabilityCluster(): Promise<ReliabilityCluster> {
  const cluster = await startTestCluster({ crds: true, bookmarkIntervalMs: 1000 });
  const r = await cluster.kubectl(['apply', '-f', FIXTURE]);
  if (r.code !== 0) throw new Error(`fixture apply failed: ${r.stderr}`);
  await cluster.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'team-a' } } });
  const rollouts = startRolloutCompleter(cluster.kubeConfig, 'portico-system');
  const proxy = await startFaultProxy(cluster.server.port);
  const operatorKubeConfig = kubeConfigFor(proxy.url);
  const operators: RunningOperator[] = [];
  return {
    cluster,
    proxy,
    operatorKubeConfig,
    async startOperator(over = {}) {
      const op = await startOperator({
        kubeConfig: operatorKubeConfig,
        httpHost: '127.0.0.1',
        httpPort: 0,
        logLevel: process.env.PORTICO_TEST_LOG ?? 'silent',
        ...RELIABILITY_TIMINGS,
        ...over,
      });
      operators.push(op);
      return op;
    },
    async stop() {
      for (const op of operators) await op.stop({ releaseLease: false }).catch(() => undefined);
      await rollouts.stop();
      await proxy.close();
      await cluster.stop();
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** p-th percentile (0..100) of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
