// Operator lifecycle against the embedded API server: two instances elect one writer and fail over within
// the lease duration; a restart with nothing changed writes nothing; a missing Envoy Deployment is reported,
// not fatal; injected watch drops, 410s and 500s end in the same config as a from-scratch render.
import { expect } from 'chai';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { TestCluster } from '../support/test-cluster.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import {
  REPO,
  FIXTURES,
  FAST,
  clusterWithEnvoy,
  runOperator,
  kubectlOk,
  http,
  envoyDeployment,
  publishedObjects,
  waitForCondition,
  eventually,
  metrics,
  metricValue,
  customObject,
} from './harness.js';

async function lease(cluster: TestCluster) {
  return cluster.kubeConfig
    .makeApiClient(k8s.CoordinationV1Api)
    .readNamespacedLease({ name: 'portico-leader', namespace: 'portico-system' });
}

describe('operator: lifecycle', function () {
  this.timeout(60_000);
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('two instances: exactly one writes; killing it hands over within the lease duration', async () => {
    const cluster = await clusterWithEnvoy();
    cleanup.push(() => cluster.stop());
    const a = await runOperator(cluster, { identity: 'op-a' });
    cleanup.push(() => a.stop());
    await eventually('op-a leads', () => a.isLeader(), 5000);
    const b = await runOperator(cluster, { identity: 'op-b' });
    cleanup.push(() => b.stop());
    await kubectlOk(cluster, ['apply', '-f', join(REPO, 'examples')]);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
    // b is warm: synced caches and the same config, but it never wrote
    await eventually(
      'op-b computed the config',
      async () =>
        JSON.parse((await http(b.httpPort, '/portico/v1/config')).body).hash === (await envoyDeployment(cluster)).hash,
      5000,
      50,
    );
    expect(b.isLeader()).to.equal(false);
    expect(metricValue(await metrics(b), 'portico_api_writes_total')).to.equal(0);
    expect(metricValue(await metrics(b), 'portico_leader')).to.equal(0);
    expect(metricValue(await metrics(a), 'portico_api_writes_total')).to.be.greaterThan(0);
    expect(metricValue(await metrics(a), 'portico_leader')).to.equal(1);
    const l = await lease(cluster);
    expect(l.spec!.holderIdentity).to.equal('op-a');
    expect(String(l.spec!.renewTime)).to.match(/\.\d{6}Z$/);

    // a dies without releasing (as on SIGKILL): b takes over once it has seen no renewal for a lease duration
    const killedAt = Date.now();
    await a.stop({ releaseLease: false });
    await eventually('op-b leads', () => b.isLeader(), 10_000, 20);
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).to.be.lessThan(FAST.leaseDurationMs! + 2 * 1.2 * FAST.retryPeriodMs! + 500);
    expect((await lease(cluster)).spec!.holderIdentity).to.equal('op-b');
    expect((await lease(cluster)).spec!.leaseTransitions).to.equal(1);
    // and b now writes
    const before = await envoyDeployment(cluster);
    await kubectlOk(cluster, [
      'patch',
      'mapping',
      'usermapping',
      '--type=merge',
      '-p',
      '{"spec":{"prefix":"/after-failover/"}}',
    ]);
    await eventually(
      'op-b rolled the Deployment',
      async () => (await envoyDeployment(cluster)).hash !== before.hash,
      5000,
      50,
    );
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');

    // graceful stop releases the Lease at once
    await b.stop();
    const released = await lease(cluster);
    expect(released.spec!.holderIdentity).to.equal('');
  });

  it('a restart with nothing changed publishes no ConfigMap, rolls nothing and writes no status', async () => {
    const cluster = await clusterWithEnvoy();
    cleanup.push(() => cluster.stop());
    await kubectlOk(cluster, ['apply', '-f', join(REPO, 'examples')]);
    const first = await runOperator(cluster);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
    await waitForCondition(cluster, 'tlscontexts', 'example-tls', 'Programmed', 'True');
    await eventually('ready', async () => (await http(first.httpPort, '/readyz')).status === 200, 5000, 50);
    await first.stop();
    const deployment0 = await envoyDeployment(cluster);
    const published0 = await publishedObjects(cluster);
    const mapping0 = await customObject(cluster, 'mappings', 'usermapping');

    const second = await runOperator(cluster);
    cleanup.push(() => second.stop());
    await eventually(
      'restarted operator ready',
      async () => (await http(second.httpPort, '/readyz')).status === 200,
      8000,
      50,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(metricValue(await metrics(second), 'portico_api_writes_total')).to.equal(0);
    expect(await envoyDeployment(cluster)).to.deep.equal(deployment0);
    expect(await publishedObjects(cluster)).to.deep.equal(published0);
    expect((await customObject(cluster, 'mappings', 'usermapping')).metadata.resourceVersion).to.equal(
      mapping0.metadata.resourceVersion,
    );
  });

  it('a missing Envoy Deployment is reported (Event, /readyz) while configs are still published; creating it rolls', async () => {
    const cluster = await clusterWithEnvoy({ deployment: false });
    cleanup.push(() => cluster.stop());
    const op = await runOperator(cluster);
    cleanup.push(() => op.stop());
    await kubectlOk(cluster, ['apply', '-f', join(REPO, 'examples', 'usersvc.yaml')]);
    const pending = await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'False', 'Pending');
    expect(pending.status.conditions.find((c: any) => c.type === 'Programmed').message).to.match(
      /Deployment portico-system\/portico-envoy not found/,
    );
    const ready = await http(op.httpPort, '/readyz');
    expect(ready.status).to.equal(503);
    expect(ready.body).to.include('Deployment portico-system/portico-envoy not found');
    const current = JSON.parse((await http(op.httpPort, '/portico/v1/config')).body).hash;
    expect(Object.keys(await publishedObjects(cluster))).to.include.members([
      `ConfigMap:portico-envoy-${current}`,
      `Secret:portico-certs-${current}`,
    ]);
    const events = JSON.parse(await kubectlOk(cluster, ['get', 'events', '-n', 'portico-system', '-o', 'json'])).items;
    expect(
      events.some((e: any) => e.reason === 'DeploymentNotFound' && e.involvedObject.name === 'portico-envoy'),
    ).to.equal(true);

    await kubectlOk(cluster, ['apply', '-f', join(FIXTURES, 'envoy-deployment.yaml')]);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True', undefined, 15_000);
    const d = await envoyDeployment(cluster);
    expect(Object.keys(await publishedObjects(cluster))).to.include(`ConfigMap:${d.configMap}`);
    await eventually('ready once rolled', async () => (await http(op.httpPort, '/readyz')).status === 200, 5000, 50);
  });

  it('watch drops, 410s and 500s during changes: informers restart and the final config equals a from-scratch render', async () => {
    const cluster = await clusterWithEnvoy();
    cleanup.push(() => cluster.stop());
    const op = await runOperator(cluster);
    cleanup.push(() => op.stop());
    await kubectlOk(cluster, ['apply', '-f', join(REPO, 'examples')]);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
    const custom = cluster.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    const core = cluster.kubeConfig.makeApiClient(k8s.CoreV1Api);
    const mappingBody = (name: string, prefix: string, svc: string) => ({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: { name, namespace: 'default' },
      spec: { prefix, service: svc },
    });
    const faults = cluster.server.faults;
    for (let i = 0; i < 6; i++) {
      if (i === 1) faults.closeWatches();
      if (i === 2) faults.failNext(2, { status: 410, path: /watch=true/ });
      if (i === 3) faults.failNext(3, { status: 500, path: /watch=true/ });
      if (i === 4) faults.closeWatches();
      await custom.createNamespacedCustomObject({
        group: 'portico.dev',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'mappings',
        body: mappingBody(`churn-${i}`, `/churn-${i}/`, 'usersvc'),
      });
      if (i % 2 === 1)
        await custom.deleteNamespacedCustomObject({
          group: 'portico.dev',
          version: 'v1alpha1',
          namespace: 'default',
          plural: 'mappings',
          name: `churn-${i - 1}`,
        });
      if (i === 3) await core.deleteNamespacedService({ name: 'gruesvc', namespace: 'default' });
      faults.closeWatches();
    }
    expect(faults.counts.failedRequests).to.be.greaterThan(0);
    await eventually(
      'informer restarts counted',
      async () => metricValue(await metrics(op), 'portico_informer_restarts_total') > 0,
      8000,
      50,
    );

    // From scratch: list the final objects straight from the API and render them.
    const expected = async () => {
      const list = async (plural: string) =>
        ((await custom.listClusterCustomObject({ group: 'portico.dev', version: 'v1alpha1', plural })) as any).items;
      const secrets = (await core.listSecretForAllNamespaces()).items.filter(
        (s) => s.metadata?.namespace === 'default',
      );
      const snapshot = JSON.parse(
        JSON.stringify({
          mappings: await list('mappings'),
          tlsContexts: await list('tlscontexts'),
          services: (await core.listServiceForAllNamespaces()).items,
          secrets,
          now: new Date().toISOString(),
        }),
      );
      return renderEnvoyConfig(compileSnapshot(snapshot).ir).hash;
    };
    const want = await expected();
    await eventually(
      'published config equals the from-scratch render',
      async () => (await envoyDeployment(cluster)).hash === want,
      15_000,
      100,
    );
    const names = await eventually(
      'diagnostics caught up',
      async () => {
        const n: string[] = JSON.parse((await http(op.httpPort, '/portico/v1/mappings')).body).mappings.map(
          (m: any) => m.name,
        );
        return n.includes('churn-5') ? n : undefined;
      },
      5000,
      50,
    );
    expect(names).to.include.members(['churn-1', 'churn-3', 'churn-5']);
    expect(names).to.not.include('churn-0');
    expect(names).to.not.include('churn-2');
    expect(names).to.not.include('churn-4');
  });
});
