// Server-side apply and managedFields over HTTP with a CRD's x-kubernetes-list-type / list-map-keys (map, set,
// atomic, nested) and its status subresource, plus the list-type validation the real server does (422
// Duplicate value).
import { expect } from 'chai';
import { request } from '../../support/raw-http.js';
import { startTestCluster, type TestCluster } from '../../support/test-cluster.js';

const str = { type: 'string' };
const keyedBy = (keys: string[], items: object) => ({
  type: 'array',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': keys,
  items,
});
const GIZMO_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gizmos.example.portico.dev' },
  spec: {
    group: 'example.portico.dev',
    scope: 'Namespaced',
    names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo', listKind: 'GizmoList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  routes: keyedBy(['name', 'port'], {
                    type: 'object',
                    required: ['name', 'port'],
                    properties: { name: str, port: { type: 'integer' }, weight: { type: 'integer' } },
                  }),
                  tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: str },
                  hosts: { type: 'array', items: str },
                  backends: keyedBy(['name'], {
                    type: 'object',
                    properties: {
                      name: str,
                      headers: keyedBy(['name'], { type: 'object', properties: { name: str, value: str } }),
                    },
                  }),
                },
              },
              status: {
                type: 'object',
                properties: {
                  conditions: keyedBy(['type'], { type: 'object', properties: { type: str, status: str } }),
                },
              },
            },
          },
        },
      },
    ],
  },
};
const GIZMOS = '/apis/example.portico.dev/v1/namespaces/default/gizmos';
const gizmo = (name: string, spec: object, status?: object) => ({
  apiVersion: 'example.portico.dev/v1',
  kind: 'Gizmo',
  metadata: { name },
  spec,
  ...(status ? { status } : {}),
});

