import { expect } from 'chai';
import {
  recordManagedUpdate,
  serverSideApply,
  managedFieldsFor,
  applyStrategicMergePatch,
  PatchError,
  type KubeObject,
} from '../../../operator/apiserver/patch/index.js';

const V = 'portico.dev/v1alpha1';
const T0 = '2025-03-01T10:00:00Z';
const T1 = '2025-03-01T10:05:00.5Z';

function mapping(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: V,
    kind: 'Mapping',
    metadata: { name: 'quote', namespace: 'default' },
    spec,
    ...(status ? { status } : {}),
  };
}

function withManaged(obj: KubeObject, from: KubeObject): KubeObject {
  return { ...obj, metadata: { ...(obj.metadata as object), managedFields: from.metadata?.managedFields } };
}

describe('apiserver/patch: managedFields after non-apply writes (recordManagedUpdate)', () => {
  it('create records an Update entry owning every field set (new maps marked with ".")', () => {
    const obj = recordManagedUpdate(
      undefined,
      { ...mapping({ prefix: '/a/' }), metadata: { name: 'quote', labels: { app: 'q' } } },
      'node-fetch',
      V,
      T0,
    );
    expect(obj.metadata?.managedFields).to.deep.equal([
      {
        manager: 'node-fetch',
        operation: 'Update',
        apiVersion: V,
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { '.': {}, 'f:prefix': {} } },
      },
    ]);
  });

  it('built-ins start from a zero struct: no "." on top-level spec', () => {
    const cm: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { replicas: 1 },
    };
    const obj = recordManagedUpdate(undefined, cm, 'kubectl-create', 'apps/v1', T0);
    expect(managedFieldsFor(obj, 'kubectl-create')[0].fieldsV1).to.deep.equal({ 'f:spec': { 'f:replicas': {} } });
  });

  it('an update takes the changed fields away from their previous owner', () => {
    const applied = serverSideApply({
      live: undefined,
      applied: mapping({ prefix: '/a/', service: 'q' }),
      manager: 'kubectl',
      force: false,
      apiVersion: V,
      now: T0,
    }).object;
    const next = recordManagedUpdate(
      applied,
      withManaged(mapping({ prefix: '/b/', service: 'q' }), applied),
      'operator',
      V,
      T1,
    );
    expect(managedFieldsFor(next, 'kubectl')[0].fieldsV1).to.deep.equal({ 'f:spec': { 'f:service': {} } });
    expect(managedFieldsFor(next, 'operator')[0]).to.deep.include({
      operation: 'Update',
      time: '2025-03-01T10:05:00Z',
      fieldsV1: { 'f:spec': { 'f:prefix': {} } },
    });
  });

  it('removed fields leave every manager, and a manager left with nothing is dropped', () => {
    const applied = serverSideApply({
      live: undefined,
      applied: mapping({ prefix: '/a/' }),
      manager: 'kubectl',
      force: false,
      apiVersion: V,
      now: T0,
    }).object;
    const next = recordManagedUpdate(applied, withManaged(mapping({ service: 'q' }), applied), 'editor', V, T1);
    expect(managedFieldsFor(next, 'kubectl')).to.deep.equal([]);
    expect(managedFieldsFor(next, 'editor')[0].fieldsV1).to.deep.equal({ 'f:spec': { 'f:service': {} } });
  });

  it('a later update by the same manager adds to its entry; a no-op write keeps its time', () => {
    let obj = recordManagedUpdate(undefined, mapping({ prefix: '/a/' }), 'op', V, T0);
    obj = recordManagedUpdate(obj, withManaged(mapping({ prefix: '/a/', host: 'h' }), obj), 'op', V, T1);
    const entries = managedFieldsFor(obj, 'op');
    expect(entries).to.have.length(1);
    expect(entries[0].fieldsV1).to.deep.equal({ 'f:spec': { '.': {}, 'f:host': {}, 'f:prefix': {} } });
    const same = recordManagedUpdate(
      obj,
      withManaged(mapping({ prefix: '/a/', host: 'h' }), obj),
      'op',
      V,
      '2030-01-01T00:00:00Z',
    );
    expect(managedFieldsFor(same, 'op')[0].time).to.equal('2025-03-01T10:05:00Z');
  });

  it('a write through /status records a separate entry with subresource: status', () => {
    let obj = recordManagedUpdate(undefined, mapping({ prefix: '/a/' }), 'kubectl-client-side-apply', V, T0);
    obj = recordManagedUpdate(
      obj,
      withManaged(mapping({ prefix: '/a/' }, { conditions: [{ type: 'Programmed', status: 'True' }] }), obj),
      'portico',
      V,
      T1,
      'status',
    );
    const entries = obj.metadata?.managedFields as Record<string, unknown>[];
    expect(entries.map((e) => [e.manager, e.operation, e.subresource])).to.deep.equal([
      ['kubectl-client-side-apply', 'Update', undefined],
      ['portico', 'Update', 'status'],
    ]);
    expect(entries[1].fieldsV1).to.deep.equal({ 'f:status': { '.': {}, 'f:conditions': {} } });
    // the same manager writing the main resource gets a different entry
    obj = recordManagedUpdate(
      obj,
      withManaged(mapping({ prefix: '/a/', host: 'h' }, { conditions: [{ type: 'Programmed', status: 'True' }] }), obj),
      'portico',
      V,
      T1,
    );
    expect(managedFieldsFor(obj, 'portico').map((e) => e.subresource ?? '')).to.have.members(['status', '']);
  });

  it('entries are ordered as the real server orders them: Apply first, then by time', () => {
    let obj = recordManagedUpdate(undefined, mapping({ prefix: '/a/' }), 'z-updater', V, T0);
    obj = serverSideApply({
      live: obj,
      applied: mapping({ service: 'q' }),
      manager: 'a-applier',
      force: false,
      apiVersion: V,
      now: T1,
    }).object;
    obj = recordManagedUpdate(
      obj,
      withManaged(
        {
          ...mapping({ prefix: '/a/', service: 'q' }),
          metadata: { name: 'quote', namespace: 'default', labels: { x: 'y' } },
        },
        obj,
      ),
      'b-updater',
      V,
      T1,
    );
    expect((obj.metadata?.managedFields as { manager: string }[]).map((e) => e.manager)).to.deep.equal([
      'a-applier',
      'z-updater',
      'b-updater',
    ]);
  });

  for (const reset of [[{}], []]) {
    it(`a client sending managedFields: ${JSON.stringify(reset)} resets them, even with a change`, () => {
      const obj = recordManagedUpdate(undefined, mapping({ prefix: '/a/' }), 'op', V, T0);
      const sent = {
        ...mapping({ prefix: '/b/' }),
        metadata: { name: 'quote', namespace: 'default', managedFields: reset },
      };
      expect(recordManagedUpdate(obj, sent as KubeObject, 'op', V, T1).metadata).to.not.have.property('managedFields');
    });
  }

  it('a client that leaves managedFields out keeps the stored ones', () => {
    const obj = recordManagedUpdate(undefined, mapping({ prefix: '/a/' }), 'op', V, T0);
    const next = recordManagedUpdate(obj, mapping({ prefix: '/a/', host: 'h' }), 'other', V, T1);
    expect((next.metadata?.managedFields as { manager: string }[]).map((e) => e.manager)).to.deep.equal([
      'op',
      'other',
    ]);
  });

  it('Deployment: client-side apply, an SMP update, then server-side apply conflicts on the keyed container field', () => {
    const manifest = (image: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'envoy', namespace: 'portico-system' },
      spec: {
        replicas: 1,
        template: {
          spec: {
            containers: [
              { name: 'envoy', image },
              { name: 'agent', image: 'agent:1' },
            ],
          },
        },
      },
    });
    let live = recordManagedUpdate(undefined, manifest('envoy:1'), 'kubectl-client-side-apply', 'apps/v1', T0);
    // the SMP kubectl sends for a changed image; the patched body (as client-node sends typed bodies) lacks kind
    const patched = applyStrategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'envoy' }, { name: 'agent' }],
              containers: [{ name: 'envoy', image: 'envoy:2' }],
            },
          },
        },
      },
      'Deployment',
    ) as KubeObject;
    delete patched.kind;
    live = { ...recordManagedUpdate(live, patched, 'kubectl-client-side-apply', 'apps/v1', T1), kind: 'Deployment' };
    expect(managedFieldsFor(live, 'kubectl-client-side-apply')[0].fieldsV1).to.deep.equal({
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"agent"}': { '.': {}, 'f:image': {}, 'f:name': {} },
              'k:{"name":"envoy"}': { '.': {}, 'f:image': {}, 'f:name': {} },
            },
          },
        },
      },
    });
    let err: PatchError | undefined;
    try {
      serverSideApply({
        live,
        applied: manifest('envoy:3'),
        manager: 'kubectl',
        force: false,
        apiVersion: 'apps/v1',
        now: T1,
      });
    } catch (e) {
      err = e as PatchError;
    }
    expect(err?.message).to.equal(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1 at 2025-03-01T10:05:00Z: .spec.template.spec.containers[name="envoy"].image',
    );
  });
});
