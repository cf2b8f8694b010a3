// List pagination (limit/continue) as the real server pages through etcd: key order, consistent snapshots
// across pages, remainingItemCount, 410 Expired for a compacted snapshot, and kubectl's --chunk-size.
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { CONTINUE_EXPIRED_MESSAGE } from '../../operator/apiserver/endpoints/list-pagination.js';
import { request } from '../support/raw-http.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';

const GROUP = { group: 'portico.dev', version: 'v1alpha1', plural: 'mappings' };
const MAPPINGS = '/apis/portico.dev/v1alpha1/namespaces/default/mappings';
const CMS = '/api/v1/namespaces/default/configmaps';
const mapping = (name: string) => ({
  apiVersion: 'portico.dev/v1alpha1',
  kind: 'Mapping',
  metadata: { name, labels: { page: 'yes' } },
  spec: { prefix: `/${name}/`, service: 'svc' },
});

describe('apiserver: list pagination', function () {
  this.timeout(20_000);
  let c: TestCluster;
  let co: k8s.CustomObjectsApi;
  const get = (path: string) => request(c.url, 'GET', path);

  before(async () => {
    // A short history, so a paginated snapshot can be compacted within the test.
    c = await startTestCluster({ crds: true, historyLimit: 40 });
    co = c.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    for (const n of ['m1', 'm2', 'm3', 'm4', 'm5'])
      await co.createNamespacedCustomObject({ ...GROUP, namespace: 'default', body: mapping(n) });
  });
  after(() => c.stop());

  it('kubectl get --chunk-size=2 lists every Mapping under one header, in pages of two', async () => {
    c.server.audit.clear();
    const r = await c.kubectl(['get', 'mappings', '--chunk-size=2']);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.match(/^NAME\s+PREFIX/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5']);
    const lists = c.server.audit.entries((e) => e.verb === 'list' && e.resource === 'mappings');
    expect(lists).to.have.length(3);
  });

  it('client-node pages are one snapshot: later writes do not show, remainingItemCount counts down', async () => {
    const p1 = await co.listNamespacedCustomObject({ ...GROUP, namespace: 'default', limit: 2 });
    expect(p1.items.map((i: any) => i.metadata.name)).to.deep.equal(['m1', 'm2']);
    expect(p1.metadata.remainingItemCount).to.equal(3);
    expect(p1.metadata.continue).to.be.a('string');
    await co.createNamespacedCustomObject({ ...GROUP, namespace: 'default', body: mapping('m3a') });
    await co.deleteNamespacedCustomObject({ ...GROUP, namespace: 'default', name: 'm4' });
    await co.patchNamespacedCustomObject({
      ...GROUP,
      namespace: 'default',
      name: 'm5',
      body: [{ op: 'replace', path: '/spec/prefix', value: '/changed/' }],
    });
    const p2 = await co.listNamespacedCustomObject({
      ...GROUP,
      namespace: 'default',
      limit: 2,
      _continue: p1.metadata.continue,
    });
    expect(p2.items.map((i: any) => i.metadata.name)).to.deep.equal(['m3', 'm4']);
    expect(p2.metadata.resourceVersion).to.equal(p1.metadata.resourceVersion);
    expect(p2.metadata.remainingItemCount).to.equal(1);
    const p3 = await co.listNamespacedCustomObject({
      ...GROUP,
      namespace: 'default',
      limit: 2,
      _continue: p2.metadata.continue,
    });
    expect(p3.items.map((i: any) => [i.metadata.name, i.spec.prefix])).to.deep.equal([['m5', '/m5/']]);
    expect(p3.metadata.continue).to.equal(undefined);
    expect(p3.metadata.remainingItemCount).to.equal(undefined);
    // A fresh list sees the writes.
    const fresh = await co.listNamespacedCustomObject({ ...GROUP, namespace: 'default' });
    expect(fresh.items.map((i: any) => i.metadata.name)).to.deep.equal(['m1', 'm2', 'm3', 'm3a', 'm5']);
  });

  it('with a selector: full pages of matches, no remainingItemCount', async () => {
    await co.createNamespacedCustomObject({
      ...GROUP,
      namespace: 'default',
      body: { ...mapping('m0'), metadata: { name: 'm0', labels: { page: 'no' } } },
    });
    const r = await get(`${MAPPINGS}?limit=2&labelSelector=page%3Dyes`);
    expect(r.body.items.map((i: any) => i.metadata.name)).to.deep.equal(['m1', 'm2']);
    expect(r.body.metadata.continue).to.be.a('string');
    expect(r.body.metadata).not.to.have.property('remainingItemCount');
  });

  it('orders by key bytewise, as etcd does, across namespaces too', async () => {
    for (const n of ['ab', 'a0', 'a.b', 'a-b']) await request(c.url, 'POST', CMS, { metadata: { name: n } });
    const page = await get(`${CMS}?limit=3`);
    expect(page.body.items.map((i: any) => i.metadata.name)).to.deep.equal(['a-b', 'a.b', 'a0']);
    const all = await get('/api/v1/configmaps?limit=100');
    expect(all.body.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`)).to.deep.equal([
      'default/a-b',
      'default/a.b',
      'default/a0',
      'default/ab',
    ]);
  });

  it('answers a compacted snapshot with 410 Expired and a token that continues from the latest state', async () => {
    const p1 = (await get(`${CMS}?limit=2`)).body;
    for (let i = 0; i < 45; i++)
      await request(c.url, 'PUT', `${CMS}/ab`, { metadata: { name: 'ab' }, data: { n: String(i) } });
    await request(c.url, 'POST', CMS, { metadata: { name: 'a1' } });
    const expired = await get(`${CMS}?limit=2&continue=${encodeURIComponent(p1.metadata.continue)}`);
    expect(expired.status).to.equal(410);
    expect(expired.body).to.include({
      kind: 'Status',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
      message: CONTINUE_EXPIRED_MESSAGE,
    });
    const next = (await get(`${CMS}?limit=2&continue=${encodeURIComponent(expired.body.metadata.continue)}`)).body;
    expect(next.items.map((i: any) => i.metadata.name)).to.deep.equal(['a0', 'a1']);
    expect(Number(next.metadata.resourceVersion)).to.equal(c.server.resourceVersion);
    // kubectl pages through the current state one item at a time.
    const k = await c.kubectl(['get', 'configmaps', '--chunk-size=1']);
    expect(k.code, k.stderr).to.equal(0);
    expect(k.stdout.trim().split('\n')).to.have.length(1 + 5);
  });

  it('rejects bad tokens and continue with a resourceVersion; resourceVersion=0 ignores limit', async () => {
    const bad = await get(`${CMS}?limit=1&continue=not-a-token`);
    expect(bad.status).to.equal(400);
    expect(bad.body.message).to.match(/^invalid continue token: continue key is not valid/);
    const tok = (await get(`${CMS}?limit=1`)).body.metadata.continue;
    const withRv = await get(`${CMS}?limit=1&resourceVersion=5&continue=${encodeURIComponent(tok)}`);
    expect(withRv.status).to.equal(400);
    expect(withRv.body.message).to.equal('specifying resource version is not allowed when using continue');
    const rv0 = (await get(`${CMS}?limit=1&resourceVersion=0`)).body;
    expect(rv0.items.length).to.be.greaterThan(1);
    expect(rv0.metadata).not.to.have.property('continue');
  });
});
