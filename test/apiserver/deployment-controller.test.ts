// Issue 12 item 10: with deploymentController (what portico dev runs) the embedded server keeps a ReplicaSet per
// pod template with a revision, so the real `kubectl rollout history|undo|status` work without a cluster. There
// are no pods: ReplicaSets count as ready at once.
import { expect } from 'chai';
import { eventually, startTestCluster, type TestCluster } from '../support/test-cluster.js';

const deployment = (version: string, historyLimit = 10): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  revisionHistoryLimit: ${historyLimit}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations: {version: "${version}"}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

describe('apiserver: Deployment controller (rollout history, undo, status)', function () {
  this.timeout(60_000);
  let c: TestCluster;

  before(async () => {
    c = await startTestCluster({ deploymentController: true });
  });
  after(() => c.stop());

  const revisions = async (): Promise<string[]> => {
    const r = await c.kubectl(['rollout', 'history', 'deployment/web']);
    expect(r.code, r.stderr).to.equal(0);
    return r.stdout
      .split('\n')
      .slice(2)
      .filter((l) => /^\d+/.test(l))
      .map((l) => l.split(/\s+/)[0]);
  };
  const servedVersion = async (): Promise<string> =>
    (await c.kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations.version}']))
      .stdout;

  it('keeps a revision per template, and rollout undo goes back to the previous one', async () => {
    for (const v of ['one', 'two'])
      expect((await c.kubectl(['apply', '-f', '-'], { stdin: deployment(v) })).code).to.equal(0);
    await eventually('two revisions', async () => (await revisions()).join(',') === '1,2', 10_000, 200);
    const rs = await c.kubectl([
      'get',
      'replicasets',
      '-o',
      'custom-columns=NAME:.metadata.name,DESIRED:.spec.replicas,OWNER:.metadata.ownerReferences[0].name',
      '--no-headers',
    ]);
    expect(
      rs.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/).slice(1).join(' '))
        .sort(),
    ).to.deep.equal(['0 web', '2 web']);
    const status = await c.kubectl(['rollout', 'status', 'deployment/web', '--timeout=10s']);
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.contain('successfully rolled out');

    const undo = await c.kubectl(['rollout', 'undo', 'deployment/web']);
    expect(undo.code, undo.stderr).to.equal(0);
    expect(await servedVersion()).to.equal('one');
    // As in a cluster, the ReplicaSet brought back gets the next revision: 1 becomes 3.
    await eventually('revisions 2 and 3', async () => (await revisions()).join(',') === '2,3', 10_000, 200);
    const again = await c.kubectl(['rollout', 'undo', 'deployment/web', '--to-revision=2']);
    expect(again.code, again.stderr).to.equal(0);
    expect(await servedVersion()).to.equal('two');
  });

  it('deletes ReplicaSets beyond revisionHistoryLimit, and the rest with their Deployment', async () => {
    for (const v of ['a', 'b', 'c', 'd']) {
      expect((await c.kubectl(['apply', '-f', '-'], { stdin: deployment(v, 1) })).code).to.equal(0);
      await eventually(
        `revision for ${v}`,
        async () =>
          (
            await c.kubectl([
              'get',
              'deployment',
              'web',
              '-o',
              'jsonpath={.status.observedGeneration}/{.metadata.generation}',
            ])
          ).stdout
            .split('/')
            .every((x, _i, a) => x === a[0]),
        10_000,
        100,
      );
    }
    await eventually(
      'one old ReplicaSet kept',
      async () => (await c.kubectl(['get', 'replicasets', '-o', 'name'])).stdout.trim().split('\n').length === 2,
      10_000,
      200,
    );
    expect((await c.kubectl(['delete', 'deployment', 'web'])).code).to.equal(0);
    await eventually(
      'ReplicaSets collected',
      async () => (await c.kubectl(['get', 'replicasets', '-o', 'name'])).stdout.trim() === '',
      10_000,
      200,
    );
  });
});
