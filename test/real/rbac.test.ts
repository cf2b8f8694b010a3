// RBAC on the real world: the operator runs as its ServiceAccount with exactly the permissions rendered from
// manifests/ (every other real-world test depends on that). Taking one verb away makes it fail loudly: a log line
// naming what was forbidden, and a status on the objects that says so, within seconds, not a hang.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { eventually } from '../support/test-cluster.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const NS = 'rbac-world';

describe('real world: the operator with the manifests’ RBAC', function () {
  this.timeout(240_000);
  let world: World;

  const operatorLog = async (): Promise<string> => {
    const pods = await world.rest.must<{ items: { metadata: { name: string } }[] }>(
      'GET',
      `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Doperator`,
    );
    return pods.items
      .map((p) => world.kubelet.pod(PORTICO_NAMESPACE, p.metadata.name)?.logPath('operator'))
      .map((path) => (path ? readFileSync(path, 'utf8') : ''))
      .join('\n');
  };
  let original: string | undefined;
  const restoreRole = async () => {
    if (!original) return;
    const r = await world.kubectl(['replace', '-f', '-'], { stdin: original });
    expect(r.code, r.stderr).to.equal(0);
    original = undefined;
  };

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    for (const doc of [namespaceYaml(NS), echoBackendYaml('rbacsvc', NS)]) {
      const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
      expect(r.code, r.stderr).to.equal(0);
    }
  });

  after(async function () {
    await restoreRole();
    await world.settled();
  });

  it('runs as system:serviceaccount:portico-system:portico-operator, which may not do more than the manifests grant', async function () {
    const as = ['--as', 'system:serviceaccount:portico-system:portico-operator'];
    const can = async (...args: string[]) => (await world.kubectl(['auth', 'can-i', ...args, ...as])).stdout.trim();
    expect(await can('patch', 'deployments/portico-envoy', '-n', PORTICO_NAMESPACE)).to.equal('yes');
    expect(await can('patch', 'deployments/other', '-n', PORTICO_NAMESPACE)).to.equal('no');
    expect(await can('create', 'secrets', '-n', 'default')).to.equal('no');
    expect(await can('get', 'secrets', '-n', 'default')).to.equal('no');
    expect(await can('list', 'secrets', '-n', 'default')).to.equal('yes');
    expect(await can('update', 'mappings', '--subresource=status', '-n', 'default')).to.equal('yes');
    expect(await can('update', 'mappings', '-n', 'default')).to.equal('no');
  });

  it('without patch on the Envoy Deployment, says so in its log and on the Mapping’s status', async function () {
    const role = await world.kubectl(['-n', PORTICO_NAMESPACE, 'get', 'role', 'portico-operator', '-o', 'json']);
    const obj = JSON.parse(role.stdout);
    original = JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } });
    const rule = obj.rules.find((r: { resources: string[] }) => r.resources.includes('deployments'));
    rule.verbs = rule.verbs.filter((v: string) => v !== 'patch');
    const put = await world.kubectl(['replace', '-f', '-'], { stdin: JSON.stringify(obj) });
    expect(put.code, put.stderr).to.equal(0);

    const apply = await world.kubectl(['apply', '-f', '-'], {
      stdin: mappingYaml('rbac-probe', NS, { prefix: '/rbac-probe/', service: 'rbacsvc' }),
    });
    expect(apply.code, apply.stderr).to.equal(0);

    const programmed = await eventually(
      'Programmed=False naming the forbidden patch',
      async () => {
        const m = JSON.parse((await world.kubectl(['-n', NS, 'get', 'mapping', 'rbac-probe', '-o', 'json'])).stdout);
        const c = (m.status?.conditions ?? []).find((x: { type: string }) => x.type === 'Programmed');
        return c?.status === 'False' && /forbidden/i.test(c.message) ? c : undefined;
      },
      30_000,
      500,
    );
    expect(programmed.message)
      .to.match(/patch/)
      .and.to.match(/deployments/);
    const log = await operatorLog();
    expect(log).to.match(/forbidden/i);
    expect(log).to.match(/cannot patch resource \\"deployments\\"|cannot patch resource "deployments"/);

    await restoreRole();
    await eventually(
      'Programmed=True once the verb is back',
      async () => {
        const m = JSON.parse((await world.kubectl(['-n', NS, 'get', 'mapping', 'rbac-probe', '-o', 'json'])).stdout);
        return (m.status?.conditions ?? []).some(
          (x: { type: string; status: string }) => x.type === 'Programmed' && x.status === 'True',
        );
      },
      60_000,
      500,
    );
  });
});
