// The seed's flow on the real world: examples/ applied with the real kubectl to the real kube-apiserver, the
// operator (from manifests/, as its ServiceAccount) publishes, the real controller manager rolls Envoy 1.40, and
// requests go through real Envoy to the echo pods.
import { expect } from 'chai';
import { join } from 'node:path';
import { gatewayRequest } from '../support/gateway-client.js';
import { eventually } from '../support/test-cluster.js';
import { REPO_ROOT } from '../world/kubelet/images.js';
import { realWorld, type World } from '../world/world.js';

describe('real world: the seed flow through real Envoy', function () {
  this.timeout(180_000);
  let world: World;
  let gateway: string;

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    gateway = world.gatewayUrl('http');
    for (const f of ['usersvc.yaml', 'gruesvc.yaml']) {
      const r = await world.kubectl(['apply', '-f', join(REPO_ROOT, 'examples', f)]);
      expect(r.code, r.stderr).to.equal(0);
    }
    await world.waitForRollout('default', 'usersvc');
    await world.waitForRollout('default', 'gruesvc');
    await world.settled();
  });

  it('lists both Mappings as Programmed with kubectl get mappings', async function () {
    await eventually(
      'both Mappings Programmed',
      async () => {
        const r = await world.kubectl(['get', 'mappings']);
        const rows = r.stdout.trim().split('\n').slice(1);
        return rows.length === 2 && rows.every((row) => /\bTrue\b/.test(row));
      },
      60_000,
      500,
    );
  });

  it('/user/health reaches usersvc as /health', async function () {
    const res = await gatewayRequest(gateway, { path: '/user/health' });
    expect(res.status).to.equal(200);
    expect(res.json.os.hostname).to.match(/^usersvc-/);
    expect(res.json.path).to.equal('/health');
    expect(res.headers.server).to.equal('envoy');
  });

  it('/grue/health reaches gruesvc as /grue/health', async function () {
    const res = await gatewayRequest(gateway, { path: '/grue/health' });
    expect(res.status).to.equal(200);
    expect(res.json.os.hostname).to.match(/^gruesvc-/);
    expect(res.json.path).to.equal('/grue/health');
  });

  it('answers 404 for a path no Mapping claims', async function () {
    const r = await gatewayRequest(gateway, { path: '/nothing-here' });
    expect(r.status).to.equal(404);
  });

  it('kubectl delete mapping usermapping makes /user/ 404', async function () {
    const del = await world.kubectl(['delete', 'mapping', 'usermapping']);
    expect(del.code, del.stderr).to.equal(0);
    await world.settled();
    expect((await gatewayRequest(gateway, { path: '/user/health' })).status).to.equal(404);
    // The other Mapping is untouched.
    expect((await gatewayRequest(gateway, { path: '/grue/x' })).status).to.equal(200);
  });
});
