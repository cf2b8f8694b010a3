// Past the 1 MiB limit: tens of thousands of Mappings publish to the embedded API server (which enforces
// Kubernetes' 1 MiB ConfigMap/Secret data limit), and the published parts reassemble — through the
// manifests' own init script and through unpackConfig — byte-for-byte into what a from-scratch
// compileSnapshot + renderEnvoyConfig of the same objects gives.
//
// Creating objects through the API runs at ~150/s here (measured: 5,000 client-node creates, 32 in flight,
// took 33 s), so the cluster starts from a state file instead (the API server's own persistence format):
// the objects are exactly what the informers list; every write the operator makes goes through the normal,
// validating API path. PORTICO_SCALE_MAPPINGS overrides the count (default 50,000).
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { PART_BYTES, packConfig, unpackConfig } from '../../operator/publish/config-chunks.js';
import { projectedFiles } from '../../operator/kube/read-published.js';
import type { Mapping, Service } from '../../operator/api/types.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';
import { FIXTURES, NS, envoyDeployment, eventually, kubectlOk, runOperator } from './harness.js';
import type { RunningOperator } from '../../operator/operator.js';
import { runInitStep } from '../manifests/init-step.js';

const N = Number(process.env.PORTICO_SCALE_MAPPINGS ?? 50_000);
const NAMESPACES = ['team-a', 'team-b', 'team-c', 'team-d'];

/** Seeded objects; the random tokens keep gzip from making the config trivially small. */
function generate(n: number): { mappings: Mapping[]; services: Service[] } {
  let seed = 0x9e3779b9;
  const rand = () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
  const token = () => Math.floor(rand() * 2 ** 32).toString(36);
  const created = '2026-01-01T00:00:00Z';
  const services: Service[] = [];
  const mappings: Mapping[] = [];
  for (let s = 0; s < Math.ceil(n / 5); s++) {
    services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: `svc-${s}`,
        namespace: NAMESPACES[s % NAMESPACES.length],
        uid: `svc-uid-${s}`,
        resourceVersion: '2',
        creationTimestamp: created,
      },
      spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    } as Service);
  }
  for (let i = 0; i < n; i++) {
    const s = Math.floor(i / 5);
    mappings.push({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: {
        name: `route-${i}`,
        namespace: NAMESPACES[s % NAMESPACES.length],
        uid: `map-uid-${i}`,
        generation: 1,
        resourceVersion: '3',
        creationTimestamp: created,
      },
      spec: {
        prefix: `/api/${token()}/${token()}-${i}/`,
        service: `svc-${s}`,
        ...(rand() < 0.5 ? { rewrite: `/${token()}/` } : {}),
        // Host h<k> belongs to namespace k % 4 (host ownership: one namespace per host, as tenants have).
        host: `h${Math.floor(rand() * 50) * NAMESPACES.length + (s % NAMESPACES.length)}.scale.example`,
      },
    } as Mapping);
  }
  return { mappings, services };
}

describe(`operator: publishing ${N.toLocaleString('en')} Mappings past the 1 MiB object limit`, function () {
  this.timeout(120_000);
  let dir: string;
  let cluster: TestCluster | undefined;
  let op: RunningOperator | undefined;
  const { mappings, services } = generate(N);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-scale-'));
    const statePath = join(dir, 'state.json');
    const objects = [
      ...NAMESPACES.map((name) => ({
        resource: '/namespaces',
        object: {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, uid: `ns-${name}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' },
        },
      })),
      ...services.map((object) => ({ resource: '/services', object })),
      ...mappings.map((object) => ({ resource: 'portico.dev/mappings', object })),
    ];
    writeFileSync(statePath, JSON.stringify({ resourceVersion: 10, objects }));
    cluster = await startTestCluster({ crds: true, statePath });
    await kubectlOk(cluster, ['apply', '-f', join(FIXTURES, 'envoy-deployment.yaml')]);
  });

  after(async () => {
    await op?.stop();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes parts that each fit, and they reassemble byte-for-byte into the from-scratch render', async () => {
    const expected = renderEnvoyConfig(
      compileSnapshot({ mappings, services, tlsContexts: [], secrets: [], now: '2026-06-01T00:00:00Z' }).ir,
    );
    expect(Buffer.byteLength(expected.json)).to.be.greaterThan(1024 * 1024);

    const started = Date.now();
    // Client-go's lease timing, not the tests' short one: compiling 50k Mappings holds the event loop for
    // seconds, longer than a 1.5 s renew deadline.
    op = await runOperator(cluster!, { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    const d = await eventually(
      'the operator published and rolled',
      async () => {
        const v = await envoyDeployment(cluster!);
        return /^[0-9a-f]{10}$/.test(v.hash ?? '') ? v : undefined;
      },
      90_000,
      200,
    );
    const publishMs = Date.now() - started;
    // The operator now writes 50k statuses; stopping the API server first makes them fail fast.
    const core = cluster!.kubeConfig.makeApiClient(k8s.CoreV1Api);
    const files = await projectedFiles(core, NS, d.configMaps);
    const cms = await Promise.all(d.configMaps.map((name) => core.readNamespacedConfigMap({ name, namespace: NS })));
    await cluster!.stop();
    cluster = undefined;

    expect(d.hash).to.equal(expected.hash);
    expect(d.configMaps[0]).to.equal(`portico-envoy-${d.hash}`);
    expect(d.configMaps.length).to.equal(packConfig(expected.json).parts.length);
    if (N >= 50_000) expect(d.configMaps.length, 'a config this size needs several ConfigMaps').to.be.greaterThan(1);
    expect(d.configMaps.slice(1)).to.deep.equal(
      d.configMaps.slice(1).map((_, i) => `portico-envoy-${d.hash}-${i + 1}`),
    );

    for (const cm of cms) {
      const name = cm.metadata!.name!;
      const bytes = Object.values(cm.binaryData ?? {}).reduce((n, v) => n + Buffer.from(v, 'base64').length, 0);
      expect(bytes, name).to.be.at.most(PART_BYTES);
      expect(cm.immutable, name).to.equal(true);
      expect(cm.metadata?.labels?.['portico.dev/config-hash'], name).to.equal(d.hash);
    }

    expect(unpackConfig(files)).to.equal(expected.json);
    const init = runInitStep(files);
    expect(init.code, init.stderr).to.equal(0);
    expect(init.out!.equals(Buffer.from(expected.json, 'utf8'))).to.equal(true);
    console.log(
      `      ${N} Mappings: ${(Buffer.byteLength(expected.json) / 2 ** 20).toFixed(1)} MiB of JSON in ${d.configMaps.length} ConfigMaps; published and rolled ${publishMs} ms after the operator started`,
    );
  });
});
