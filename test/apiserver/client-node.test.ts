// @kubernetes/client-node 1.4 against the embedded API server: an informer that lists, watches and survives
// server-closed watches, an HTTP 410 and an ERROR 410 Expired event by re-listing without missing an event;
// server-side apply; optimistic concurrency.
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startTestCluster, type TestCluster } from '../support/test-cluster.js';

const WIDGET_CRD = yaml.load(readFileSync(join(import.meta.dirname, 'fixtures', 'widgets-crd.yaml'), 'utf8')) as object;
const G = { group: 'example.portico.dev', version: 'v1', namespace: 'default', plural: 'widgets' };

function widget(name: string, prefix = `/${name}/`): any {
  return {
    apiVersion: 'example.portico.dev/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'default' },
    spec: { prefix },
  };
}

describe('apiserver: client-node', function () {
  this.timeout(30_000);
  let c: TestCluster;
  let co: k8s.CustomObjectsApi;
  let core: k8s.CoreV1Api;

  before(async () => {
    // A short history so a watch that stays away for a burst of writes gets ERROR 410 Expired.
    c = await startTestCluster({ crds: [WIDGET_CRD], historyLimit: 30 });
    co = c.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    core = c.kubeConfig.makeApiClient(k8s.CoreV1Api);
  });
  after(() => c.stop());

  it('an informer lists, watches, re-lists after closed watches, HTTP 410 and ERROR 410, and misses no event', async () => {
    let lists = 0;
    const listFn = () => {
      lists++;
      return co.listNamespacedCustomObject(G) as Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>;
    };
    const informer = k8s.makeInformer(c.kubeConfig, '/apis/example.portico.dev/v1/namespaces/default/widgets', listFn);
    let stopped = false;
    informer.on('error', () => {
      if (!stopped) setTimeout(() => void informer.start().catch(() => {}), 50);
    });
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add:${o.metadata!.name}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata!.name}`));
    await co.createNamespacedCustomObject({ ...G, body: widget('w0') });
    await informer.start();
    try {
      expect(informer.list().map((o) => o.metadata!.name)).to.deep.equal(['w0']);
      for (let i = 1; i <= 3; i++) await co.createNamespacedCustomObject({ ...G, body: widget(`w${i}`) });
      await eventually('3 watched adds', () => informer.list().length === 4);
      expect(lists).to.equal(1);

      // 1. The server ends the watch: the informer re-watches from its resourceVersion (no re-list).
      expect(c.server.faults.closeWatches()).to.be.greaterThan(0);
      await co.createNamespacedCustomObject({ ...G, body: widget('w4') });
      await eventually('add after closed watch', () => informer.get('w4', 'default'));

      // 2. The next watch request is answered with HTTP 410: the informer re-lists.
      c.server.faults.failNext(1, { status: 410, path: /watch=true/ });
      c.server.faults.closeWatches();
      await co.deleteNamespacedCustomObject({ ...G, name: 'w1' });
      await eventually('re-list after HTTP 410', () => lists >= 2 && !informer.get('w1', 'default'));

      // 3. The watch comes back after more writes than the history holds: ERROR 410 Expired, then a re-list.
      c.server.faults.addLatency(1000, { path: /watch=true/ });
      c.server.faults.closeWatches();
      const listsBefore = lists;
      for (let i = 0; i < 40; i++)
        await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `burst-${i}` } } });
      await co.createNamespacedCustomObject({ ...G, body: widget('w5') });
      await co.deleteNamespacedCustomObject({ ...G, name: 'w2' });
      c.server.faults.clearLatency();
      await eventually(
        're-list after ERROR 410',
        () => lists > listsBefore && informer.get('w5', 'default') && !informer.get('w2', 'default'),
        8000,
      );

      // Nothing missed: the cache equals the server's list, resourceVersions included.
      const server = (await co.listNamespacedCustomObject(G)) as any;
      const want = server.items.map((o: any) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
      await eventually(
        'cache = server',
        () =>
          JSON.stringify(
            informer
              .list()
              .map((o) => `${o.metadata!.name}@${o.metadata!.resourceVersion}`)
              .sort(),
          ) === JSON.stringify(want),
      );
      for (const name of ['w0', 'w1', 'w2', 'w3', 'w4', 'w5']) expect(seen).to.include(`add:${name}`);
      expect(seen).to.include('delete:w1');
      expect(seen).to.include('delete:w2');
    } finally {
      stopped = true;
      await informer.stop();
    }
  });

  it('server-side apply creates (201) and updates through KubernetesObjectApi', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(c.kubeConfig);
    const created: any = await objects.patch(
      widget('applied', '/a/'),
      undefined,
      undefined,
      'portico',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(created.metadata.generation).to.equal(1);
    expect(created.spec).to.deep.equal({ prefix: '/a/', rewrite: '/' });
    expect(created.metadata.managedFields.map((m: any) => [m.manager, m.operation])).to.deep.equal([
      ['portico', 'Apply'],
    ]);
    const updated: any = await objects.patch(
      widget('applied', '/b/'),
      undefined,
      undefined,
      'portico',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(updated.spec.prefix).to.equal('/b/');
    expect(updated.metadata.generation).to.equal(2);
    expect(Number(updated.metadata.resourceVersion)).to.be.greaterThan(Number(created.metadata.resourceVersion));
    const again: any = await objects.patch(
      widget('applied', '/b/'),
      undefined,
      undefined,
      'portico',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(again.metadata.resourceVersion).to.equal(updated.metadata.resourceVersion);
  });

  it('answers a stale update with 409 Conflict', async () => {
    const cm = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'occ' }, data: { a: '1' } },
    });
    await core.replaceNamespacedConfigMap({ name: 'occ', namespace: 'default', body: { ...cm, data: { a: '2' } } });
    try {
      await core.replaceNamespacedConfigMap({ name: 'occ', namespace: 'default', body: { ...cm, data: { a: '3' } } });
      expect.fail('stale update accepted');
    } catch (err: any) {
      expect(err.code).to.equal(409);
      const status = JSON.parse(err.body);
      expect(status).to.deep.equal({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        reason: 'Conflict',
        code: 409,
        message:
          'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again',
        details: { name: 'occ', kind: 'configmaps' },
      });
    }
  });

  it('accepts Lease MicroTimes from V1MicroTime and refuses Date#toISOString()', async () => {
    const coord = c.kubeConfig.makeApiClient(k8s.CoordinationV1Api);
    const lease = {
      metadata: { name: 'leader' },
      spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: new k8s.V1MicroTime() },
    };
    const created = await coord.createNamespacedLease({ namespace: 'default', body: lease });
    expect(String((created.spec as any).renewTime)).to.match(/\.\d{6}Z$/);
    try {
      await coord.replaceNamespacedLease({
        name: 'leader',
        namespace: 'default',
        body: { ...created, spec: { ...created.spec, renewTime: new Date().toISOString() as any } },
      });
      expect.fail('millisecond MicroTime accepted');
    } catch (err: any) {
      expect(err.code).to.equal(400);
      expect(JSON.parse(err.body).message).to.match(
        /^Lease in version "v1" cannot be handled as a Lease: parsing time ".*" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "\.\d{3}Z" as "\.000000"$/,
      );
    }
  });
});
