import { expect } from 'chai';
import {
  serverSideApply,
  recordManagedUpdate,
  managedFieldsFor,
  PatchError,
  type KubeObject,
  type ApplyRequest,
} from '../../../operator/apiserver/patch/index.js';

const V = 'portico.dev/v1alpha1';
const T0 = '2025-03-01T10:00:00.250Z';
const T1 = '2025-03-01T10:05:00.999Z';
const T2 = '2025-03-01T10:09:30Z';

function mapping(spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: V,
    kind: 'Mapping',
    metadata: { name: 'quote', namespace: 'default', ...(labels ? { labels } : {}) },
    spec,
  };
}

function apply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  extra: Partial<ApplyRequest> = {},
): KubeObject {
  return serverSideApply({ live, applied, manager, force: false, apiVersion: V, now: T0, ...extra }).object;
}

function conflictOf(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(PatchError);
    return e as PatchError;
  }
  throw new Error('expected a conflict');
}

const fieldsOf = (obj: KubeObject, manager: string, operation = 'Apply') =>
  managedFieldsFor(obj, manager).find((e) => e.operation === operation)?.fieldsV1;

describe('apiserver/patch: server-side apply', () => {
  it('create: the applied object becomes the object, owned by the applier', () => {
    const obj = apply(undefined, mapping({ prefix: '/a/', service: 'quote' }, { app: 'quote' }), 'kubectl');
    expect(obj.spec).to.deep.equal({ prefix: '/a/', service: 'quote' });
    expect(obj.metadata?.managedFields).to.deep.equal([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: V,
        time: '2025-03-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:prefix': {}, 'f:service': {} } },
      },
    ]);
  });

  it('re-applying the same configuration changes nothing (not even the managedFields time)', () => {
    const live = apply(undefined, mapping({ prefix: '/a/', service: 'quote' }), 'kubectl');
    const again = apply(live, mapping({ prefix: '/a/', service: 'quote' }), 'kubectl', { now: T1 });
    expect(again).to.deep.equal(live);
  });

  it('a changed value is applied and the time moves', () => {
    const live = apply(undefined, mapping({ prefix: '/a/', service: 'quote' }), 'kubectl');
    const next = apply(live, mapping({ prefix: '/b/', service: 'quote' }), 'kubectl', { now: T1 });
    expect(next.spec).to.deep.equal({ prefix: '/b/', service: 'quote' });
    expect(managedFieldsFor(next, 'kubectl')[0].time).to.equal('2025-03-01T10:05:00Z');
  });

  it('a field the applier applied before and omits now is removed, and no longer owned', () => {
    const live = apply(
      undefined,
      mapping({ prefix: '/a/', service: 'quote', timeout_ms: 3000 }, { app: 'q', tier: 'fe' }),
      'kubectl',
    );
    const next = apply(live, mapping({ prefix: '/a/', service: 'quote' }, { app: 'q' }), 'kubectl', { now: T1 });
    expect(next.spec).to.deep.equal({ prefix: '/a/', service: 'quote' });
    expect(next.metadata?.labels).to.deep.equal({ app: 'q' });
    expect(fieldsOf(next, 'kubectl')).to.deep.equal({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:prefix': {}, 'f:service': {} },
    });
    // dropping the last label removes the emptied labels map too
    const bare = apply(next, mapping({ prefix: '/a/', service: 'quote' }), 'kubectl', { now: T1 });
    expect(bare.metadata).to.not.have.property('labels');
  });

  it('fields the applier never set are left alone', () => {
    const live = recordManagedUpdate(
      undefined,
      mapping({ prefix: '/a/', service: 'quote', host: 'h' }),
      'kubectl-create',
      V,
      T0,
    );
    const next = apply(live, mapping({ prefix: '/a/' }), 'kubectl');
    expect(next.spec).to.deep.equal({ prefix: '/a/', service: 'quote', host: 'h' });
  });

  it('two appliers setting the same value share the field; it stays until both drop it', () => {
    let obj = apply(undefined, mapping({ prefix: '/a/', service: 'quote' }), 'alice');
    obj = apply(obj, mapping({ prefix: '/a/', host: 'h' }), 'bob');
    expect(fieldsOf(obj, 'alice')).to.deep.equal({ 'f:spec': { 'f:prefix': {}, 'f:service': {} } });
    expect(fieldsOf(obj, 'bob')).to.deep.equal({ 'f:spec': { 'f:host': {}, 'f:prefix': {} } });
    obj = apply(obj, mapping({ service: 'quote' }), 'alice');
    expect(obj.spec).to.deep.equal({ prefix: '/a/', service: 'quote', host: 'h' }, 'bob still owns prefix');
    obj = apply(obj, mapping({ host: 'h' }), 'bob');
    expect(obj.spec).to.deep.equal({ service: 'quote', host: 'h' }, 'nobody owns prefix any more');
  });

  it('changing a field another applier owns is a 409 conflict with the real message and causes', () => {
    const live = apply(undefined, mapping({ prefix: '/a/', service: 'quote' }), 'alice');
    const e = conflictOf(() => apply(live, mapping({ prefix: '/b/' }), 'bob'));
    expect(e.code).to.equal(409);
    expect(e.reason).to.equal('Conflict');
    expect(e.message).to.equal('Apply failed with 1 conflict: conflict with "alice": .spec.prefix');
    expect(e.causes).to.deep.equal([
      { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.prefix' },
    ]);
  });

  it('several conflicts are listed per manager', () => {
    let live = apply(undefined, mapping({ prefix: '/a/', service: 'quote' }), 'alice');
    live = recordManagedUpdate(live, { ...live, spec: { ...(live.spec as object), host: 'h' } }, 'operator', V, T1);
    const e = conflictOf(() => apply(live, mapping({ prefix: '/b/', service: 'other', host: 'x' }), 'bob'));
    expect(e.message).to.equal(
      'Apply failed with 3 conflicts: conflicts with "alice":\n- .spec.prefix\n- .spec.service\nconflicts with "operator" using portico.dev/v1alpha1 at 2025-03-01T10:05:00Z:\n- .spec.host',
    );
    expect(e.causes?.map((c) => c.field)).to.deep.equal(['.spec.prefix', '.spec.service', '.spec.host']);
  });

  it('force takes ownership from the other manager', () => {
    const live = apply(undefined, mapping({ prefix: '/a/', service: 'quote' }), 'alice');
    const next = apply(live, mapping({ prefix: '/b/' }), 'bob', { force: true, now: T1 });
    expect(next.spec).to.deep.equal({ prefix: '/b/', service: 'quote' });
    expect(fieldsOf(next, 'alice')).to.deep.equal({ 'f:spec': { 'f:service': {} } });
    expect(fieldsOf(next, 'bob')).to.deep.equal({ 'f:spec': { 'f:prefix': {} } });
    // alice re-applying her old value now conflicts with bob
    expect(conflictOf(() => apply(next, mapping({ prefix: '/a/', service: 'quote' }), 'alice')).message).to.equal(
      'Apply failed with 1 conflict: conflict with "bob": .spec.prefix',
    );
  });

  it('client-side apply (an Update manager) then server-side apply of a changed field conflicts with kubectl-client-side-apply', () => {
    // what the server records for `kubectl apply` (POST with fieldManager=kubectl-client-side-apply)
    const created = mapping({ prefix: '/a/', service: 'quote' });
    (created.metadata as Record<string, unknown>).annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': '{}\n',
    };
    const live = recordManagedUpdate(undefined, created, 'kubectl-client-side-apply', V, T0);
    expect(fieldsOf(live, 'kubectl-client-side-apply', 'Update')).to.deep.equal({
      'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
      'f:spec': { '.': {}, 'f:prefix': {}, 'f:service': {} },
    });
    // same values: shared, no conflict
    const same = apply(live, mapping({ prefix: '/a/', service: 'quote' }), 'kubectl', { now: T1 });
    expect(same.spec).to.deep.equal({ prefix: '/a/', service: 'quote' });
    // a changed value: conflict naming the Update manager with its apiVersion and time
    const e = conflictOf(() => apply(same, mapping({ prefix: '/b/', service: 'quote' }), 'kubectl', { now: T2 }));
    expect(e.message).to.equal(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using portico.dev/v1alpha1 at 2025-03-01T10:00:00Z: .spec.prefix',
    );
    expect(e.causes).to.deep.equal([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kubectl-client-side-apply" using portico.dev/v1alpha1 at 2025-03-01T10:00:00Z',
        field: '.spec.prefix',
      },
    ]);
    // --force-conflicts moves it
    const forced = apply(same, mapping({ prefix: '/b/', service: 'quote' }), 'kubectl', { now: T2, force: true });
    expect(fieldsOf(forced, 'kubectl-client-side-apply', 'Update')).to.deep.equal({
      'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
      'f:spec': { '.': {}, 'f:service': {} },
    });
  });

  it('identity and server-maintained metadata are never owned', () => {
    const applied: KubeObject = {
      apiVersion: V,
      kind: 'Mapping',
      metadata: {
        name: 'quote',
        namespace: 'default',
        uid: 'u',
        resourceVersion: '5',
        generation: 2,
        creationTimestamp: '2025-01-01T00:00:00Z',
      },
      spec: { prefix: '/a/' },
    };
    expect(fieldsOf(apply(undefined, applied, 'kubectl'), 'kubectl')).to.deep.equal({ 'f:spec': { 'f:prefix': {} } });
  });

  it('an applied configuration carrying managedFields is a 400', () => {
    const applied = mapping({ prefix: '/a/' });
    (applied.metadata as Record<string, unknown>).managedFields = [{ manager: 'x' }];
    const e = conflictOf(() => apply(undefined, applied, 'kubectl'));
    expect(e.code).to.equal(400);
    expect(e.message).to.equal('metadata.managedFields must be nil');
  });

  it('custom resource lists are atomic unless listType says otherwise', () => {
    const withHeaders = (names: string[]) =>
      mapping({ prefix: '/a/', headers: names.map((n) => ({ name: n, value: 'v' })) });
    const atomic = apply(undefined, withHeaders(['a']), 'alice');
    expect(fieldsOf(atomic, 'alice')).to.deep.equal({ 'f:spec': { 'f:headers': {}, 'f:prefix': {} } });
    expect(conflictOf(() => apply(atomic, withHeaders(['a', 'b']), 'bob')).message).to.equal(
      'Apply failed with 1 conflict: conflict with "alice": .spec.headers',
    );

    const listType = (p: string[]) =>
      p.join('.') === 'spec.headers' ? { type: 'map' as const, keys: ['name'] } : undefined;
    const keyed = apply(undefined, withHeaders(['a']), 'alice', { listType });
    expect(fieldsOf(keyed, 'alice')).to.deep.equal({
      'f:spec': { 'f:headers': { 'k:{"name":"a"}': { '.': {}, 'f:name': {}, 'f:value': {} } }, 'f:prefix': {} },
    });
    const both = apply(keyed, mapping({ headers: [{ name: 'b', value: 'w' }] }), 'bob', { listType });
    expect((both.spec as { headers: unknown }).headers).to.deep.equal([
      { name: 'a', value: 'v' },
      { name: 'b', value: 'w' },
    ]);
  });

  it('status subresource apply owns only .status and is recorded with subresource', () => {
    const live = apply(undefined, mapping({ prefix: '/a/' }), 'kubectl');
    const applied = {
      ...mapping({ prefix: '/ignored/' }),
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const next = apply(live, applied, 'operator', { subresource: 'status', now: T1 });
    expect(next.spec).to.deep.equal({ prefix: '/a/' });
    const entry = managedFieldsFor(next, 'operator')[0];
    expect(entry.subresource).to.equal('status');
    expect(entry.fieldsV1).to.deep.equal({ 'f:status': { 'f:conditions': {} } });
  });
});

