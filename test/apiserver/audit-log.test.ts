// The audit log (server.audit): every request with its Kubernetes verb, group, resource, subresource,
// namespace, name, user agent, fieldManager, code and resulting resourceVersion; µs times; in-flight watches;
// injected faults; bounded ring buffer; writes() and clear().
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { requestInfo } from '../../operator/apiserver/endpoints/request-info.js';
import { startApiServer } from '../../operator/apiserver/index.js';
import { request, watch } from '../support/raw-http.js';
import { eventually, startTestCluster, type TestCluster } from '../support/test-cluster.js';

const MAPPING = `apiVersion: portico.dev/v1alpha1
kind: Mapping
metadata:
  name: audited
  namespace: default
spec:
  prefix: /audited/
  service: usersvc
`;

describe('apiserver: audit log', function () {
  this.timeout(20_000);
  let c: TestCluster;

  before(async () => {
    c = await startTestCluster({ crds: true });
  });
  after(() => c.stop());
  beforeEach(() => c.server.audit.clear());

  it('records kubectl apply/get/delete with verb, group, resource, name, user agent, fieldManager, code and resourceVersion', async () => {
    expect((await c.kubectl(['apply', '-f', '-'], { stdin: MAPPING })).code).to.equal(0);
    const rv = (await c.kubectl(['get', 'mapping', 'audited', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;
    expect((await c.kubectl(['delete', 'mapping', 'audited'])).code).to.equal(0);

    const onMappings = c.server.audit.entries((e) => e.resource === 'mappings');
    const create = onMappings.find((e) => e.verb === 'create')!;
    expect(create).to.include({
      isResourceRequest: true,
      apiGroup: 'portico.dev',
      apiVersion: 'v1alpha1',
      resource: 'mappings',
      subresource: '',
      namespace: 'default',
      name: '',
      fieldManager: 'kubectl-client-side-apply',
      code: 201,
      resourceVersion: rv,
      user: 'system:anonymous',
    });
    expect(create.userAgent).to.match(/^kubectl\/v1\.32\.\d+ /);
    const verbs = onMappings.map((e) => `${e.verb} ${e.name} ${e.code}`);
    expect(verbs).to.include.members(['get audited 404', 'create  201', 'get audited 200', 'delete audited 200']);
    const del = onMappings.find((e) => e.verb === 'delete')!;
    expect(Number(del.resourceVersion)).to.be.greaterThan(Number(rv));
    expect(c.server.audit.entries((e) => !e.isResourceRequest).map((e) => e.path)).to.include.members([
      '/version',
      '/openapi/v3',
    ]);

    const writes = c.server.audit.writes();
    expect(writes.map((e) => e.verb)).to.deep.equal(['create', 'delete']);
    for (const e of c.server.audit.entries()) {
      expect(e.time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(e.completedMicros).to.be.at.least(e.receivedMicros);
    }
    const times = c.server.audit.entries().map((e) => e.receivedMicros);
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
  });

  it('names client-node patches, status updates, list, watch and deletecollection as Kubernetes does', async () => {
    const core = c.kubeConfig.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'a1', labels: { audit: 'x' } } },
    });
    await core.patchNamespacedConfigMap({
      namespace: 'default',
      name: 'a1',
      body: [{ op: 'add', path: '/data', value: { k: 'v' } }],
      fieldManager: 'my-manager',
    });
    await core.listNamespacedConfigMap({ namespace: 'default' });
    await core.replaceNamespaceStatus({ name: 'default', body: await core.readNamespace({ name: 'default' }) });
    const w = await watch(c.url, '/api/v1/namespaces/default/configmaps?watch=1');
    const inFlight = c.server.audit.entries((e) => e.verb === 'watch');
    expect(inFlight).to.have.length(1);
    expect(inFlight[0].completedMicros).to.equal(undefined);
    w.close();
    await core.deleteCollectionNamespacedConfigMap({ namespace: 'default', labelSelector: 'audit=x' });

    const e = c.server.audit.entries();
    const patch = e.find((x) => x.verb === 'patch')!;
    expect(patch).to.include({ resource: 'configmaps', name: 'a1', fieldManager: 'my-manager', code: 200 });
    expect(patch.userAgent).to.match(/^node-fetch/);
    expect(patch.resourceVersion).to.match(/^\d+$/);
    expect(e.find((x) => x.verb === 'list' && x.resource === 'configmaps')).to.include({
      namespace: 'default',
      code: 200,
    });
    expect(e.find((x) => x.verb === 'update')).to.include({
      resource: 'namespaces',
      name: 'default',
      namespace: 'default',
      subresource: 'status',
      code: 200,
    });
    expect(e.find((x) => x.verb === 'deletecollection')).to.include({
      resource: 'configmaps',
      namespace: 'default',
      code: 200,
    });
    await eventually(
      'the closed watch to complete',
      () => c.server.audit.entries((x) => x.verb === 'watch')[0].completedMicros !== undefined,
    );
    expect(c.server.audit.entries((x) => x.verb === 'watch')[0].code).to.equal(200);
  });

  it('records refused writes and injected faults with their codes', async () => {
    c.server.faults.failNext(1, { status: 500, method: 'POST' });
    const failed = await request(c.url, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'f1' } });
    expect(failed.status).to.equal(500);
    const created = await request(c.url, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'a1x' },
    });
    const exists = await request(c.url, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'a1x' } });
    expect([created.status, exists.status]).to.deep.equal([201, 409]);
    const writes = c.server.audit.writes();
    expect(writes.map((w) => [w.code, w.injectedFault ?? false])).to.deep.equal([
      [500, true],
      [201, false],
      [409, false],
    ]);
    expect(writes[2].resourceVersion).to.equal(undefined);
  });

  it('tells clients apart by bearer token without recording the token', async () => {
    const secret = 'very-secret-token-value';
    await request(c.url, 'GET', '/api/v1/namespaces', undefined, { Authorization: `Bearer ${secret}` });
    await request(c.url, 'GET', '/api/v1/namespaces', undefined, { Authorization: 'Bearer another' });
    const users = c.server.audit.entries().map((e) => e.user);
    expect(users[0]).to.match(/^token-sha256:[0-9a-f]{12}$/);
    expect(users[1])
      .to.match(/^token-sha256:/)
      .and.not.equal(users[0]);
    expect(JSON.stringify(c.server.audit.entries())).not.to.contain(secret);
  });

  it('is bounded: a ring buffer keeps the newest entries', async () => {
    const server = await startApiServer({ auditLimit: 5 });
    try {
      for (let i = 0; i < 8; i++) await request(server.url, 'GET', `/api/v1/namespaces/ns${i}`);
      expect(server.audit.size).to.equal(5);
      expect(server.audit.entries().map((e) => e.name)).to.deep.equal(['ns3', 'ns4', 'ns5', 'ns6', 'ns7']);
      server.audit.clear();
      expect(server.audit.entries()).to.deep.equal([]);
    } finally {
      await server.close();
    }
  });

  it('parses request paths as the real RequestInfoFactory', () => {
    const r = (m: string, u: string) => {
      const i = requestInfo(m, u);
      return [i.verb, i.apiGroup, i.resource, i.subresource, i.namespace, i.name].join('|');
    };
    expect(r('GET', '/api/v1/namespaces/ns1')).to.equal('get||namespaces||ns1|ns1');
    expect(r('PUT', '/api/v1/namespaces/ns1/finalize')).to.equal('update||namespaces|finalize|ns1|ns1');
    expect(r('GET', '/apis/apps/v1/deployments?watch=true')).to.equal('watch|apps|deployments|||');
    expect(r('PATCH', '/apis/portico.dev/v1alpha1/namespaces/d/mappings/m/status')).to.equal(
      'patch|portico.dev|mappings|status|d|m',
    );
    expect(r('DELETE', '/api/v1/namespaces/d/secrets')).to.equal('deletecollection||secrets||d|');
    expect(requestInfo('GET', '/openapi/v3')).to.include({
      isResourceRequest: false,
      verb: 'get',
      path: '/openapi/v3',
    });
  });
});
