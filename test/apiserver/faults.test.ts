// One test per fault the injector offers (operator/apiserver/faults.ts), each checking the fault really
// happened on the wire and was counted.
import { expect } from 'chai';
import { request, watch } from '../support/raw-http.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';

const CMS = '/api/v1/namespaces/default/configmaps';

describe('apiserver: fault injection', function () {
  this.timeout(20_000);
  let c: TestCluster;
  const req = (method: string, path: string, body?: unknown) => request(c.url, method, path, body);

  beforeEach(async () => {
    c = await startTestCluster();
  });
  afterEach(() => c.stop());

  it('closeWatches ends every open watch stream', async () => {
    const a = await watch(c.url, `${CMS}?watch=true`);
    const b = await watch(c.url, '/api/v1/namespaces?watch=true');
    await b.waitFor(4); // the four initial namespaces
    expect(c.server.faults.closeWatches()).to.equal(2);
    await Promise.all([a.ended, b.ended]);
    expect(c.server.faults.counts.closedWatches).to.equal(2);
  });

  it('failNext answers matching requests with 429 and Retry-After, then recovers', async () => {
    c.server.faults.failNext(2, { status: 429, method: 'GET', path: /configmaps/, retryAfterSeconds: 3 });
    expect((await req('POST', CMS, { metadata: { name: 'a' } })).status).to.equal(201); // method does not match
    expect((await req('GET', '/api/v1/namespaces')).status).to.equal(200); // path does not match
    const first = await req('GET', CMS);
    expect(first.status).to.equal(429);
    expect(first.headers.get('retry-after')).to.equal('3');
    expect(first.body).to.include({ kind: 'Status', reason: 'TooManyRequests', code: 429 });
    expect(first.body.details).to.deep.equal({ retryAfterSeconds: 3 });
    expect((await req('GET', `${CMS}/a`)).status).to.equal(429);
    expect((await req('GET', `${CMS}/a`)).status).to.equal(200);
    expect(c.server.faults.counts.failedRequests).to.equal(2);
  });

  it('failNext answers with 500 InternalError and with 410 Expired', async () => {
    c.server.faults.failNext(1, { status: 500 });
    const err = await req('GET', CMS);
    expect(err.status).to.equal(500);
    expect(err.body).to.include({ reason: 'InternalError', message: 'Internal error occurred: injected fault' });
    c.server.faults.failNext(1, { status: 410, path: /watch=true/ });
    expect((await req('GET', CMS)).status).to.equal(200);
    const gone = await req('GET', `${CMS}?watch=true`);
    expect(gone.status).to.equal(410);
    expect(gone.body).to.include({ reason: 'Expired', code: 410 });
    expect(c.server.faults.injected).to.equal(2);
  });

  it('addLatency delays matching responses until cleared', async () => {
    c.server.faults.addLatency(300, { path: /configmaps/ });
    let t = Date.now();
    await req('GET', CMS);
    expect(Date.now() - t).to.be.at.least(290);
    t = Date.now();
    await req('GET', '/api/v1/namespaces');
    expect(Date.now() - t).to.be.below(250);
    c.server.faults.clearLatency();
    t = Date.now();
    await req('GET', CMS);
    expect(Date.now() - t).to.be.below(250);
    expect(c.server.faults.counts.delayedRequests).to.equal(1);
  });

  it('refuseConnections closes the listener for a while, then serves the same state on the same port', async () => {
    await req('POST', CMS, { metadata: { name: 'kept' } });
    const w = await watch(c.url, `${CMS}?watch=true`);
    await w.waitFor(1);
    const refusing = c.server.faults.refuseConnections(600);
    await w.ended;
    await new Promise((r) => setTimeout(r, 100));
    let refused: any;
    try {
      await fetch(`${c.url}/version`);
    } catch (e) {
      refused = e;
    }
    expect(refused?.cause?.code).to.equal('ECONNREFUSED');
    await refusing;
    expect((await req('GET', `${CMS}/kept`)).status).to.equal(200);
    expect(c.server.faults.counts.refusedPeriods).to.equal(1);
  });

  it('restart closes and reopens at once, keeping objects and the resourceVersion sequence', async () => {
    const before = (await req('POST', CMS, { metadata: { name: 'survivor' } })).body;
    await c.server.faults.restart();
    const after = (await req('GET', `${CMS}/survivor`)).body;
    expect(after.metadata.uid).to.equal(before.metadata.uid);
    const next = (await req('POST', CMS, { metadata: { name: 'later' } })).body;
    expect(Number(next.metadata.resourceVersion)).to.be.greaterThan(Number(before.metadata.resourceVersion));
    // A watch from before the restart resumes without a gap.
    const w = await watch(c.url, `${CMS}?watch=true&resourceVersion=${before.metadata.resourceVersion}`);
    expect((await w.waitFor(1))[0].object.metadata.name).to.equal('later');
    w.close();
    expect(c.server.faults.counts.restarts).to.equal(1);
  });
});