describe('apiserver/patch: server-side apply of built-ins (map lists by merge key)', () => {
  const deploy = (containers: object[], replicas?: number): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'envoy', namespace: 'portico-system' },
    spec: { ...(replicas ? { replicas } : {}), template: { spec: { containers } } },
  });

  it('containers are keyed by name, ports by containerPort, env by name', () => {
    const obj = serverSideApply({
      live: undefined,
      applied: deploy(
        [{ name: 'envoy', image: 'envoy:1', ports: [{ containerPort: 8080 }], env: [{ name: 'A', value: '1' }] }],
        2,
      ),
      manager: 'portico',
      force: false,
      apiVersion: 'apps/v1',
      now: T0,
    }).object;
    expect(fieldsOf(obj, 'portico')).to.deep.equal({
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"envoy"}': {
                '.': {},
                'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":8080}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
  });

  it('another manager may add its own container; changing ours conflicts with a keyed path', () => {
    const base = { manager: 'portico', force: false, apiVersion: 'apps/v1', now: T0 };
    const obj = serverSideApply({
      ...base,
      live: undefined,
      applied: deploy([{ name: 'envoy', image: 'envoy:1' }]),
    }).object;
    const two = serverSideApply({
      ...base,
      manager: 'sidecar-injector',
      live: obj,
      applied: deploy([{ name: 'proxy', image: 'p:1' }]),
    }).object;
    const containers = (two.spec as { template: { spec: { containers: { name: string }[] } } }).template.spec
      .containers;
    expect(containers.map((c) => c.name)).to.deep.equal(['envoy', 'proxy']);
    const e = conflictOf(() =>
      serverSideApply({
        ...base,
        manager: 'sidecar-injector',
        live: two,
        applied: deploy([{ name: 'envoy', image: 'envoy:2' }]),
      }),
    );
    expect(e.message).to.equal(
      'Apply failed with 1 conflict: conflict with "portico": .spec.template.spec.containers[name="envoy"].image',
    );
    // dropping our container removes it, theirs stays
    const after = serverSideApply({ ...base, live: two, applied: deploy([]) }).object;
    expect(
      (after.spec as { template: { spec: { containers: { name: string }[] } } }).template.spec.containers.map(
        (c) => c.name,
      ),
    ).to.deep.equal(['proxy']);
  });

  it('a map-list item without its key is a 400 naming the list', () => {
    const e = conflictOf(() =>
      serverSideApply({
        live: undefined,
        applied: deploy([{ image: 'x' }]),
        manager: 'm',
        force: false,
        apiVersion: 'apps/v1',
        now: T0,
      }),
    );
    expect(e.code).to.equal(400);
    expect(e.message).to.equal(
      '.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    );
  });
});
