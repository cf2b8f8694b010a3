// Draining on the real world (envoy-runtime.md §3): when an Envoy pod is deleted, its preStop first fails Envoy's
// health checks, so /ready answers 503 at once and the pod turns unready (it leaves the load balancers), while the
// listeners keep serving through the drain and requests in flight finish; then Envoy exits on SIGTERM, well inside
// the grace period. (A client looping through a whole rollout: test/real/rollout.test.ts.)
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { gatewayRequest, type GatewayResponse } from '../support/gateway-client.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { waitUntil } from '../world/processes.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const NS = 'edge-drain';

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  status?: { podIP?: string; conditions?: { type: string; status: string }[] };
}

const isReady = (p: Pod) => !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

describe('real world: a deleted Envoy pod leaves the load balancers first, then drains', function () {
  this.timeout(240_000);
  let world: World;

  const envoyPods = async () =>
    (
      await world.rest.must<{ items: Pod[] }>(
        'GET',
        `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Denvoy`,
      )
    ).items;

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    for (const doc of [
      namespaceYaml(NS),
      echoBackendYaml('drain', NS),
      mappingYaml('drain', NS, { prefix: '/drain/', service: 'drain' }),
    ]) {
      const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
      expect(r.code, r.stderr).to.equal(0);
    }
    await world.waitForRollout(NS, 'drain');
    await world.settled();
    await waitUntil(
      'two Ready Envoy pods, none terminating',
      async () => {
        const pods = await envoyPods();
        return pods.length === 2 && pods.every((p) => isReady(p) && !p.metadata.deletionTimestamp);
      },
      120_000,
    );
  });

  after(async () => {
    await world?.waitForRollout(PORTICO_NAMESPACE, 'portico-envoy');
  });

  it('answers 503 on /ready as soon as preStop starts, turns unready, serves and finishes requests, then exits', async () => {
    const victim = (await envoyPods())[0];
    const name = victim.metadata.name;
    const pod = `http://${victim.status!.podIP}`;
    const worker = world.kubelet.pod(PORTICO_NAMESPACE, name)!;
    expect((await gatewayRequest(`${pod}:8002`, { path: '/ready' })).status).to.equal(200);

    // A request in flight when the pod is deleted: 8 s at the upstream.
    const inFlight: Promise<GatewayResponse & { at?: number }> = gatewayRequest(`${pod}:8080`, {
      path: '/drain/slow',
      headers: { 'x-set-response-delay-ms': '8000' },
      timeoutMs: 30_000,
    }).then((r) => ({ ...r, at: Date.now() }));
    await new Promise((r) => setTimeout(r, 500));

    const t0 = Date.now();
    const del = await world.kubectl(['-n', PORTICO_NAMESPACE, 'delete', 'pod', name, '--wait=false']);
    expect(del.code, del.stderr).to.equal(0);

    await waitUntil(
      '/ready to answer 503',
      async () => (await gatewayRequest(`${pod}:8002`, { path: '/ready' })).status === 503,
      10_000,
    );
    const ready503 = Date.now() - t0;
    expect(ready503, 'ms from delete to /ready 503').to.be.below(2_000);

    await waitUntil(
      'the pod to turn unready',
      async () => {
        const p = await world.rest.must<Pod>('GET', `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods/${name}`);
        return !isReady(p);
      },
      15_000,
    );
    const unready = Date.now() - t0;
    // Three failed probes, 2 s apart (the Deployment's readinessProbe), and a status write.
    expect(unready, 'ms from delete to Ready=False').to.be.below(9_000);

    // Still draining: a client that has not yet heard of it is served, and told to close its connection.
    const late = await gatewayRequest(`${pod}:8080`, { path: '/drain/late' });
    expect([late.status, late.headers.connection]).to.deep.equal([200, 'close']);

    const slow = await inFlight;
    expect(slow.status, 'the request in flight').to.equal(200);
    expect(slow.at! - t0, 'it finished after the pod turned unready').to.be.above(unready);

    await waitUntil(
      'the pod to be gone',
      async () => {
        const r = await world.rest.request('GET', `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods/${name}`);
        return r.status === 404;
      },
      60_000,
    );
    const gone = Date.now() - t0;
    expect(gone, 'ms from delete to gone: the 15 s drain, then an exit inside the 40 s grace period').to.be.within(
      15_000,
      38_000,
    );
    const log = readFileSync(worker.logPath('envoy')!, 'utf8');
    expect(log, 'Envoy stopped on SIGTERM after the preStop, not killed')
      .to.include('caught ENVOY_SIGTERM')
      .and.include('exiting');
    const events = await world.rest.must<{ items: { reason: string; involvedObject: { name: string } }[] }>(
      'GET',
      `/api/v1/namespaces/${PORTICO_NAMESPACE}/events?fieldSelector=involvedObject.name%3D${name}`,
    );
    expect(events.items.map((e) => e.reason)).not.to.include('FailedPreStopHook');
  });
});
