// The real kubectl (1.32) against the embedded API server: CRDs, client-side and server-side apply, printer
// columns, -o yaml, get -w, delete with finalizers, explain, and the 422 a schema-invalid Mapping gets.
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { join } from 'node:path';
import { eventually, startTestCluster, type TestCluster } from '../support/test-cluster.js';

const WIDGET_CRD = join(import.meta.dirname, 'fixtures', 'widgets-crd.yaml');

const mapping = (name: string, prefix: string, extra = ''): string => `apiVersion: portico.dev/v1alpha1
kind: Mapping
metadata:
  name: ${name}
  namespace: default
spec:
  prefix: ${prefix}
  service: usersvc
${extra}`;

describe('apiserver: kubectl', function () {
  this.timeout(30_000);
  let c: TestCluster;
  let co: k8s.CustomObjectsApi;

  before(async () => {
    c = await startTestCluster({ crds: true });
    co = c.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  });
  after(() => c.stop());

  const rvOf = async (resource: string) =>
    (await c.kubectl(['get', resource, '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;

  it('applies a CRD and serves its resource at once (discovery, Established)', async () => {
    const r = await c.kubectl(['apply', '-f', WIDGET_CRD]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('customresourcedefinition.apiextensions.k8s.io/widgets.example.portico.dev created');
    const established = await c.kubectl([
      'get',
      'crd',
      'widgets.example.portico.dev',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    ]);
    expect(established.stdout).to.equal('True');
    const list = await c.kubectl(['get', 'wdg']);
    expect(list.code, list.stderr).to.equal(0);
    expect(list.stderr).to.contain('No resources found in default namespace.');
  });

  it('client-side apply creates, re-apply is unchanged without a new resourceVersion, a change configures', async () => {
    let r = await c.kubectl(['apply', '-f', '-'], { stdin: mapping('quote', '/quote/') });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('mapping.portico.dev/quote created');
    const rv1 = await rvOf('mapping/quote');
    r = await c.kubectl(['apply', '-f', '-'], { stdin: mapping('quote', '/quote/') });
    expect(r.stdout.trim()).to.equal('mapping.portico.dev/quote unchanged');
    expect(await rvOf('mapping/quote')).to.equal(rv1);
    r = await c.kubectl(['apply', '-f', '-'], { stdin: mapping('quote', '/quote2/') });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('mapping.portico.dev/quote configured');
    expect(Number(await rvOf('mapping/quote'))).to.be.greaterThan(Number(rv1));
    const gen = await c.kubectl(['get', 'mapping', 'quote', '-o', 'jsonpath={.metadata.generation}']);
    expect(gen.stdout).to.equal('2');
  });

  it('prints the CRD printer columns, JSONPath filter and human ages', async () => {
    const obj = await co.getNamespacedCustomObject({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'mappings',
      name: 'quote',
    });
    obj.status = {
      observedGeneration: 2,
      conditions: [
        {
          type: 'Programmed',
          status: 'True',
          reason: 'Programmed',
          message: 'ok',
          lastTransitionTime: '2024-01-01T00:00:00Z',
        },
      ],
    };
    await co.replaceNamespacedCustomObjectStatus({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'mappings',
      name: 'quote',
      body: obj,
    });
    const r = await c.kubectl(['get', 'mappings']);
    expect(r.code, r.stderr).to.equal(0);
    const [header, row] = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    expect(header).to.deep.equal(['NAME', 'PREFIX', 'SERVICE', 'REWRITE', 'PROGRAMMED', 'AGE']);
    expect(row.slice(0, 5)).to.deep.equal(['quote', '/quote2/', 'usersvc', '/', 'True']);
    expect(row[5]).to.match(/^\d+s$/);
    const wide = await c.kubectl(['get', 'map', 'quote', '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]).to.match(/NAME\s+PREFIX\s+SERVICE\s+REWRITE\s+HOST\s+PROGRAMMED\s+AGE/);
  });

  it('get -o yaml returns the stored object with defaults and last-applied annotation', async () => {
    const r = await c.kubectl(['get', 'mapping', 'quote', '-o', 'yaml', '--show-managed-fields']);
    expect(r.code, r.stderr).to.equal(0);
    const obj = yaml.load(r.stdout) as any;
    expect(obj.kind).to.equal('Mapping');
    expect(obj.spec).to.deep.equal({ prefix: '/quote2/', service: 'usersvc', rewrite: '/' });
    expect(obj.metadata.uid).to.match(/^[0-9a-f-]{36}$/);
    expect(obj.metadata.creationTimestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(obj.metadata.annotations).to.have.property('kubectl.kubernetes.io/last-applied-configuration');
    expect(obj.metadata.managedFields.map((m: any) => m.manager)).to.include('kubectl-client-side-apply');
  });

  it('get -w prints a Table row for an update', async () => {
    const w = c.kubectlBackground(['get', 'mappings', '-w'], { timeoutMs: 15_000 });
    await eventually('initial row', () => w.output().includes('/quote2/'));
    await c.kubectl(['patch', 'mapping', 'quote', '--type=merge', '-p', '{"spec":{"prefix":"/watched/"}}']);
    await eventually('updated row', () => /quote\s+\/watched\/\s+usersvc/.test(w.output()), 8000);
    w.kill();
    await w.done;
    expect(w.output().split('\n')[0]).to.match(/^NAME\s+PREFIX/);
  });

  it('refuses a schema-invalid Mapping with a 422 naming the field', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], { stdin: mapping('bad', 'no-slash') });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(
      'The Mapping "bad" is invalid: spec.prefix: Invalid value: "no-slash": must start with "/"',
    );
    const missing = await c.kubectl(['apply', '-f', '-'], {
      stdin: 'apiVersion: portico.dev/v1alpha1\nkind: Mapping\nmetadata: {name: nosvc}\nspec: {prefix: /x/}\n',
    });
    expect(missing.stderr).to.contain('spec.service: Required value');
  });

  it('strict field validation refuses unknown fields; --validate=warn prints the server warning', async () => {
    const strict = await c.kubectl(['apply', '-f', '-'], { stdin: mapping('extra', '/extra/', '  colour: blue\n') });
    expect(strict.code).to.equal(1);
    expect(strict.stderr).to.contain('strict decoding error: unknown field "spec.colour"');
    const warn = await c.kubectl(['apply', '--validate=warn', '-f', '-'], {
      stdin: mapping('extra', '/extra/', '  colour: blue\n'),
    });
    expect(warn.code, warn.stderr).to.equal(0);
    expect(warn.stderr).to.contain('Warning: unknown field "spec.colour"');
    const stored = await c.kubectl(['get', 'mapping', 'extra', '-o', 'json']);
    expect(JSON.parse(stored.stdout).spec).to.not.have.property('colour');
  });

  it('server-side apply creates and updates, conflicts between managers, --force-conflicts wins', async () => {
    let r = await c.kubectl(['apply', '--server-side', '-f', '-'], { stdin: mapping('ssa', '/ssa/') });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('mapping.portico.dev/ssa serverside-applied');
    r = await c.kubectl(['apply', '--server-side', '-f', '-'], { stdin: mapping('ssa', '/ssa2/') });
    expect(r.code, r.stderr).to.equal(0);
    r = await c.kubectl(['apply', '--server-side', '--field-manager=intruder', '-f', '-'], {
      stdin: mapping('ssa', '/mine/'),
    });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/conflict/i);
    expect(r.stderr).to.contain('.spec.prefix');
    r = await c.kubectl(['apply', '--server-side', '--field-manager=intruder', '--force-conflicts', '-f', '-'], {
      stdin: mapping('ssa', '/mine/'),
    });
    expect(r.code, r.stderr).to.equal(0);
    const obj = JSON.parse((await c.kubectl(['get', 'mapping', 'ssa', '-o', 'json'])).stdout);
    expect(obj.spec.prefix).to.equal('/mine/');
  });

  it('client-side apply of built-ins uses strategic merge (Deployment generation, ConfigMap)', async () => {
    const deploy = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
`;
    let r = await c.kubectl(['apply', '-f', '-'], { stdin: deploy('nginx:1') });
    expect(r.code, r.stderr).to.equal(0);
    r = await c.kubectl(['apply', '-f', '-'], { stdin: deploy('nginx:2') });
    expect(r.stdout.trim()).to.equal('deployment.apps/web configured');
    const d = JSON.parse((await c.kubectl(['get', 'deploy', 'web', '-o', 'json'])).stdout);
    expect(d.metadata.generation).to.equal(2);
    expect(d.spec.template.spec.containers[0].image).to.equal('nginx:2');
    expect(d.spec.replicas).to.equal(1);
    const table = await c.kubectl(['get', 'deployments']);
    expect(table.stdout.split('\n')[0]).to.match(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
  });

  it('deletes, and with a finalizer waits until the finalizer is removed', async () => {
    let r = await c.kubectl(['delete', 'mapping', 'extra']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('mapping.portico.dev "extra" deleted');
    r = await c.kubectl(['get', 'mapping', 'extra']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('Error from server (NotFound): mappings.portico.dev "extra" not found');

    await c.kubectl(['apply', '-f', '-'], {
      stdin: mapping('held', '/held/').replace(
        '  namespace: default\n',
        '  namespace: default\n  finalizers: [portico.dev/test]\n',
      ),
    });
    const del = c.kubectlBackground(['delete', 'mapping', 'held'], { timeoutMs: 15_000 });
    const marked = await eventually('deletionTimestamp', async () => {
      const o = await co.getNamespacedCustomObject({
        group: 'portico.dev',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'mappings',
        name: 'held',
      });
      return o.metadata.deletionTimestamp ? o : undefined;
    });
    expect(marked.metadata.finalizers).to.deep.equal(['portico.dev/test']);
    // kubectl is still waiting (list+watch with fieldSelector metadata.name=held).
    await new Promise((r2) => setTimeout(r2, 300));
    await c.kubectl([
      'patch',
      'mapping',
      'held',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    ]);
    const done = await del.done;
    expect(done.code, done.stderr).to.equal(0);
    expect(done.stdout).to.contain('mapping.portico.dev "held" deleted');
    expect((await c.kubectl(['get', 'mapping', 'held'])).code).to.equal(1);
  });

  it('explains a custom resource from /openapi/v3', async () => {
    const r = await c.kubectl(['explain', 'mapping.spec']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('KIND:       Mapping');
    expect(r.stdout).to.match(/prefix\s+<string> -required-/);
  });
});
