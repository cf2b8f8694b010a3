// managedFields on every built-in write path, as the real field manager records them: a creator owns what it
// sent plus decoding defaults; nobody owns what the strategy adds (Namespace spec.finalizers, Service
// clusterIP) or reset fields (status on the main resource); CRD status belongs to kube-apiserver via /status.
import { expect } from 'chai';
import { join } from 'node:path';
import { request } from '../support/raw-http.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';

const APPLY = { 'Content-Type': 'application/apply-patch+yaml' };
const WIDGET_CRD = join(import.meta.dirname, 'fixtures', 'widgets-crd.yaml');

// Minimal objects of each built-in kind: path of the collection, body, and one field its writer must own.
const KINDS: Array<{ kind: string; path: string; body: (name: string) => object; owned: string }> = [
  {
    kind: 'ConfigMap',
    path: '/api/v1/namespaces/default/configmaps',
    body: (n) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n }, data: { a: '1' } }),
    owned: 'f:data',
  },
  {
    kind: 'Secret',
    path: '/api/v1/namespaces/default/secrets',
    body: (n) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: n }, data: { a: 'MQ==' } }),
    owned: 'f:data',
  },
  {
    kind: 'Service',
    path: '/api/v1/namespaces/default/services',
    body: (n) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: n },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    }),
    owned: 'f:spec',
  },
  {
    kind: 'Endpoints',
    path: '/api/v1/namespaces/default/endpoints',
    body: (n) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: n, labels: { a: 'b' } } }),
    owned: 'f:metadata',
  },
  {
    kind: 'ServiceAccount',
    path: '/api/v1/namespaces/default/serviceaccounts',
    body: (n) => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: n },
      automountServiceAccountToken: false,
    }),
    owned: 'f:automountServiceAccountToken',
  },
  {
    kind: 'Event',
    path: '/api/v1/namespaces/default/events',
    body: (n) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: n },
      involvedObject: { name: 'x' },
      reason: 'R',
    }),
    owned: 'f:reason',
  },
  {
    kind: 'Deployment',
    path: '/apis/apps/v1/namespaces/default/deployments',
    body: (n) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: n },
      spec: {
        selector: { matchLabels: { a: n } },
        template: { metadata: { labels: { a: n } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } },
      },
    }),
    owned: 'f:spec',
  },
  {
    kind: 'Lease',
    path: '/apis/coordination.k8s.io/v1/namespaces/default/leases',
    body: (n) => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: n },
      spec: { holderIdentity: 'me' },
    }),
    owned: 'f:spec',
  },
  {
    kind: 'EndpointSlice',
    path: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    body: (n) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: n },
      addressType: 'IPv4',
      endpoints: [],
    }),
    owned: 'f:addressType',
  },
  {
    kind: 'Role',
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
    body: (n) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: n }, rules: [] }),
    owned: 'f:rules',
  },
  {
    kind: 'ClusterRole',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    body: (n) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: n },
      rules: [],
    }),
    owned: 'f:rules',
  },
  {
    kind: 'Namespace',
    path: '/api/v1/namespaces',
    body: (n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: { team: 'a' } } }),
    owned: 'f:metadata',
  },
];

