// The real CLI, spawned as a user would (npx tsx operator/cli.ts …): render the examples, validate a file with
// one bad Mapping, help and usage errors.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { routeRequest } from '../../operator/devgateway/route-model.js';

type Run = { code: number | null; stdout: string; stderr: string };

/** Exactly as a user runs it from a checkout. */
function npxPortico(...args: string[]): Run {
  const r = spawnSync('npx', ['tsx', 'operator/cli.ts', ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same entry point without npx's start-up cost, for the remaining cases. */
function portico(...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'operator/cli.ts', ...args], {
    encoding: 'utf8',
    timeout: 60000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BAD = `
apiVersion: portico.dev/v1alpha1
kind: Mapping
metadata: {name: good-one}
spec: {prefix: /good/, service: usersvc}
---
apiVersion: portico.dev/v1alpha1
kind: Mapping
metadata: {name: bad-one, namespace: shop}
spec: {prefix: bad, service: usersvc}
---
apiVersion: v1
kind: Service
metadata: {name: usersvc}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated}
`;

describe('portico render / validate (CLI)', function () {
  this.timeout(120000);
  const dir = mkdtempSync(join(tmpdir(), 'portico-cli-'));
  const badFile = join(dir, 'bad.yaml');
  writeFileSync(badFile, BAD);

  it('render -f examples/ prints a valid config routing /user/ and /grue/ as the seed says', () => {
    const r = npxPortico('render', '-f', 'examples/', '--now', '2030-01-01T00:00:00Z');
    expect(r.code, r.stderr).to.equal(0);
    const bootstrap = JSON.parse(r.stdout);
    expect(validateEnvoyBootstrap(bootstrap)).to.deep.equal([]);
    expect(routeRequest(bootstrap, { port: 8080, host: 'gw', path: '/user/health' })).to.include({
      kind: 'forward',
      path: '/health',
      cluster: 'default_usersvc_80',
    });
    expect(routeRequest(bootstrap, { port: 8080, host: 'gw', path: '/grue/x' })).to.include({
      kind: 'forward',
      path: '/grue/x',
      cluster: 'default_gruesvc_80',
    });
    expect(r.stderr).to.match(/warning: .*ignoring Deployment\/default\/usersvc/);
  });

  it('render -o yaml --status prints the config and the statuses', () => {
    const r = portico('render', '-f', badFile, '-o', 'yaml', '--status', '--now', '2030-01-01T00:00:00Z');
    expect(r.code, r.stderr).to.equal(0);
    const doc = yaml.load(r.stdout) as {
      envoy: object;
      statuses: Array<{
        name: string;
        namespace: string;
        conditions: Array<{ type: string; status: string; message: string }>;
      }>;
    };
    expect(validateEnvoyBootstrap(doc.envoy)).to.deep.equal([]);
    const bad = doc.statuses.find((s) => s.name === 'bad-one');
    expect(bad?.namespace).to.equal('shop');
    expect(bad?.conditions[0]).to.include({ type: 'Accepted', status: 'False' });
    expect(bad?.conditions[0].message).to.match(/^spec\.prefix: /);
    expect(doc.statuses.find((s) => s.name === 'good-one')?.conditions[0]).to.include({ status: 'True' });
    expect(r.stderr).to.match(/ignoring ConfigMap\/default\/unrelated/);
  });

  it('validate exits 1 and names the bad Mapping, one line per rejected object', () => {
    const r = npxPortico('validate', '-f', badFile);
    expect(r.code).to.equal(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^Mapping\/shop\/bad-one spec\.prefix: /);
  });

  it('validate exits 0 on the examples', () => {
    const r = portico('validate', '-f', 'examples/');
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.equal('');
  });

  it('validate treats missing Services as warnings, or errors with --strict-refs', () => {
    const f = join(dir, 'refs.yaml');
    writeFileSync(
      f,
      'apiVersion: portico.dev/v1alpha1\nkind: Mapping\nmetadata: {name: m}\nspec: {prefix: /m/, service: nosvc}\n',
    );
    const lenient = portico('validate', '-f', f);
    expect(lenient.code).to.equal(0);
    expect(lenient.stderr).to.match(/warning: Mapping\/default\/m spec\.service: Service default\/nosvc not found/);
    const strict = portico('validate', '--strict-refs', '-f', f);
    expect(strict.code).to.equal(1);
    expect(strict.stdout).to.match(/^Mapping\/default\/m spec\.service: /);
  });

  it('--help documents each command; usage errors exit 2', () => {
    for (const cmd of ['render', 'validate']) {
      const r = portico(cmd, '--help');
      expect(r.code).to.equal(0);
      expect(r.stdout).to.match(new RegExp(`usage: portico ${cmd} -f`));
    }
    const usage = portico('render', '-f', 'examples/', '-o', 'xml');
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.include('unknown -o xml');
  });

  it('a missing file fails with its name', () => {
    const r = portico('validate', '-f', join(dir, 'nope.yaml'));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('nope.yaml');
  });
});
