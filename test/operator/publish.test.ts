// The seed's flow through the operator: kubectl apply -f examples/ → config published, Envoy rolled, statuses
// written; a change rolls exactly once; an unchanged re-apply writes nothing; a delete removes the route;
// old generations are garbage-collected.
import { expect } from 'chai';
import { join } from 'node:path';
import type { TestCluster } from '../support/test-cluster.js';
import type { RunningOperator } from '../../operator/operator.js';
import {
  REPO,
  clusterWithEnvoy,
  runOperator,
  kubectlOk,
  http,
  envoyDeployment,
  publishedObjects,
  envoyConfig,
  routesOf,
  customObject,
  waitForCondition,
  eventually,
  metrics,
  metricValue,
} from './harness.js';

describe('operator: publishing the seed examples', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let op: RunningOperator;

  before(async () => {
    cluster = await clusterWithEnvoy();
    op = await runOperator(cluster);
    await kubectlOk(cluster, ['apply', '-f', join(REPO, 'examples')]);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
    await waitForCondition(cluster, 'mappings', 'gruemapping', 'Programmed', 'True');
  });
  after(async () => {
    await op?.stop();
    await cluster?.stop();
  });

  it('publishes the ConfigMap and Secret and points the Deployment at them', async () => {
    const d = await envoyDeployment(cluster);
    expect(d.hash).to.match(/^[0-9a-f]{10}$/);
    expect(d.configMap).to.equal(`portico-envoy-${d.hash}`);
    expect(d.secret).to.equal(`portico-certs-${d.hash}`);
    // (the operator may have published the empty config first, before the examples arrived)
    const published = Object.keys(await publishedObjects(cluster));
    expect(published).to.include.members([`ConfigMap:portico-envoy-${d.hash}`, `Secret:portico-certs-${d.hash}`]);
    const cm = JSON.parse(
      await kubectlOk(cluster, [
        'get',
        'configmap',
        '-n',
        'portico-system',
        `portico-envoy-${d.hash}`,
        '-o',
        'json',
        '--show-managed-fields',
      ]),
    );
    expect(cm.immutable).to.equal(true);
    expect(cm.metadata.labels).to.include({
      'app.kubernetes.io/managed-by': 'portico',
      'portico.dev/config-hash': d.hash,
    });
    expect(cm.metadata.managedFields.map((f: any) => `${f.manager}/${f.operation}`)).to.include('portico/Apply');
    expect((await http(op.httpPort, '/readyz')).status).to.equal(200);
  });

  it('routes /user/ (rewritten to /) and /grue/ (path kept) as the seed says', async () => {
    const { hash } = await envoyDeployment(cluster);
    const routes = routesOf(await envoyConfig(cluster, hash!)).filter((r) => r.domains.includes('*'));
    const user = routes.find((r) => r.prefix === '/user/');
    const grue = routes.find((r) => r.prefix === '/grue/');
    expect(user?.cluster).to.match(/usersvc/);
    expect(user?.prefixRewrite).to.equal('/');
    expect(grue?.cluster).to.match(/gruesvc/);
    expect(grue?.prefixRewrite === undefined || grue?.prefixRewrite === '/grue/').to.equal(true);
  });

  it('shows both Mappings Programmed=True in kubectl get mappings, and in /portico/v1/mappings', async () => {
    const out = await kubectlOk(cluster, ['get', 'mappings']);
    const lines = out.trim().split('\n');
    const col = lines[0].split(/\s+/).indexOf('PROGRAMMED');
    expect(col).to.be.greaterThan(0);
    for (const name of ['usermapping', 'gruemapping']) {
      const row = lines.find((l) => l.startsWith(`${name} `))!.split(/\s+/);
      expect(row[col], name).to.equal('True');
    }
    const diag = JSON.parse((await http(op.httpPort, '/portico/v1/mappings')).body);
    expect(diag.count).to.equal(diag.mappings.length);
    const user = diag.mappings.find((m: any) => m.name === 'usermapping');
    expect(user).to.include({ prefix: '/user/', rewrite: '/', service: 'usersvc', state: 'Programmed' });
    const config = JSON.parse((await http(op.httpPort, '/portico/v1/config')).body);
    expect(config.hash).to.equal((await envoyDeployment(cluster)).hash);
    const health = JSON.parse((await http(op.httpPort, '/portico/v1/health')).body);
    expect(health).to.include({ ok: true });
    expect(health.version).to.match(/^\d+\.\d+\.\d+/);
  });

  it('re-applying unchanged objects, or touching what the compiler ignores, writes nothing', async () => {
    const text0 = await metrics(op);
    const runs0 = metricValue(text0, 'portico_reconcile_duration_seconds_count');
    const writes0 = metricValue(text0, 'portico_api_writes_total');
    const deployment0 = await envoyDeployment(cluster);
    const published0 = await publishedObjects(cluster);
    await kubectlOk(cluster, ['apply', '-f', join(REPO, 'examples')]);
    // An annotation reaches the operator as an update event and a recompile, which yields the same config.
    await kubectlOk(cluster, ['label', 'service', 'usersvc', 'touched=yes']);
    const m0 = await customObject(cluster, 'mappings', 'gruemapping');
    await kubectlOk(cluster, ['annotate', 'mapping', 'gruemapping', 'example.com/note=hello']);
    await eventually(
      'a reconcile after the annotation',
      async () => metricValue(await metrics(op), 'portico_reconcile_duration_seconds_count') > runs0,
      5000,
      50,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(metricValue(await metrics(op), 'portico_api_writes_total')).to.equal(writes0);
    expect(await envoyDeployment(cluster)).to.deep.equal(deployment0);
    expect(await publishedObjects(cluster)).to.deep.equal(published0);
    const m1 = await customObject(cluster, 'mappings', 'gruemapping');
    expect(Number(m1.metadata.resourceVersion)).to.be.greaterThan(Number(m0.metadata.resourceVersion)); // the annotate
    expect(m1.status).to.deep.equal(m0.status);
  });

  it('a changed Mapping gives a new config and exactly one rollout', async () => {
    const before = await envoyDeployment(cluster);
    await kubectlOk(cluster, [
      'patch',
      'mapping',
      'usermapping',
      '--type=merge',
      '-p',
      '{"spec":{"prefix":"/users/"}}',
    ]);
    const after = await eventually(
      'new config hash',
      async () => {
        const d = await envoyDeployment(cluster);
        return d.hash !== before.hash ? d : undefined;
      },
      8000,
      50,
    );
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
    expect(after.generation).to.equal(before.generation + 1);
    const routes = routesOf(await envoyConfig(cluster, after.hash!));
    expect(routes.some((r) => r.prefix === '/users/')).to.equal(true);
    expect(routes.some((r) => r.prefix === '/user/')).to.equal(false);
    // settled: no second rollout follows
    await new Promise((r) => setTimeout(r, 400));
    expect((await envoyDeployment(cluster)).generation).to.equal(before.generation + 1);
  });

  it('kubectl delete mapping removes its route', async () => {
    const before = await envoyDeployment(cluster);
    await kubectlOk(cluster, ['delete', 'mapping', 'gruemapping']);
    const after = await eventually(
      'config without /grue/',
      async () => {
        const d = await envoyDeployment(cluster);
        return d.hash !== before.hash ? d : undefined;
      },
      8000,
      50,
    );
    const routes = routesOf(await envoyConfig(cluster, after.hash!));
    expect(routes.some((r) => r.prefix === '/grue/')).to.equal(false);
    expect(routes.some((r) => r.prefix === '/users/')).to.equal(true);
    await eventually(
      'gruemapping gone from /portico/v1/mappings',
      async () => {
        const diag = JSON.parse((await http(op.httpPort, '/portico/v1/mappings')).body);
        return !diag.mappings.some((m: any) => m.name === 'gruemapping');
      },
      5000,
      50,
    );
  });

  it('keeps the newest three generations plus what the Deployment references', async () => {
    for (const p of ['/a/', '/b/', '/c/', '/d/']) {
      const before = await envoyDeployment(cluster);
      await kubectlOk(cluster, [
        'patch',
        'mapping',
        'usermapping',
        '--type=merge',
        '-p',
        JSON.stringify({ spec: { prefix: p } }),
      ]);
      await eventually(`rollout for ${p}`, async () => (await envoyDeployment(cluster)).hash !== before.hash, 8000, 50);
    }
    const d = await envoyDeployment(cluster);
    // garbage collection follows the rollout
    const published = await eventually(
      'old generations collected',
      async () => {
        const names = Object.keys(await publishedObjects(cluster));
        return names.length === 6 ? names : undefined;
      },
      5000,
      50,
    );
    expect(published).to.include(`ConfigMap:${d.configMap}`);
    expect(published).to.include(`Secret:${d.secret}`);
    expect(
      published.filter((n) => n.startsWith('ConfigMap:')),
      published.join(),
    ).to.have.length(3);
    expect(published.filter((n) => n.startsWith('Secret:'))).to.have.length(3);
  });
});
