// Issue 19 items 7, 8 and 11: the embedded server's memory and time stay bounded whatever clients do. A watcher
// that stops reading is cut once too much waits for it; the change history is bounded by bytes, not only by
// count; an object over etcd's 1.5 MiB request limit is refused as the real server refuses it; deleting
// thousands of objects costs time per object, not per object times store; and a 422 for a 2 MB value does
// not echo it (kube-openapi stops at the first failing string check, maxLength).
import { expect } from 'chai';
import yaml from 'js-yaml';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request, watch } from '../support/raw-http.js';
import { eventually, loadRepoCrds, startTestCluster, type TestCluster } from '../support/test-cluster.js';

const WIDGET_CRD = yaml.load(readFileSync(join(import.meta.dirname, 'fixtures', 'widgets-crd.yaml'), 'utf8')) as object;
const WIDGETS = '/apis/example.portico.dev/v1/namespaces/default/widgets';
const CMS = '/api/v1/namespaces/default/configmaps';
const MAPPINGS = '/apis/portico.dev/v1alpha1/namespaces/default/mappings';
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

describe('apiserver: resource limits', function () {
  this.timeout(60_000);
  let c: TestCluster;
  const req = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(c.url, method, path, body, headers);

  before(async () => {
    c = await startTestCluster({
      crds: [WIDGET_CRD, ...loadRepoCrds()],
      watchBufferBytes: 1024 * 1024,
      historyBytes: 2 * 1024 * 1024,
    });
  });
  after(() => c.stop());

  it('cuts a watch whose client stopped reading once more than watchBufferBytes of events wait for it', async () => {
    await req('POST', CMS, { metadata: { name: 'big' }, data: { v: 'a'.repeat(900 * 1024) } });
    const url = new URL(c.url);
    const socket = connect(Number(url.port), url.hostname);
    // Sends a watch request and never reads the answer.
    socket.write(
      `GET ${CMS}?watch=true&resourceVersion=${c.server.resourceVersion} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\n\r\n`,
    );
    socket.pause();
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    await eventually('the watch to be registered', async () => (await req('GET', '/version')).status === 200, 2000);
    for (let i = 0; i < 40 && c.server.slowWatchersCut === 0; i++) {
      const r = await req(
        'PATCH',
        `${CMS}/big`,
        {
          data: {
            v: String(i)
              .repeat(900 * 1024)
              .slice(0, 900 * 1024),
          },
        },
        MERGE,
      );
      expect(r.status).to.equal(200);
    }
    expect(c.server.slowWatchersCut).to.equal(1);
    socket.resume(); // drain what the kernel still holds, then see the end
    await closed;
    // A watcher that reads is not affected.
    const w = await watch(c.url, `${CMS}?watch=true&resourceVersion=${c.server.resourceVersion}`);
    await req('PATCH', `${CMS}/big`, { data: { v: 'z' } }, MERGE);
    expect((await w.waitFor(1))[0].type).to.equal('MODIFIED');
    w.close();
  });

  it('bounds the history by bytes: a big object patched often expires old resourceVersions (410), recent ones resume', async () => {
    const first = (await req('POST', CMS, { metadata: { name: 'hist' }, data: { v: 'x'.repeat(400 * 1024) } })).body
      .metadata.resourceVersion;
    let last = first;
    for (let i = 0; i < 10; i++)
      last = (await req('PATCH', `${CMS}/hist`, { data: { v: `${i}`.repeat(400 * 1024) } }, MERGE)).body.metadata
        .resourceVersion;
    const old = await request(c.url, 'GET', `${CMS}?watch=true&resourceVersion=${first}&timeoutSeconds=1`);
    expect(JSON.parse(old.text.trim().split('\n')[0]).object).to.include({ code: 410, reason: 'Expired' });
    const recent = await watch(c.url, `${CMS}?watch=true&resourceVersion=${Number(last) - 1}`);
    expect((await recent.waitFor(1))[0].object.metadata.resourceVersion).to.equal(last);
    recent.close();
  });

  it("refuses an object over etcd's 1.5 MiB request limit as kube-apiserver does, and stores nothing", async () => {
    const widget = (name: string, bytes: number) => ({
      apiVersion: 'example.portico.dev/v1',
      kind: 'Widget',
      metadata: { name },
      spec: { prefix: '/', extra: { blob: 'b'.repeat(bytes) } },
    });
    const rv = c.server.resourceVersion;
    const tooLarge = await req('POST', WIDGETS, widget('too-large', 1_600_000));
    expect(tooLarge.status).to.equal(500);
    expect(tooLarge.body).to.deep.equal({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'etcdserver: request is too large',
      code: 500,
    });
    expect(c.server.resourceVersion).to.equal(rv);
    expect((await req('GET', `${WIDGETS}/too-large`)).status).to.equal(404);
    expect((await req('POST', WIDGETS, widget('fits', 1_400_000))).status).to.equal(201);
  });

  it('answers a 2 MB prefix over maxLength (and not matching the pattern) without echoing it', async () => {
    const r = await req('POST', MAPPINGS, {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: { name: 'long' },
      spec: { prefix: `/${' '.repeat(2_000_000)}`, service: 'usersvc' },
    });
    expect(r.status).to.equal(422);
    // (With x-kubernetes-validations in the CRD, kube-apiserver adds that the rules were not checked.)
    expect(r.body.message).to.match(
      /^Mapping\.portico\.dev "long" is invalid: \[?spec\.prefix: Too long: may not be more than 1024 bytes/,
    );
    expect(r.body.details.causes.filter((c: any) => c.field === 'spec.prefix')).to.deep.equal([
      { reason: 'FieldValueTooLong', message: 'Too long: may not be more than 1024 bytes', field: 'spec.prefix' },
    ]);
    expect(r.text.length).to.be.below(1000);
  });

  it('deletes 2,000 objects one by one (as kubectl delete --all does) in time proportional to them (owner index)', async function () {
    this.timeout(60_000);
    const mapping = (name: string, ownerReferences?: object[]) => ({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: { name, ...(ownerReferences ? { ownerReferences } : {}) },
      spec: { prefix: `/${name}/`, service: 'usersvc' },
    });
    for (let i = 0; i < 2000; i++) expect((await req('POST', MAPPINGS, mapping(`m${i}`))).status).to.equal(201);
    const started = Date.now();
    for (let i = 0; i < 2000; i++)
      expect((await req('DELETE', `${MAPPINGS}/m${i}`, { propagationPolicy: 'Background' })).status).to.equal(200);
    // Generous: it took 35 s here before (a scan of the whole store per deleted object), about 4 s now.
    expect(Date.now() - started).to.be.below(15_000);

    // The index serves the garbage collector: dependents go with their owner, but not while another owner lives.
    const owner = (await req('POST', CMS, { metadata: { name: 'owner' } })).body;
    const other = (await req('POST', CMS, { metadata: { name: 'other-owner' } })).body;
    const ref = (o: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid });
    for (let i = 0; i < 50; i++)
      await req('POST', MAPPINGS, mapping(`d${i}`, i === 0 ? [ref(owner), ref(other)] : [ref(owner)]));
    expect((await req('DELETE', `${CMS}/owner`)).status).to.equal(200);
    await eventually(
      'the garbage collector',
      async () => (await req('GET', MAPPINGS)).body.items.length === 1,
      10_000,
      50,
    );
    expect((await req('GET', MAPPINGS)).body.items[0].metadata.name).to.equal('d0');
    expect((await req('DELETE', `${CMS}/other-owner`)).status).to.equal(200);
    await eventually(
      'the last dependent',
      async () => (await req('GET', MAPPINGS)).body.items.length === 0,
      10_000,
      50,
    );
  });
});