describe('apiserver/patch: CRD list types and status subresource over HTTP', function () {
  this.timeout(20_000);
  let c: TestCluster;
  const apply = (path: string, manager: string, body: object, force = false) =>
    request(c.url, 'PATCH', `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`, body, {
      'Content-Type': 'application/apply-patch+yaml',
    });
  const get = async (name: string) => (await request(c.url, 'GET', `${GIZMOS}/${name}`)).body;
  const owned = (obj: any, manager: string, subresource?: string) =>
    obj.metadata.managedFields.find((e: any) => e.manager === manager && (e.subresource ?? undefined) === subresource)
      ?.fieldsV1;

  before(async () => {
    c = await startTestCluster({ crds: [GIZMO_CRD] });
  });
  after(() => c.stop());

  it('map list with two keys: each applier owns its items; dropping one removes only that item', async () => {
    expect(
      (await apply(`${GIZMOS}/g1`, 'alice', gizmo('g1', { routes: [{ name: 'a', port: 80, weight: 1 }] }))).status,
    ).to.equal(201);
    expect((await apply(`${GIZMOS}/g1`, 'bob', gizmo('g1', { routes: [{ name: 'b', port: 80 }] }))).status).to.equal(
      200,
    );
    let g = await get('g1');
    expect(g.spec.routes).to.deep.equal([
      { name: 'a', port: 80, weight: 1 },
      { name: 'b', port: 80 },
    ]);
    expect(owned(g, 'alice')['f:spec']['f:routes']).to.deep.equal({
      'k:{"name":"a","port":80}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:weight': {} },
    });
    expect(owned(g, 'bob')['f:spec']['f:routes']).to.have.all.keys('k:{"name":"b","port":80}');
    await apply(`${GIZMOS}/g1`, 'alice', gizmo('g1', { routes: [] }));
    g = await get('g1');
    expect(g.spec.routes).to.deep.equal([{ name: 'b', port: 80 }]);
  });

  it('set list: values are shared between appliers and stay while anyone applies them', async () => {
    await apply(`${GIZMOS}/g2`, 'alice', gizmo('g2', { tags: ['x', 'y'] }));
    await apply(`${GIZMOS}/g2`, 'bob', gizmo('g2', { tags: ['y', 'z'] }));
    let g = await get('g2');
    expect(g.spec.tags).to.deep.equal(['x', 'y', 'z']);
    expect(owned(g, 'bob')['f:spec']['f:tags']).to.have.all.keys('v:"y"', 'v:"z"');
    await apply(`${GIZMOS}/g2`, 'alice', gizmo('g2', {}));
    g = await get('g2');
    expect(g.spec.tags).to.deep.equal(['y', 'z']);
  });

  it('atomic list (no list type): another applier conflicts, force takes the whole list', async () => {
    await apply(`${GIZMOS}/g3`, 'alice', gizmo('g3', { hosts: ['h1'] }));
    const conflict = await apply(`${GIZMOS}/g3`, 'bob', gizmo('g3', { hosts: ['h2'] }));
    expect(conflict.status).to.equal(409);
    expect(conflict.body.message).to.equal('Apply failed with 1 conflict: conflict with "alice": .spec.hosts');
    expect((await apply(`${GIZMOS}/g3`, 'bob', gizmo('g3', { hosts: ['h2'] }), true)).status).to.equal(200);
    const g = await get('g3');
    expect(g.spec.hosts).to.deep.equal(['h2']);
    expect(owned(g, 'alice')).to.equal(undefined);
  });

  it('nested map lists merge inside a keyed item, and an Update records keyed paths', async () => {
    await apply(
      `${GIZMOS}/g4`,
      'alice',
      gizmo('g4', { backends: [{ name: 'b1', headers: [{ name: 'h1', value: '1' }] }] }),
    );
    await apply(
      `${GIZMOS}/g4`,
      'bob',
      gizmo('g4', { backends: [{ name: 'b1', headers: [{ name: 'h2', value: '2' }] }] }),
    );
    let g = await get('g4');
    expect(g.spec.backends).to.deep.equal([
      {
        name: 'b1',
        headers: [
          { name: 'h1', value: '1' },
          { name: 'h2', value: '2' },
        ],
      },
    ]);
    expect(owned(g, 'bob')['f:spec']['f:backends']['k:{"name":"b1"}']['f:headers']).to.have.all.keys('k:{"name":"h2"}');
    const patched = await request(
      c.url,
      'PATCH',
      `${GIZMOS}/g4?fieldManager=carol`,
      { spec: { routes: [{ name: 'c', port: 81 }] } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(patched.status).to.equal(200);
    g = await get('g4');
    expect(owned(g, 'carol')['f:spec']['f:routes']).to.have.all.keys('k:{"name":"c","port":81}');
  });

  it('status subresource: apply to the main resource ignores status; apply to /status owns only conditions by type', async () => {
    const main = await apply(
      `${GIZMOS}/g5`,
      'alice',
      gizmo('g5', { tags: ['t'] }, { conditions: [{ type: 'Ready', status: 'True' }] }),
    );
    expect(main.status).to.equal(201);
    expect(main.body).not.to.have.property('status');
    expect(owned(main.body, 'alice')).not.to.have.property('f:status');
    await apply(`${GIZMOS}/g5/status`, 'ctl-a', gizmo('g5', {}, { conditions: [{ type: 'Ready', status: 'True' }] }));
    await apply(
      `${GIZMOS}/g5/status`,
      'ctl-b',
      gizmo('g5', { tags: ['ignored'] }, { conditions: [{ type: 'Synced', status: 'False' }] }),
    );
    const g = await get('g5');
    expect(g.spec).to.deep.equal({ tags: ['t'] });
    expect(g.status.conditions).to.deep.equal([
      { type: 'Ready', status: 'True' },
      { type: 'Synced', status: 'False' },
    ]);
    expect(owned(g, 'ctl-b', 'status')).to.deep.equal({
      'f:status': { 'f:conditions': { 'k:{"type":"Synced"}': { '.': {}, 'f:status': {}, 'f:type': {} } } },
    });
    expect(g.metadata.managedFields.find((e: any) => e.manager === 'ctl-a')).to.include({
      operation: 'Apply',
      subresource: 'status',
    });
  });

  it('refuses duplicate map keys and set values with the real 422', async () => {
    const dupMap = await request(
      c.url,
      'POST',
      GIZMOS,
      gizmo('dup', {
        routes: [
          { name: 'a', port: 80 },
          { name: 'a', port: 81 },
          { name: 'a', port: 80, weight: 2 },
        ],
      }),
    );
    expect(dupMap.status).to.equal(422);
    expect(dupMap.body.message).to.equal(
      'Gizmo.example.portico.dev "dup" is invalid: spec.routes[2]: Duplicate value: {"name":"a","port":80}',
    );
    const dupSet = await request(c.url, 'POST', GIZMOS, gizmo('dup', { tags: ['x', 'y', 'x'] }));
    expect(dupSet.body.message).to.equal(
      'Gizmo.example.portico.dev "dup" is invalid: spec.tags[2]: Duplicate value: "x"',
    );
    expect(dupSet.body.details.causes).to.deep.equal([
      { reason: 'FieldValueDuplicate', message: 'Duplicate value: "x"', field: 'spec.tags[2]' },
    ]);
  });
});
