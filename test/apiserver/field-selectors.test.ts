// Field selectors as the real server supports them per type: core/v1 and events.k8s.io/v1 Event fields
// (what `kubectl describe` uses to list an object's Events), Secret type, Service spec.type, Namespace
// status.phase, CRD selectableFields, and the real 400 messages for labels a type does not support.
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { request, watch } from '../support/raw-http.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';

const EVENTS = '/api/v1/namespaces/default/events';
const EVENTS_V1 = '/apis/events.k8s.io/v1/namespaces/default/events';

const GADGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.portico.dev' },
  spec: {
    group: 'example.portico.dev',
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        selectableFields: [{ jsonPath: '.spec.color' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { color: { type: 'string' }, size: { type: 'integer' } } },
            },
          },
        },
      },
    ],
  },
};

describe('apiserver: field selectors', function () {
  this.timeout(20_000);
  let c: TestCluster;
  let core: k8s.CoreV1Api;
  const get = (path: string) => request(c.url, 'GET', path);
  const names = async (path: string, selector: string): Promise<string[]> => {
    const r = await get(`${path}?fieldSelector=${encodeURIComponent(selector)}`);
    expect(r.status, r.text).to.equal(200);
    return r.body.items.map((i: any) => i.metadata.name).sort();
  };

  before(async () => {
    c = await startTestCluster({ crds: true });
    core = c.kubeConfig.makeApiClient(k8s.CoreV1Api);
  });
  after(() => c.stop());

  it('kubectl describe mapping lists the Events whose involvedObject is that Mapping, and only those', async () => {
    const manifest = (name: string) =>
      `apiVersion: portico.dev/v1alpha1\nkind: Mapping\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  prefix: /${name}/\n  service: usersvc\n`;
    for (const n of ['described', 'other'])
      expect((await c.kubectl(['apply', '-f', '-'], { stdin: manifest(n) })).code).to.equal(0);
    const co = c.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    for (const n of ['described', 'other']) {
      const m = await co.getNamespacedCustomObject({
        group: 'portico.dev',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'mappings',
        name: n,
      });
      await core.createNamespacedEvent({
        namespace: 'default',
        body: {
          metadata: { name: `${n}.ev` },
          involvedObject: {
            apiVersion: 'portico.dev/v1alpha1',
            kind: 'Mapping',
            name: n,
            namespace: 'default',
            uid: m.metadata.uid,
            resourceVersion: m.metadata.resourceVersion,
          },
          reason: n === 'described' ? 'ServiceMissing' : 'OtherReason',
          message: `event for ${n}`,
          type: 'Warning',
          source: { component: 'portico-operator' },
          count: 1,
          firstTimestamp: new Date(),
          lastTimestamp: new Date(),
        },
      });
    }
    const r = await c.kubectl(['describe', 'mapping', 'described']);
    expect(r.code, r.stderr).to.equal(0);
    const events = r.stdout.slice(r.stdout.indexOf('Events:'));
    expect(events).to.match(/Warning\s+ServiceMissing\s+\S+\s+portico-operator\s+event for described/);
    expect(events).not.to.contain('OtherReason');
  });

  it('filters core/v1 Events on every supported label, with = and !=', async () => {
    const ev = (name: string, v: string) => ({
      metadata: { name },
      involvedObject: {
        kind: `Kind${v}`,
        namespace: `ns${v}`,
        name: `obj${v}`,
        uid: `uid-${v}`,
        apiVersion: `g/v${v}`,
        resourceVersion: `${v}0`,
        fieldPath: `spec.f${v}`,
      },
      reason: `Reason${v}`,
      type: `Type${v}`,
      source: { component: `comp${v}` },
      reportingComponent: `rep${v}`,
      message: 'm',
    });
    await core.createNamespacedEvent({ namespace: 'default', body: ev('sel-a', 'A') });
    await core.createNamespacedEvent({ namespace: 'default', body: ev('sel-b', 'B') });
    const cases: Record<string, string> = {
      'involvedObject.kind': 'KindA',
      'involvedObject.namespace': 'nsA',
      'involvedObject.name': 'objA',
      'involvedObject.uid': 'uid-A',
      'involvedObject.apiVersion': 'g/vA',
      'involvedObject.resourceVersion': 'A0',
      'involvedObject.fieldPath': 'spec.fA',
      reason: 'ReasonA',
      type: 'TypeA',
      source: 'compA',
      reportingComponent: 'repA',
      'metadata.name': 'sel-a',
      'metadata.namespace': 'default',
    };
    for (const [label, value] of Object.entries(cases)) {
      const hits = (await names(EVENTS, `${label}=${value}`)).filter((n) => n.startsWith('sel-'));
      expect(hits, label).to.deep.equal(label === 'metadata.namespace' ? ['sel-a', 'sel-b'] : ['sel-a']);
    }
    expect((await names(EVENTS, 'reason!=ReasonA,type==TypeB')).filter((n) => n.startsWith('sel-'))).to.deep.equal([
      'sel-b',
    ]);
  });

  it('Event `source` falls back to reportingComponent when source.component is empty', async () => {
    await core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'rep-only' },
        involvedObject: { name: 'x' },
        reportingComponent: 'only-reporter',
        reason: 'R',
      },
    });
    expect(await names(EVENTS, 'source=only-reporter')).to.deep.equal(['rep-only']);
  });

  it('filters events.k8s.io/v1 Events on regarding.*, reportingController and type', async () => {
    const body = (name: string, kind: string) => ({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name },
      eventTime: '2024-01-01T00:00:00.000000Z',
      regarding: { kind, name: `${name}-obj`, uid: `${name}-uid`, fieldPath: 'spec' },
      reason: 'Synced',
      action: 'Sync',
      reportingController: `${name}-ctl`,
      reportingInstance: 'i',
      type: 'Normal',
      note: 'n',
    });
    for (const n of ['v1-a', 'v1-b'])
      expect((await request(c.url, 'POST', EVENTS_V1, body(n, n === 'v1-a' ? 'Mapping' : 'Service'))).status).to.equal(
        201,
      );
    expect(await names(EVENTS_V1, 'regarding.kind=Mapping')).to.deep.equal(['v1-a']);
    expect(await names(EVENTS_V1, 'regarding.uid=v1-b-uid,type=Normal')).to.deep.equal(['v1-b']);
    expect(await names(EVENTS_V1, 'reportingController=v1-a-ctl')).to.deep.equal(['v1-a']);
    expect(await names(EVENTS_V1, 'source=v1-b-ctl')).to.deep.equal(['v1-b']);
    const coreSpelling = await get(`${EVENTS_V1}?fieldSelector=involvedObject.kind%3DMapping`);
    expect(coreSpelling.body).to.include({
      code: 400,
      reason: 'BadRequest',
      message: 'field label not supported: involvedObject.kind',
    });
  });

  it('Secret type, Service spec.type, Namespace status.phase, metadata.namespace across namespaces', async () => {
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'tls-one' }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } },
    });
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'opaque-one' }, stringData: { a: 'b' } },
    });
    expect(await names('/api/v1/namespaces/default/secrets', 'type=kubernetes.io/tls')).to.deep.equal(['tls-one']);
    expect(await names('/api/v1/namespaces/default/secrets', 'type!=kubernetes.io/tls')).to.deep.equal(['opaque-one']);
    await core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } },
    });
    await core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'cip' }, spec: { ports: [{ port: 80 }] } },
    });
    expect(await names('/api/v1/namespaces/default/services', 'spec.type=ExternalName')).to.deep.equal(['ext']);
    expect(await names('/api/v1/namespaces', 'status.phase=Active,metadata.name=kube-system')).to.deep.equal([
      'kube-system',
    ]);
    await core.createNamespace({ body: { metadata: { name: 'fs-other' } } });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cm-here' } } });
    await core.createNamespacedConfigMap({ namespace: 'fs-other', body: { metadata: { name: 'cm-there' } } });
    expect(await names('/api/v1/configmaps', 'metadata.namespace!=default')).to.deep.equal(['cm-there']);
  });

  it('CRD selectableFields are selectable on list and watch', async () => {
    expect(
      (await request(c.url, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', GADGET_CRD)).status,
    ).to.equal(201);
    const path = '/apis/example.portico.dev/v1/namespaces/default/gadgets';
    const gadget = (name: string, color: string) => ({
      apiVersion: 'example.portico.dev/v1',
      kind: 'Gadget',
      metadata: { name },
      spec: { color, size: 1 },
    });
    await request(c.url, 'POST', path, gadget('g-red', 'red'));
    const w = await watch(c.url, `${path}?watch=true&fieldSelector=spec.color%3Dblue`);
    await request(c.url, 'POST', path, gadget('g-blue', 'blue'));
    await request(c.url, 'POST', path, gadget('g-red2', 'red'));
    expect(await names(path, 'spec.color=red')).to.deep.equal(['g-red', 'g-red2']);
    const [added] = await w.waitFor(1);
    expect(added.object.metadata.name).to.equal('g-blue');
    w.close();
    expect((await get(`${path}?fieldSelector=spec.size%3D1`)).body.message).to.equal(
      'field label not supported: spec.size',
    );
  });

  it('answers unsupported labels and malformed selectors with the real 400 messages', async () => {
    const msg = async (path: string, selector: string) => {
      const r = await get(`${path}?fieldSelector=${encodeURIComponent(selector)}`);
      expect(r.status).to.equal(400);
      expect(r.body.reason).to.equal('BadRequest');
      return r.body.message;
    };
    expect(await msg(EVENTS, 'spec.x=1')).to.equal('field label not supported: spec.x');
    expect(await msg('/api/v1/namespaces/default/configmaps', 'data.a=1')).to.equal(
      '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(await msg('/api/v1/namespaces', 'metadata.namespace=x')).to.equal(
      'field label not supported: metadata.namespace',
    );
    expect(await msg('/api/v1/namespaces/default/secrets', 'data=x')).to.equal('field label not supported: data');
    expect(await msg(EVENTS, 'reason')).to.equal("invalid selector: 'reason'; can't understand 'reason'");
    expect(await msg(EVENTS, 'reason=a=b')).to.equal('invalid field selector: unescaped character in value: 61');
    // kubectl shows the server's message.
    const k = await c.kubectl(['get', 'events', '--field-selector', 'bogus=1']);
    expect(k.code).to.equal(1);
    expect(k.stderr).to.contain('field label not supported: bogus');
  });

  it('unescapes \\, and \\= in values', async () => {
    await core.createNamespacedEvent({
      namespace: 'default',
      body: { metadata: { name: 'escaped' }, involvedObject: { name: 'x' }, reason: 'a,b=c' },
    });
    expect(await names(EVENTS, 'reason=a\\,b\\=c')).to.deep.equal(['escaped']);
  });
});