describe('apiserver: managedFields on built-in writes', function () {
  this.timeout(20_000);
  let c: TestCluster;
  const req = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(c.url, method, path, body, headers);
  const managed = async (path: string) => (await req('GET', path)).body.metadata.managedFields as any[] | undefined;

  before(async () => {
    c = await startTestCluster({ crds: true });
  });
  after(() => c.stop());

  for (const k of KINDS) {
    it(`${k.kind}: create, update, merge patch and server-side apply each record their manager`, async () => {
      const name = `mf-${k.kind.toLowerCase()}`;
      const item = `${k.path}/${name}`;
      expect((await req('POST', `${k.path}?fieldManager=creator`, k.body(name))).status).to.equal(201);
      let mf = await managed(item);
      expect(mf?.map((e) => [e.manager, e.operation])).to.deep.equal([['creator', 'Update']]);
      expect(mf![0].fieldsV1).to.have.property(k.owned);

      const live = (await req('GET', item)).body;
      live.metadata.annotations = { 'updated-by': 'putter' };
      expect((await req('PUT', `${item}?fieldManager=putter`, live)).status).to.equal(200);
      await req(
        'PATCH',
        `${item}?fieldManager=patcher`,
        { metadata: { labels: { patched: 'yes' } } },
        { 'Content-Type': 'application/merge-patch+json' },
      );
      const applied = { ...k.body(name), metadata: { name, annotations: { applied: 'yes' } } };
      expect((await req('PATCH', `${item}?fieldManager=applier`, applied, APPLY)).status).to.equal(200);

      mf = await managed(item);
      const by = Object.fromEntries(mf!.map((e) => [e.manager, e]));
      expect(by.putter.fieldsV1['f:metadata']['f:annotations']).to.have.property('f:updated-by');
      expect(by.patcher.fieldsV1['f:metadata']['f:labels']).to.have.property('f:patched');
      expect(by.applier).to.include({ operation: 'Apply' });
      expect(by.applier.fieldsV1['f:metadata']['f:annotations']).to.have.property('f:applied');
      for (const e of mf!) expect(e.fieldsV1, `${e.manager} owns no status`).not.to.have.property('f:status');

      // Created by server-side apply from scratch.
      const ssaName = `${name}-ssa`;
      expect(
        (await req('PATCH', `${k.path}/${ssaName}?fieldManager=ssa-creator`, k.body(ssaName), APPLY)).status,
      ).to.equal(201);
      const created = await managed(`${k.path}/${ssaName}`);
      expect(created?.map((e) => [e.manager, e.operation])).to.deep.equal([['ssa-creator', 'Apply']]);
      expect(created![0].fieldsV1).to.have.property(k.owned);
    });
  }

  it('Namespace: the creator owns the defaulted name label; spec.finalizers and status belong to nobody', async () => {
    await req('POST', '/api/v1/namespaces?fieldManager=kubectl-create', { metadata: { name: 'ns-created' } });
    const ns = (await req('GET', '/api/v1/namespaces/ns-created')).body;
    expect(ns.spec).to.deep.equal({ finalizers: ['kubernetes'] });
    expect(ns.status).to.deep.equal({ phase: 'Active' });
    expect(ns.metadata.managedFields).to.deep.equal([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: ns.metadata.managedFields[0].time,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:kubernetes.io/metadata.name': {} } } },
      },
    ]);
  });

  it('Namespace by kubectl apply --server-side: the applier owns its labels, not the defaulted ones', async () => {
    const r = await c.kubectl(['apply', '--server-side', '-f', '-'], {
      stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-ssa\n  labels:\n    team: a\n',
    });
    expect(r.code, r.stderr).to.equal(0);
    const mf = await managed('/api/v1/namespaces/ns-ssa');
    expect(mf?.map((e) => [e.manager, e.operation, e.fieldsV1])).to.deep.equal([
      ['kubectl', 'Apply', { 'f:metadata': { 'f:labels': { 'f:team': {} } } }],
    ]);
    // A bare name leaves the applier nothing once identity fields are stripped, and the real field manager
    // (apimachinery managedfields/internal/stripmeta.go) then drops the entry: no managedFields at all.
    expect(
      (
        await c.kubectl(['apply', '--server-side', '-f', '-'], {
          stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-bare\n',
        })
      ).code,
    ).to.equal(0);
    expect(await managed('/api/v1/namespaces/ns-bare')).to.equal(undefined);
  });

  it('Service: clusterIP allocation is owned by nobody and survives an update that omits it', async () => {
    await req('POST', '/api/v1/namespaces/default/services?fieldManager=creator', {
      metadata: { name: 'svc-ip' },
      spec: { ports: [{ port: 80 }] },
    });
    const svc = (await req('GET', '/api/v1/namespaces/default/services/svc-ip')).body;
    const spec = svc.metadata.managedFields[0].fieldsV1['f:spec'];
    expect(Object.keys(spec).sort()).to.deep.equal([
      'f:internalTrafficPolicy',
      'f:ports',
      'f:sessionAffinity',
      'f:type',
    ]);
    const ip = svc.spec.clusterIP;
    expect(ip).to.match(/^10\.96\./);
    const put = await req('PUT', '/api/v1/namespaces/default/services/svc-ip', {
      metadata: { name: 'svc-ip' },
      spec: { ports: [{ port: 81 }] },
    });
    expect(put.body.spec.clusterIP).to.equal(ip);
    expect(put.body.status).to.deep.equal({ loadBalancer: {} });
  });

  it('CRD applied by kubectl: spec owned by kubectl, status by kube-apiserver through /status', async () => {
    expect((await c.kubectl(['apply', '-f', WIDGET_CRD])).code).to.equal(0);
    const mf = await managed('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.portico.dev');
    // Same second: the real server orders equal times by manager name.
    expect(mf?.map((e) => [e.manager, e.operation, e.subresource ?? ''])).to.deep.equal([
      ['kube-apiserver', 'Update', 'status'],
      ['kubectl-client-side-apply', 'Update', ''],
    ]);
    expect(mf![1].fieldsV1).to.have.property('f:spec').and.not.to.have.property('f:status');
    expect(mf![0].fieldsV1['f:status']).to.have.all.keys('f:acceptedNames', 'f:conditions');
    // Unchanged re-apply writes nothing.
    const again = await c.kubectl(['apply', '-f', WIDGET_CRD]);
    expect(again.stdout).to.contain('unchanged');
  });
});
