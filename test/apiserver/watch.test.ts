// Watch semantics over raw HTTP: initial ADDED events, resume from a resourceVersion, ERROR 410 Expired for a
// too-old one (HTTP 200 first), selector moves, bookmarks, timeoutSeconds, Table-wrapped events.
import { expect } from 'chai';
import { request, watch } from '../support/raw-http.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';

const CMS = '/api/v1/namespaces/default/configmaps';

describe('apiserver: watch', function () {
  this.timeout(20_000);
  let c: TestCluster;
  const req = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(c.url, method, path, body, headers);

  before(async () => {
    c = await startTestCluster({ historyLimit: 20, bookmarkIntervalMs: 100 });
  });
  after(() => c.stop());

  it('without a resourceVersion sends ADDED for current objects, then live changes in order', async () => {
    await req('POST', CMS, { metadata: { name: 'w-a' } });
    const w = await watch(c.url, `${CMS}?watch=true&fieldSelector=metadata.name%3Dw-a`);
    expect(w.status).to.equal(200);
    expect(w.events.length).to.equal(0);
    await w.waitFor(1);
    const current = (await req('GET', `${CMS}/w-a`)).body;
    await req('PUT', `${CMS}/w-a`, { ...current, data: { x: '1' } });
    await req('DELETE', `${CMS}/w-a`);
    const events = await w.waitFor(3);
    expect(events.map((e) => e.type)).to.deep.equal(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events[2].object.kind).to.equal('ConfigMap');
    expect(Number(events[2].object.metadata.resourceVersion)).to.be.greaterThan(
      Number(events[1].object.metadata.resourceVersion),
    );
    w.close();
  });

  it('resumes from a resourceVersion with exactly the missed events', async () => {
    const list = (await req('GET', CMS)).body;
    await req('POST', CMS, { metadata: { name: 'r-1' } });
    await req('POST', CMS, { metadata: { name: 'r-2' } });
    const w = await watch(c.url, `${CMS}?watch=1&resourceVersion=${list.metadata.resourceVersion}`);
    const events = await w.waitFor(2);
    expect(events.map((e) => `${e.type}:${e.object.metadata.name}`)).to.deep.equal(['ADDED:r-1', 'ADDED:r-2']);
    w.close();
  });

  it('answers a too-old resourceVersion with HTTP 200 and one ERROR 410 Expired event', async () => {
    const old = (await req('GET', CMS)).body.metadata.resourceVersion;
    for (let i = 0; i < 25; i++) await req('POST', CMS, { metadata: { name: `old-${i}` } });
    const w = await watch(c.url, `${CMS}?watch=true&resourceVersion=${old}`);
    expect(w.status).to.equal(200);
    await w.ended;
    expect(w.events).to.have.length(1);
    expect(w.events[0].type).to.equal('ERROR');
    expect(w.events[0].object).to.include({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    expect(w.events[0].object.message).to.match(new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
  });

  it('turns label selector moves into ADDED and DELETED', async () => {
    const cm = (await req('POST', CMS, { metadata: { name: 'mover', labels: { sel: 'no' } } })).body;
    const w = await watch(
      c.url,
      `${CMS}?watch=true&labelSelector=sel%3Dyes&resourceVersion=${cm.metadata.resourceVersion}`,
    );
    const moved = (await req('PUT', `${CMS}/mover`, { ...cm, metadata: { ...cm.metadata, labels: { sel: 'yes' } } }))
      .body;
    const touched = (await req('PUT', `${CMS}/mover`, { ...moved, data: { a: '1' } })).body;
    await req('PUT', `${CMS}/mover`, { ...touched, metadata: { ...touched.metadata, labels: { sel: 'no' } } });
    const events = await w.waitFor(3);
    expect(events.map((e) => e.type)).to.deep.equal(['ADDED', 'MODIFIED', 'DELETED']);
    w.close();
  });

  it('sends BOOKMARK events when allowed, and ends the stream at timeoutSeconds', async () => {
    const w = await watch(
      c.url,
      `${CMS}?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=${(await req('GET', CMS)).body.metadata.resourceVersion}`,
    );
    const started = Date.now();
    await w.ended;
    const elapsed = Date.now() - started;
    expect(elapsed).to.be.within(800, 2500);
    const bookmarks = w.events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).to.be.greaterThan(2);
    expect(bookmarks[0].object).to.deep.equal({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { resourceVersion: bookmarks[0].object.metadata.resourceVersion },
    });
  });

  it('wraps events in Tables for kubectl get -w (column definitions on the first one)', async () => {
    const rv = (await req('GET', CMS)).body.metadata.resourceVersion;
    const w = await watch(c.url, `${CMS}?watch=true&resourceVersion=${rv}`, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    await req('POST', CMS, { metadata: { name: 't-1' }, data: { a: '1', b: '2' } });
    await req('POST', CMS, { metadata: { name: 't-2' } });
    const [first, second] = await w.waitFor(2);
    expect(first.object.kind).to.equal('Table');
    expect(first.object.columnDefinitions.map((d: any) => d.name)).to.deep.equal(['Name', 'Data', 'Age']);
    expect(first.object.rows[0].cells.slice(0, 2)).to.deep.equal(['t-1', 2]);
    expect(second.object.columnDefinitions).to.equal(null);
    w.close();
  });
});
