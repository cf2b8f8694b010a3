// `portico validate` rejects what `kubectl apply` has the API server reject, in the API server's words. Each
// object below is applied with the real kubectl to the embedded API server (which reports kube-apiserver
// 1.36's messages) and validated with the CLI; both must name the same errors. Duplicate YAML keys never reach
// a server through kubectl (it keeps the last), so they are checked against the decoder's wording alone.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';

function validate(file: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'operator/cli.ts', 'validate', '-f', file], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const m = (name: string, spec: string, meta = '') =>
  `apiVersion: portico.dev/v1alpha1\nkind: Mapping\nmetadata:\n  name: ${name}\n${meta}spec:\n${spec}`;

const CASES: Record<string, string> = {
  'unknown-field': m('unknown-field', '  prefix: /a/\n  service: usersvc\n  timeout_ms: 3000\n'),
  'unknown-fields': m(
    'unknown-fields',
    '  prefix: /a/\n  service: usersvc\n  zeta: 1\n  alpha: 2\n',
    '  lables: {app: x}\n',
  ),
  'typo-spec':
    'apiVersion: portico.dev/v1alpha1\nkind: Mapping\nmetadata: {name: typo-spec}\nspecs: {prefix: /a/, service: usersvc}\n',
  'relative-prefix': m('relative-prefix', '  prefix: user/\n  service: usersvc\n'),
  'upper-host': m('upper-host', '  prefix: /a/\n  service: usersvc\n  host: API.example.com\n'),
  'query-and-space': m('query-and-space', '  prefix: "/a b?c"\n  service: usersvc\n  rewrite: x\n'),
  'missing-service': m('missing-service', '  prefix: nope\n'),
  'wrong-type': m('wrong-type', '  prefix: /a/\n  service: 8080\n'),
  'tls-bad':
    'apiVersion: portico.dev/v1alpha1\nkind: TLSContext\nmetadata: {name: tls-bad}\nspec:\n  secret: Bad_Secret\n  hosts: [ok.example.com, "Not OK", ok.example.com]\n',
  'tls-enum':
    'apiVersion: portico.dev/v1alpha1\nkind: TLSContext\nmetadata: {name: tls-enum}\nspec: {secret: s, minTlsVersion: "1.2", hosts: ["Not OK"]}\n',
  'grant-wildcard':
    'apiVersion: portico.dev/v1alpha1\nkind: PorticoReferenceGrant\nmetadata: {name: grant-wildcard}\nspec:\n  from: [{kind: Mapping, namespace: "*"}]\n  to: [{kind: Service, name: Billing}]\n',
};

/** The errors kubectl prints for a refused object: the 422's causes, or the 400's strict decoding errors. */
function kubectlErrors(stderr: string): string[] {
  const strict = /strict decoding error: (.*)$/m.exec(stderr);
  if (strict) return [`strict decoding error: ${strict[1].trim()}`];
  const invalid = /is invalid: ?(.*)$/ms.exec(stderr);
  if (!invalid) throw new Error(`kubectl did not refuse it: ${stderr}`);
  const causes = invalid[1].trim();
  return causes.startsWith('* ')
    ? causes
        .split('\n')
        .map((l) => l.replace(/^\* /, '').trim())
        .filter(Boolean)
    : [causes];
}

/** The errors `portico validate` printed for one object (one line per object). */
function validateErrors(stdout: string, id: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${id} `));
  if (!line) throw new Error(`no line for ${id} in:\n${stdout}`);
  const rest = line.slice(id.length + 1);
  // Causes are joined with "; "; a kube message may hold "; " itself, so split only before a field path.
  return rest.startsWith('strict decoding error: ') ? [rest] : rest.split(/; (?=(?:<nil>|[a-z][A-Za-z0-9_.[\]]*): )/);
}

describe('portico validate says what the API server says', function () {
  this.timeout(120_000);
  let c: TestCluster;
  const dir = mkdtempSync(join(tmpdir(), 'portico-validate-'));
  let out: { code: number | null; stdout: string; stderr: string };

  before(async () => {
    c = await startTestCluster({ crds: true });
    const file = join(dir, 'all.yaml');
    writeFileSync(file, Object.values(CASES).join('---\n'));
    out = validate(file);
  });
  after(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects every one of them, one line each, and exits 1', () => {
    expect(out.code, out.stderr).to.equal(1);
    expect(out.stdout.trim().split('\n')).to.have.length(Object.keys(CASES).length);
  });

  for (const [name, doc] of Object.entries(CASES)) {
    it(`${name}: the same errors as kubectl apply`, async () => {
      const r = await c.kubectl(['apply', '-f', '-'], { stdin: doc });
      expect(r.code, r.stdout).to.equal(1);
      const kind = /^kind: (\w+)/m.exec(doc)![1];
      // kube-apiserver evaluates rules over a Go map, so their order across fields is not fixed: compare as sets.
      expect(validateErrors(out.stdout, `${kind}/default/${name}`).sort()).to.deep.equal(
        kubectlErrors(r.stderr).sort(),
      );
    });
  }

  it('a valid object applies and validates cleanly', async () => {
    const ok = m('fine', '  prefix: /fine/\n  service: usersvc\n  host: "*.example.com"\n  rewrite: ""\n');
    expect((await c.kubectl(['apply', '-f', '-'], { stdin: ok })).code).to.equal(0);
    const f = join(dir, 'ok.yaml');
    writeFileSync(f, ok);
    const r = validate(f);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
  });

  it('duplicate keys are strict decoding errors, before unknown fields, with their full paths', () => {
    const f = join(dir, 'dup.yaml');
    writeFileSync(
      f,
      m('dup', '  prefix: /a/\n  service: usersvc\n  prefix: /b/\n  timeout_ms: 1\n', '  labels: {a: "1", a: "2"}\n'),
    );
    const r = validate(f);
    expect(r.code).to.equal(1);
    expect(r.stdout.trim()).to.equal(
      'Mapping/default/dup strict decoding error: duplicate field "metadata.labels.a", duplicate field "spec.prefix", unknown field "spec.timeout_ms"',
    );
  });

  it("prints the README's sample lines for its two objects (an unknown field such as timeout_ms used to pass)", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const sample = /```text\n(Mapping\/[\s\S]*?)\n```/.exec(readme)![1].split('\n');
    const f = join(dir, 'readme.yaml');
    writeFileSync(
      f,
      [
        m('slow', '  prefix: /slow/\n  service: usersvc\n  timeout_ms: 3000\n'),
        m('bad-one', '  prefix: user/\n  service: usersvc\n', '  namespace: shop\n'),
      ].join('---\n'),
    );
    const r = validate(f);
    expect(r.stdout.trim().split('\n')).to.deep.equal(sample);
  });
});
