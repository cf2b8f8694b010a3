// The embedded API server set up as the operator expects a cluster to be: Portico's CRDs, the portico-system
// namespace with the Envoy Deployment (the server's Deployment controller completes each rollout at once, since
// Programmed=True waits for the rollout; no pods run, so the benchmark reads its pod template), and bulk object
// creation over plain HTTP (many requests in flight, as a GitOps controller would apply).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { loadCrds } from '../../operator/api/crds.js';
import { startApiServer, type ApiServer } from '../../operator/apiserver/index.js';

export const SYSTEM_NS = 'portico-system';
export const DEPLOYMENT = 'portico-envoy';

export interface BenchCluster {
  server: ApiServer;
  url: string;
  dir: string;
  kubeconfigPath: string;
  kubeConfig: k8s.KubeConfig;
  stop(): Promise<void>;
}

interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string };
}

/** The collection URL path for an object. */
export function collectionPath(o: Obj): string {
  const ns = o.metadata.namespace;
  switch (o.kind) {
    case 'Mapping':
      return `/apis/portico.dev/v1alpha1/namespaces/${ns}/mappings`;
    case 'TLSContext':
      return `/apis/portico.dev/v1alpha1/namespaces/${ns}/tlscontexts`;
    case 'PorticoReferenceGrant':
      return `/apis/portico.dev/v1alpha1/namespaces/${ns}/porticoreferencegrants`;
    case 'Service':
      return `/api/v1/namespaces/${ns}/services`;
    case 'Secret':
      return `/api/v1/namespaces/${ns}/secrets`;
    case 'ConfigMap':
      return `/api/v1/namespaces/${ns}/configmaps`;
    case 'Namespace':
      return '/api/v1/namespaces';
    case 'Deployment':
      return `/apis/apps/v1/namespaces/${ns}/deployments`;
    default:
      throw new Error(`bench: no collection path for kind ${o.kind} (${o.metadata.name})`);
  }
}

export function envoyDeployment(): Obj & Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: DEPLOYMENT, namespace: SYSTEM_NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: DEPLOYMENT } },
      template: {
        metadata: { labels: { app: DEPLOYMENT }, annotations: { 'portico.dev/config-hash': 'bootstrap' } },
        spec: {
          containers: [
            {
              name: 'envoy',
              image: 'envoyproxy/envoy:v1.40.0',
              args: ['-c', '/etc/portico/envoy/envoy.json'],
              volumeMounts: [
                { name: 'unpacked-config', mountPath: '/etc/portico/envoy', readOnly: true },
                { name: 'published-certs', mountPath: '/etc/portico/certs', readOnly: true },
              ],
            },
          ],
          // As manifests/ ships it: the published (possibly chunked) config is unpacked by an init step.
          volumes: [
            { name: 'unpacked-config', emptyDir: {} },
            { name: 'published-config', projected: { sources: [{ configMap: { name: 'portico-envoy-bootstrap' } }] } },
            {
              name: 'published-certs',
              projected: { sources: [{ secret: { name: 'portico-certs-bootstrap', optional: true } }] },
            },
          ],
        },
      },
    },
  };
}

export interface CreateReport {
  created: number;
  ms: number;
  failures: Array<{ object: string; status: number; message: string }>;
}

/** POSTs every object with `concurrency` requests in flight; failures are collected, not thrown. */
export async function createObjects(url: string, objects: Obj[], concurrency = 16): Promise<CreateReport> {
  const started = performance.now();
  const report: CreateReport = { created: 0, ms: 0, failures: [] };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < objects.length; i = next++) {
      const o = objects[i];
      const res = await fetch(url + collectionPath(o), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(o),
      });
      const text = await res.text();
      if (res.status === 201 || res.status === 200) report.created++;
      else
        report.failures.push({
          object: `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
          status: res.status,
          message: text.slice(0, 300),
        });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  report.ms = performance.now() - started;
  return report;
}

export async function startBenchCluster(): Promise<BenchCluster> {
  // 10k Mappings plus changes: keep enough watch history that resuming watches never hits 410 by accident.
  const server = await startApiServer({ crds: loadCrds(), historyLimit: 200_000, deploymentController: true });
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await server.writeKubeconfig(kubeconfigPath);
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const setup = await createObjects(
    server.url,
    [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NS } }, envoyDeployment()],
    1,
  );
  if (setup.failures.length) throw new Error(`bench cluster setup failed: ${JSON.stringify(setup.failures)}`);
  return {
    server,
    url: server.url,
    dir,
    kubeconfigPath,
    kubeConfig,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Namespaces the objects live in (created first, as kubectl apply of a GitOps tree would). */
export function namespacesFor(objects: Obj[]): Obj[] {
  const names = [
    ...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n && n !== 'default')),
  ].sort();
  return names.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}
