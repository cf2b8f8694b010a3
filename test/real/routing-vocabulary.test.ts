// Issue 14's fields on the real world: Mappings applied with the real kubectl to the real kube-apiserver (which
// keeps the fields: the CRD schema declares them), the operator publishes, the real controller manager rolls Envoy
// 1.40, and requests go through real Envoy to echo pods. test/envoy-real/routing-vocabulary.test.ts shows every
// field on a local Envoy; this shows the common ones end to end.
import { expect } from 'chai';
import { gatewayRequest } from '../support/gateway-client.js';
import { realWorld, type World } from '../world/world.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const NS = 'routing';

describe('real world: Emissary’s routing vocabulary through real Envoy', function () {
  this.timeout(300_000);
  let world: World;
  let gateway: string;
  const podOf = async (path: string, opts: { method?: string; headers?: Record<string, string> } = {}) => {
    const r = await gatewayRequest(gateway, { path, ...opts });
    return r.json?.os?.hostname?.split('-')[0] ?? `HTTP ${r.status}`;
  };

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    gateway = world.gatewayUrl('http');
    const apply = async (doc: string) => {
      const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
      expect(r.code, r.stderr).to.equal(0);
    };
    await apply(namespaceYaml(NS));
    await apply(echoBackendYaml('stable', NS));
    await apply(echoBackendYaml('canary', NS));
    await world.waitForRollout(NS, 'stable');
    await world.waitForRollout(NS, 'canary');
    await apply(
      [
        mappingYaml('m-get', NS, { prefix: '/m/', service: 'canary', method: 'GET' }),
        mappingYaml('m-all', NS, { prefix: '/m/', service: 'stable' }),
        mappingYaml('h-beta', NS, { prefix: '/h/', service: 'canary', headers: [{ name: 'x-beta', value: '1' }] }),
        mappingYaml('h-all', NS, { prefix: '/h/', service: 'stable' }),
        mappingYaml('c-main', NS, { prefix: '/c/', service: 'stable' }),
        mappingYaml('c-canary', NS, { prefix: '/c/', service: 'canary', weight: 10 }),
        mappingYaml('slow', NS, { prefix: '/slow/', service: 'stable', timeout: '500ms' }),
      ].join('---\n'),
    );
    await world.settled();
  });

  it('the API server keeps the fields, and every Mapping is Accepted and Programmed', async () => {
    const r = await world.kubectl(['-n', NS, 'get', 'mappings', '-o', 'json']);
    const items = JSON.parse(r.stdout).items as Array<{
      metadata: { name: string };
      spec: Record<string, unknown>;
      status?: { conditions?: Array<{ type: string; status: string }> };
    }>;
    const byName = Object.fromEntries(items.map((m) => [m.metadata.name, m]));
    expect(byName['m-get'].spec.method).to.equal('GET');
    expect(byName['c-canary'].spec.weight).to.equal(10);
    expect(byName.slow.spec.timeout).to.equal('500ms');
    for (const m of items) {
      const of = (type: string) => m.status?.conditions?.find((c) => c.type === type)?.status;
      expect([of('Accepted'), of('Programmed')], m.metadata.name).to.deep.equal(['True', 'True']);
    }
  });

  it('method: GET goes to the GET-only Mapping, POST to the catch-all', async () => {
    expect(await podOf('/m/x')).to.equal('canary');
    expect(await podOf('/m/x', { method: 'POST' })).to.equal('stable');
  });

  it('headers: x-beta: 1 goes to the header-constrained Mapping, other requests to the unconstrained one', async () => {
    expect(await podOf('/h/x', { headers: { 'x-beta': '1' } })).to.equal('canary');
    expect(await podOf('/h/x')).to.equal('stable');
  });

  it('weight: the 10 % canary gets 10 ± 3 % of 2,000 requests', async () => {
    const counts: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < 2000) {
        next++;
        const who = await podOf('/c/x');
        counts[who] = (counts[who] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(Object.keys(counts).sort()).to.deep.equal(['canary', 'stable']);
    expect((100 * counts.canary) / 2000, JSON.stringify(counts)).to.be.within(7, 13);
  });

  it('timeout: a 2 s answer from the pod becomes a 504 after 500 ms', async () => {
    const started = Date.now();
    const r = await gatewayRequest(gateway, { path: '/slow/x', headers: { 'x-set-response-delay-ms': '2000' } });
    expect(r.status).to.equal(504);
    expect(Date.now() - started).to.be.below(1800);
    expect((await gatewayRequest(gateway, { path: '/slow/x' })).status).to.equal(200);
  });
});
