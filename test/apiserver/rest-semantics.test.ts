// REST semantics over raw HTTP, asserting the exact bodies a real kube-apiserver writes: errors, optimistic
// concurrency, PUT-without-resourceVersion rules, generation, /status, no-op writes, finalizers, GC, dry-run,
// patch types and their options, ConfigMap/Secret rules, discovery and tables.
import { expect } from 'chai';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '../support/raw-http.js';
import { eventually, startTestCluster, type TestCluster } from '../support/test-cluster.js';

const WIDGET_CRD = yaml.load(readFileSync(join(import.meta.dirname, 'fixtures', 'widgets-crd.yaml'), 'utf8')) as object;
const WIDGETS = '/apis/example.portico.dev/v1/namespaces/default/widgets';
const CMS = '/api/v1/namespaces/default/configmaps';
const widget = (name: string, spec: object = { prefix: `/${name}/` }) => ({
  apiVersion: 'example.portico.dev/v1',
  kind: 'Widget',
  metadata: { name },
  spec,
});

describe('apiserver: REST semantics', function () {
  this.timeout(20_000);
  let c: TestCluster;
  const req = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(c.url, method, path, body, headers);

  before(async () => {
    c = await startTestCluster({ crds: [WIDGET_CRD] });
  });
  after(() => c.stop());

  it('serves /version (minor 32) and aggregated discovery with its content type', async () => {
    expect((await req('GET', '/version')).body).to.include({ major: '1', minor: '32' });
    const agg = await req('GET', '/apis', undefined, {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(agg.headers.get('content-type')).to.equal(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const group = agg.body.items.find((g: any) => g.metadata.name === 'example.portico.dev');
    expect(group.versions[0].resources[0]).to.include({
      resource: 'widgets',
      scope: 'Namespaced',
      singularResource: 'widget',
    });
    const legacy = await req('GET', '/apis/example.portico.dev/v1');
    expect(legacy.body.resources.map((r: any) => r.name)).to.deep.equal(['widgets', 'widgets/status']);
  });

  it('writes NotFound and AlreadyExists bodies exactly as the real server', async () => {
    expect((await req('GET', `${WIDGETS}/nope`)).body).to.deep.equal({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'widgets.example.portico.dev "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'example.portico.dev', kind: 'widgets' },
      code: 404,
    });
    expect((await req('GET', `${CMS}/nope`)).body.message).to.equal('configmaps "nope" not found');
    expect((await req('POST', WIDGETS, widget('dup'))).status).to.equal(201);
    const dup = await req('POST', WIDGETS, widget('dup'));
    expect(dup.status).to.equal(409);
    expect(dup.body).to.include({
      reason: 'AlreadyExists',
      message: 'widgets.example.portico.dev "dup" already exists',
    });
    const noNs = await req('POST', '/api/v1/namespaces/ghost/configmaps', { metadata: { name: 'x' } });
    expect(noNs.status).to.equal(404);
    expect(noNs.body.message).to.equal('namespaces "ghost" not found');
    const noKind = await req('POST', WIDGETS, { metadata: { name: 'k' }, spec: { prefix: '/' } });
    expect(noKind.status).to.equal(400);
    expect(noKind.body.message).to.match(/^Object 'Kind' is missing in/);
  });

  it('PUT: custom resources need a resourceVersion, ConfigMaps do not, a Lease is created, stale is 409', async () => {
    const w = (await req('PUT', `${WIDGETS}/dup`, widget('dup', { prefix: '/x/' }))).body;
    expect(w).to.include({
      code: 422,
      reason: 'Invalid',
      message:
        'Widget.example.portico.dev "dup" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    });
    await req('POST', CMS, { metadata: { name: 'uncond' }, data: { a: '1' } });
    expect((await req('PUT', `${CMS}/uncond`, { metadata: { name: 'uncond' }, data: { a: '2' } })).status).to.equal(
      200,
    );
    const lease = await req('PUT', '/apis/coordination.k8s.io/v1/namespaces/default/leases/l1', {
      metadata: { name: 'l1' },
      spec: { leaseDurationSeconds: 10 },
    });
    expect(lease.status).to.equal(201);
    const zero = await req('PUT', '/apis/coordination.k8s.io/v1/namespaces/default/leases/l1', {
      metadata: { name: 'l1', resourceVersion: lease.body.metadata.resourceVersion },
      spec: { leaseDurationSeconds: 0 },
    });
    expect(zero.body.message).to.equal(
      'Lease.coordination.k8s.io "l1" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    );
    expect((await req('PUT', `${CMS}/missing`, { metadata: { name: 'missing' } })).status).to.equal(404);
  });

  it('bumps generation only on spec changes; /status writes only status; no-op writes keep the resourceVersion', async () => {
    const created = (await req('POST', WIDGETS, { ...widget('gen'), status: { observedGeneration: 9 } })).body;
    expect(created.metadata.generation).to.equal(1);
    expect(created).to.not.have.property('status');
    expect(created.spec.rewrite).to.equal('/'); // defaulted
    const labelled = (
      await req('PUT', `${WIDGETS}/gen`, { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } })
    ).body;
    expect(labelled.metadata.generation).to.equal(1);
    const status = (
      await req('PUT', `${WIDGETS}/gen/status`, {
        ...labelled,
        spec: { prefix: '/ignored/' },
        status: { observedGeneration: 1 },
      })
    ).body;
    expect(status.metadata.generation).to.equal(1);
    expect(status.spec.prefix).to.equal('/gen/');
    expect(status.status).to.deep.equal({ observedGeneration: 1 });
    const spec = (
      await req('PUT', `${WIDGETS}/gen`, { ...status, spec: { prefix: '/gen2/' }, status: { observedGeneration: 5 } })
    ).body;
    expect(spec.metadata.generation).to.equal(2);
    expect(spec.status).to.deep.equal({ observedGeneration: 1 });
    const noop = (await req('PUT', `${WIDGETS}/gen`, spec)).body;
    expect(noop.metadata.resourceVersion).to.equal(spec.metadata.resourceVersion);
  });

  it('validates custom resources: types, enum, minimum, int-or-string, pruning with fieldValidation', async () => {
    const bad = await req('POST', WIDGETS, widget('bad', { prefix: 7, mode: 'slow', replicas: -1, port: true }));
    expect(bad.status).to.equal(422);
    const fields = bad.body.details.causes.map((x: any) => `${x.field}|${x.reason}`).sort();
    expect(fields).to.deep.equal([
      'spec.mode|FieldValueNotSupported',
      'spec.port|FieldValueTypeInvalid',
      'spec.prefix|FieldValueTypeInvalid',
      'spec.replicas|FieldValueInvalid',
    ]);
    expect(bad.body.message).to.contain('spec.mode: Unsupported value: "slow": supported values: "fast", "safe"');
    expect(bad.body.message).to.contain(
      'spec.prefix: Invalid value: "integer": spec.prefix in body must be of type string: "integer"',
    );
    const ok = await req(
      'POST',
      WIDGETS,
      widget('ios', { prefix: '/', port: 'http', extra: { anything: 1 }, junk: 1 }),
    );
    expect(ok.status).to.equal(201);
    expect(ok.headers.get('warning')).to.equal('299 - "unknown field \\"spec.junk\\""');
    expect(ok.body.spec).to.deep.equal({ prefix: '/', port: 'http', extra: { anything: 1 }, rewrite: '/' });
    const strict = await req('POST', `${WIDGETS}?fieldValidation=Strict`, widget('strict', { prefix: '/', junk: 1 }));
    expect(strict.status).to.equal(400);
    expect(strict.body.message).to.equal(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.junk"',
    );
    const ignore = await req('POST', `${WIDGETS}?fieldValidation=Ignore`, widget('ignore', { prefix: '/', junk: 1 }));
    expect(ignore.status).to.equal(201);
    expect(ignore.headers.get('warning')).to.equal(null);
  });

  it('patches: merge, JSON patch, SMP refused for custom resources, PatchOptions rules', async () => {
    const merge = await req(
      'PATCH',
      `${WIDGETS}/gen`,
      { spec: { mode: 'fast' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(merge.body.spec.mode).to.equal('fast');
    const json = await req('PATCH', `${WIDGETS}/gen`, [{ op: 'replace', path: '/spec/mode', value: 'safe' }], {
      'Content-Type': 'application/json-patch+json',
    });
    expect(json.body.spec.mode).to.equal('safe');
    const smp = await req(
      'PATCH',
      `${WIDGETS}/gen`,
      { spec: {} },
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    expect(smp.status).to.equal(415);
    expect(smp.body.message).to.equal(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    const force = await req(
      'PATCH',
      `${WIDGETS}/gen?force=true`,
      { spec: {} },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(force.body).to.include({
      code: 422,
      message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    });
    const noManager = await req('PATCH', `${WIDGETS}/gen`, widget('gen'), {
      'Content-Type': 'application/apply-patch+yaml',
    });
    expect(noManager.body).to.include({
      code: 422,
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    });
    const yamlApply = await req(
      'PATCH',
      `${WIDGETS}/fromyaml?fieldManager=me`,
      'apiVersion: example.portico.dev/v1\nkind: Widget\nmetadata: {name: fromyaml}\nspec: {prefix: /y/}\n',
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    expect(yamlApply.status).to.equal(201);
    const stale = await req(
      'PATCH',
      `${WIDGETS}/gen`,
      { metadata: { resourceVersion: '1' }, spec: { mode: 'fast' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(stale.status).to.equal(409);
    expect(
      (await req('PATCH', `${WIDGETS}/absent`, { spec: {} }, { 'Content-Type': 'application/merge-patch+json' }))
        .status,
    ).to.equal(404);
  });

  it('dryRun=All validates and answers without storing', async () => {
    const r = await req('POST', `${CMS}?dryRun=All`, { metadata: { name: 'dry' }, data: { a: '1' } });
    expect(r.status).to.equal(201);
    expect(r.body.metadata.uid).to.be.a('string');
    expect((await req('GET', `${CMS}/dry`)).status).to.equal(404);
  });

  it('finalizers: DELETE marks, no new finalizers while deleting, removing the last one deletes', async () => {
    const w = (await req('POST', WIDGETS, { ...widget('fin'), metadata: { name: 'fin', finalizers: ['a/b'] } })).body;
    const del = await req('DELETE', `${WIDGETS}/fin`, { propagationPolicy: 'Background' });
    expect(del.status).to.equal(200);
    expect(del.body.metadata.deletionTimestamp).to.be.a('string');
    expect(del.body.metadata.generation).to.equal(2);
    const more = await req(
      'PATCH',
      `${WIDGETS}/fin`,
      { metadata: { finalizers: ['a/b', 'c/d'] } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(more.status).to.equal(422);
    expect(more.body.message).to.contain(
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"c/d"}',
    );
    const done = await req(
      'PATCH',
      `${WIDGETS}/fin`,
      { metadata: { finalizers: null } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(done.status).to.equal(200);
    expect((await req('GET', `${WIDGETS}/fin`)).status).to.equal(404);
    expect(w.metadata.uid).to.equal(del.body.metadata.uid);
  });

  it('deleting an owner garbage-collects its dependents; built-in DELETE answers a Success Status', async () => {
    const owner = (await req('POST', CMS, { metadata: { name: 'owner' } })).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid };
    await req('POST', CMS, { metadata: { name: 'dependent', ownerReferences: [ref] } });
    await req('POST', WIDGETS, { ...widget('dependent-w'), metadata: { name: 'dependent-w', ownerReferences: [ref] } });
    const del = await req('DELETE', `${CMS}/owner`);
    expect(del.body).to.deep.equal({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'owner', kind: 'configmaps', uid: owner.metadata.uid },
      code: 200,
    });
    await eventually(
      'dependents gone',
      async () =>
        (await req('GET', `${CMS}/dependent`)).status === 404 &&
        (await req('GET', `${WIDGETS}/dependent-w`)).status === 404,
    );
  });

  it('enforces ConfigMap/Secret rules: key names, 1 MiB, immutable; Secret stringData becomes data', async () => {
    const key = await req('POST', CMS, { metadata: { name: 'badkey' }, data: { 'no spaces': 'x' } });
    expect(key.status).to.equal(422);
    expect(key.body.details.causes[0].field).to.equal('data[no spaces]');
    const big = await req('POST', CMS, { metadata: { name: 'big' }, data: { a: 'x'.repeat(1024 * 1024 + 1) } });
    expect(big.status).to.equal(422);
    expect(big.body.message).to.contain('Too long: must have at most 1048576 bytes');
    const frozen = (await req('POST', CMS, { metadata: { name: 'frozen' }, data: { a: '1' }, immutable: true })).body;
    const change = await req('PUT', `${CMS}/frozen`, { ...frozen, data: { a: '2' } });
    expect(change.status).to.equal(422);
    expect(change.body.message).to.contain('data: Forbidden: field is immutable when `immutable` is set');
    const secret = (
      await req('POST', '/api/v1/namespaces/default/secrets', {
        metadata: { name: 's' },
        stringData: { user: 'admin' },
      })
    ).body;
    expect(secret.data).to.deep.equal({ user: Buffer.from('admin').toString('base64') });
    expect(secret).to.not.have.property('stringData');
    expect(secret.type).to.equal('Opaque');
  });

  it('lists with label and field selectors; bad selectors are 400', async () => {
    await req('POST', CMS, { metadata: { name: 'sel-a', labels: { tier: 'web', env: 'prod' } } });
    await req('POST', CMS, { metadata: { name: 'sel-b', labels: { tier: 'db' } } });
    const names = async (q: string) =>
      (await req('GET', `${CMS}?${q}`)).body.items
        .map((o: any) => o.metadata.name)
        .filter((n: string) => n.startsWith('sel-'));
    expect(await names('labelSelector=tier%3Dweb')).to.deep.equal(['sel-a']);
    expect(await names('labelSelector=tier%20in%20(web,db),!env')).to.deep.equal(['sel-b']);
    expect(await names('fieldSelector=metadata.name%3Dsel-b')).to.deep.equal(['sel-b']);
    expect(await names('fieldSelector=metadata.name!%3Dsel-b&labelSelector=tier')).to.deep.equal(['sel-a']);
    const list = await req('GET', CMS);
    expect(list.body).to.include({ kind: 'ConfigMapList', apiVersion: 'v1' });
    expect(list.body.items[0]).to.not.have.property('kind');
    const badField = await req('GET', `${WIDGETS}?fieldSelector=spec.prefix%3D%2F`);
    expect(badField.body).to.include({ code: 400, message: 'field label not supported: spec.prefix' });
  });

  it('answers Table requests for built-ins with NAME, columns and AGE', async () => {
    const t = await req('GET', CMS, undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(t.headers.get('content-type')).to.equal('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(t.body.columnDefinitions.map((d: any) => d.name)).to.deep.equal(['Name', 'Data', 'Age']);
    const row = t.body.rows.find((r: any) => r.cells[0] === 'sel-a');
    expect(row.cells[1]).to.equal(0);
    expect(row.cells[2]).to.match(/^\d+s$/);
    expect(row.object.kind).to.equal('PartialObjectMetadata');
  });
});
