// Shared pieces of the operator integration tests: a test cluster with the CRDs, the portico-system namespace
// and the Envoy Deployment fixture, with the embedded API server's Deployment controller on (Programmed=True
// means the Deployment's rollout of the config completed; without a controller it never does); an operator
// with short timings; and readers for what it published.
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startTestCluster, eventually, type TestCluster } from '../support/test-cluster.js';
import { startOperator, type OperatorOptions, type RunningOperator } from '../../operator/operator.js';
import { readPublishedConfig } from '../../operator/kube/read-published.js';

export { eventually };
export const REPO = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const NS = 'portico-system';

/** Short timings: holdoff 20/100 ms, lease 2 s / renew deadline 1.5 s / retry 0.25 s. */
export const FAST: Partial<OperatorOptions> = {
  holdoffMs: 20,
  maxHoldoffMs: 100,
  leaseDurationMs: 2000,
  renewDeadlineMs: 1500,
  retryPeriodMs: 250,
};

/** `rollouts: false`: no Deployment controller, so a rollout never progresses (Programmed stays Pending). */
export async function clusterWithEnvoy(opts: { deployment?: boolean; rollouts?: boolean } = {}): Promise<TestCluster> {
  const cluster = await startTestCluster({ crds: true, deploymentController: opts.rollouts !== false });
  const file = opts.deployment === false ? join(FIXTURES, 'namespace.yaml') : join(FIXTURES, 'envoy-deployment.yaml');
  const r = await cluster.kubectl(['apply', '-f', file]);
  if (r.code !== 0) throw new Error(`fixture apply failed: ${r.stderr}`);
  return cluster;
}

export function runOperator(cluster: TestCluster, over: Partial<OperatorOptions> = {}): Promise<RunningOperator> {
  return startOperator({
    kubeConfig: cluster.kubeConfig,
    httpHost: '127.0.0.1',
    httpPort: 0,
    logLevel: process.env.PORTICO_TEST_LOG ?? 'silent',
    ...FAST,
    ...over,
  });
}

export async function kubectlOk(cluster: TestCluster, args: string[], stdin?: string): Promise<string> {
  const r = await cluster.kubectl(args, { stdin });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export async function http(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

export interface EnvoyDeploymentView {
  hash: string | undefined;
  /** The head ConfigMap of the config volume (portico-envoy-<hash>). */
  configMap: string | undefined;
  /** Every ConfigMap of the config volume, head first. */
  configMaps: string[];
  /** The head Secret of the certs volume (portico-certs-<hash>). */
  secret: string | undefined;
  secrets: string[];
  generation: number;
  resourceVersion: string;
}

export async function envoyDeployment(cluster: TestCluster): Promise<EnvoyDeploymentView> {
  const d = await cluster.kubeConfig
    .makeApiClient(k8s.AppsV1Api)
    .readNamespacedDeployment({ name: 'portico-envoy', namespace: NS });
  const t = d.spec!.template;
  const vols = t.spec?.volumes ?? [];
  const configMaps = (vols.find((v) => v.name === 'published-config')?.projected?.sources ?? []).map(
    (s) => s.configMap!.name!,
  );
  const secrets = (vols.find((v) => v.name === 'published-certs')?.projected?.sources ?? []).map(
    (s) => s.secret!.name!,
  );
  return {
    hash: t.metadata?.annotations?.['portico.dev/config-hash'],
    configMap: configMaps[0],
    configMaps,
    secret: secrets[0],
    secrets,
    generation: d.metadata!.generation!,
    resourceVersion: d.metadata!.resourceVersion!,
  };
}

/** Published ConfigMaps and Secrets: name → resourceVersion. */
export async function publishedObjects(cluster: TestCluster): Promise<Record<string, string>> {
  const core = cluster.kubeConfig.makeApiClient(k8s.CoreV1Api);
  const labelSelector = 'app.kubernetes.io/managed-by=portico';
  const [cms, secrets] = await Promise.all([
    core.listNamespacedConfigMap({ namespace: NS, labelSelector }),
    core.listNamespacedSecret({ namespace: NS, labelSelector }),
  ]);
  const out: Record<string, string> = {};
  for (const o of cms.items) out[`ConfigMap:${o.metadata!.name}`] = o.metadata!.resourceVersion!;
  for (const o of secrets.items) out[`Secret:${o.metadata!.name}`] = o.metadata!.resourceVersion!;
  return out;
}

/** The published envoy.json of generation `hash`, reassembled from its parts as the pod's init step does. */
export async function envoyConfigText(cluster: TestCluster, hash: string): Promise<string> {
  const core = cluster.kubeConfig.makeApiClient(k8s.CoreV1Api);
  const head = await core.readNamespacedConfigMap({ name: `portico-envoy-${hash}`, namespace: NS });
  const parts = (head.data?.['envoy.json.parts'] ?? '').split('\n').filter(Boolean);
  const names = parts.map((_, i) => (i === 0 ? `portico-envoy-${hash}` : `portico-envoy-${hash}-${i}`));
  return readPublishedConfig(core, NS, names);
}

export async function envoyConfig(cluster: TestCluster, hash: string): Promise<any> {
  return JSON.parse(await envoyConfigText(cluster, hash));
}

/** Every route in an Envoy bootstrap, in order: { domains, prefix, cluster, prefixRewrite, direct }. */
export function routesOf(
  bootstrap: any,
): Array<{ domains: string[]; prefix: string; cluster?: string; prefixRewrite?: string; direct?: number }> {
  const out: Array<{ domains: string[]; prefix: string; cluster?: string; prefixRewrite?: string; direct?: number }> =
    [];
  const visit = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node.virtual_hosts)) {
      for (const vh of node.virtual_hosts)
        for (const r of vh.routes ?? [])
          out.push({
            domains: vh.domains,
            prefix: r.match?.prefix,
            cluster: r.route?.cluster,
            prefixRewrite: r.route?.prefix_rewrite,
            direct: r.direct_response?.status,
          });
      return;
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(bootstrap);
  return out;
}

export async function customObject(
  cluster: TestCluster,
  plural: 'mappings' | 'tlscontexts',
  name: string,
  namespace = 'default',
): Promise<any> {
  return cluster.kubeConfig
    .makeApiClient(k8s.CustomObjectsApi)
    .getNamespacedCustomObject({ group: 'portico.dev', version: 'v1alpha1', namespace, plural, name });
}

export function conditionOf(
  obj: any,
  type: string,
): { status: string; reason: string; message: string; observedGeneration?: number } | undefined {
  return obj?.status?.conditions?.find((c: any) => c.type === type);
}

/** Wait until the object's condition has the given status (and reason, if given) for its current generation. */
export async function waitForCondition(
  cluster: TestCluster,
  plural: 'mappings' | 'tlscontexts',
  name: string,
  type: string,
  status: string,
  reason?: string,
  timeoutMs = 8000,
): Promise<any> {
  return eventually(
    `${plural}/${name} ${type}=${status}${reason ? `/${reason}` : ''}`,
    async () => {
      const o = await customObject(cluster, plural, name);
      const c = conditionOf(o, type);
      return c &&
        c.status === status &&
        (!reason || c.reason === reason) &&
        o.status.observedGeneration === o.metadata.generation
        ? o
        : undefined;
    },
    timeoutMs,
    50,
  );
}

/** A metric's value from /metrics text (sum over label sets matching `labels`). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const ls = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => ls.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

export async function metrics(op: RunningOperator): Promise<string> {
  return (await http(op.httpPort, '/metrics')).body;
}
