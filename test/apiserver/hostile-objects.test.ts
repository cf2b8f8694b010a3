// Issue 19 item 4: one object must not crash the server or brick its saved state. Deep nesting is refused on
// decode and never stored; unknown fields of built-ins (and of every object's metadata) are pruned as
// kube-apiserver prunes them, or refused under fieldValidation=Strict (what kubectl sends); a value of the wrong
// type in metadata is a 400; a throwing store listener does not stop the others; an old state file holding a
// pathological object still loads.
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../../operator/apiserver/index.js';
import { ObjectStore } from '../../operator/apiserver/storage/store.js';
import { request } from '../support/raw-http.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';

const WIDGET_CRD = yaml.load(readFileSync(join(import.meta.dirname, 'fixtures', 'widgets-crd.yaml'), 'utf8')) as object;
const WIDGETS = '/apis/example.portico.dev/v1/namespaces/default/widgets';
const SERVICES = '/api/v1/namespaces/default/services';

function nested(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('apiserver: hostile objects', function () {
  this.timeout(30_000);
  let c: TestCluster;
  const req = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(c.url, method, path, body, headers);

  before(async () => {
    c = await startTestCluster({ crds: [WIDGET_CRD] });
  });
  after(() => c.stop());

  it('refuses an array nested 2,000 deep (in metadata, in an unknown field, in a preserved field) and stores nothing', async () => {
    const rvBefore = c.server.resourceVersion;
    const bodies: Array<[string, object]> = [
      [SERVICES, { metadata: { name: 'deep-meta', labels: {}, junk: nested(2000) }, spec: { ports: [{ port: 80 }] } }],
      [SERVICES, { metadata: { name: 'deep-spec' }, spec: { ports: [{ port: 80 }], junk: nested(2000) } }],
      [
        WIDGETS,
        {
          apiVersion: 'example.portico.dev/v1',
          kind: 'Widget',
          metadata: { name: 'deep' },
          spec: { prefix: '/', extra: { deep: nested(2000) } },
        },
      ],
    ];
    for (const [path, body] of bodies) {
      const r = await req('POST', path, body);
      expect(r.status, r.text).to.equal(400);
      expect(r.body.message).to.match(/exceeded max depth/);
    }
    expect(c.server.resourceVersion).to.equal(rvBefore);
    expect((await req('GET', SERVICES)).status).to.equal(200);
    expect((await req('GET', WIDGETS)).body.items).to.deep.equal([]);
    // Patches cannot build what a body may not carry: each JSON patch adds 60 levels under the last.
    await req('POST', WIDGETS, {
      apiVersion: 'example.portico.dev/v1',
      kind: 'Widget',
      metadata: { name: 'grows' },
      spec: { prefix: '/', extra: { a: [] } },
    });
    let path = '/spec/extra/a';
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await req('PATCH', `${WIDGETS}/grows`, [{ op: 'add', path: `${path}/-`, value: nested(60) }], {
        'Content-Type': 'application/json-patch+json',
      });
      statuses.push(r.status);
      path += '/0'.repeat(61); // down to the innermost [] just added
    }
    expect(statuses).to.deep.equal([200, 400]);
    expect((await req('GET', WIDGETS)).status).to.equal(200);
  });

  it('prunes unknown fields of a built-in (with a warning), and refuses them with kubectl (fieldValidation=Strict)', async () => {
    const created = await req('POST', SERVICES, {
      metadata: { name: 'pruned', junk: { a: 1 } },
      spec: { ports: [{ port: 80, portz: 1 }], selector: { app: 'x' }, junk: [1] },
    });
    expect(created.status, created.text).to.equal(201);
    expect(created.headers.get('warning'))
      .to.contain('unknown field \\"metadata.junk\\"')
      .and.contain('unknown field \\"spec.ports[0].portz\\"')
      .and.contain('unknown field \\"spec.junk\\"');
    const stored = (await req('GET', `${SERVICES}/pruned`)).body;
    expect(stored.metadata).to.not.have.property('junk');
    expect(stored.spec).to.not.have.property('junk');
    expect(stored.spec.ports[0]).to.not.have.property('portz');

    const manifest =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: strict\nspec:\n  ports:\n  - port: 80\n  portz: 1\n';
    const strict = await c.kubectl(['apply', '-f', '-'], { stdin: manifest });
    expect(strict.code).to.equal(1);
    expect(strict.stderr).to.contain('strict decoding error: unknown field "spec.portz"');
    expect((await req('GET', `${SERVICES}/strict`)).status).to.equal(404);
  });

  it("prunes unknown fields of a custom resource's metadata, and answers a wrongly typed metadata field with a 400", async () => {
    const w = await req('POST', WIDGETS, {
      apiVersion: 'example.portico.dev/v1',
      kind: 'Widget',
      metadata: { name: 'meta', owner: 'me' },
      spec: { prefix: '/' },
    });
    expect(w.status, w.text).to.equal(201);
    expect(w.body.metadata).to.not.have.property('owner');
    const bad = await req('POST', SERVICES, {
      metadata: { name: 'typed', ownerReferences: 'not-a-list' },
      spec: { ports: [{ port: 80 }] },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.message).to.equal(
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference',
    );
    // Deletes (which run the garbage collector over owner references) go on working.
    expect((await req('DELETE', `${SERVICES}/pruned`)).status).to.equal(200);
    expect((await req('GET', SERVICES)).status).to.equal(200);
  });

  it('isolates store listeners: one that throws neither fails the write nor starves the others', () => {
    const problems: string[] = [];
    const store = new ObjectStore({ report: (what, err) => problems.push(`${what}: ${(err as Error).message}`) });
    const seen: string[] = [];
    store.subscribe(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    store.subscribe((e) => seen.push(e.object.metadata.name));
    const stored = store.create('/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'default' },
    });
    expect(stored.metadata.resourceVersion).to.equal('1');
    expect(seen).to.deep.equal(['a']);
    expect(problems).to.deep.equal(['store listener (ADDED /configmaps default/a): Maximum call stack size exceeded']);
  });

  it('starts from a state file that holds a pathological object (saved by an older version), dropping only that object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-hostile-'));
    try {
      const statePath = join(dir, 'state.json');
      const ok = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'ok',
          namespace: 'default',
          uid: 'u1',
          resourceVersion: '1',
          creationTimestamp: '2026-01-01T00:00:00Z',
        },
      };
      const deep = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'deep',
          namespace: 'default',
          uid: 'u2',
          resourceVersion: '2',
          creationTimestamp: '2026-01-01T00:00:00Z',
          junk: nested(2000),
        },
      };
      writeFileSync(
        statePath,
        JSON.stringify({
          resourceVersion: 2,
          objects: [
            { resource: '/configmaps', object: ok },
            { resource: '/configmaps', object: deep },
          ],
        }),
      );
      const server = await startApiServer({ statePath });
      try {
        const kc = new k8s.KubeConfig();
        kc.loadFromClusterAndUser({ name: 'c', server: server.url, skipTLSVerify: true }, { name: 'u' });
        const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedConfigMap({ namespace: 'default' });
        expect(list.items.map((i) => i.metadata?.name)).to.deep.equal(['ok']);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
