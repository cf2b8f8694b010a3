// `portico migrate` as a user runs it: files and directories in, Portico YAML or a JSON List out, the report on
// standard error, and the exit status (0 all carried, 3 something dropped, 1 unreadable input, 2 bad flags).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

function portico(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'operator/cli.ts', 'migrate', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const HOST = `apiVersion: getambassador.io/v3alpha1
kind: Host
metadata: {name: example, namespace: shop}
spec:
  hostname: shop.example.com
  tlsSecret: {name: shop-cert}
  requestPolicy: {insecure: {action: Route}}
  tls: {alpn_protocols: "h2,http/1.1"}
`;

const MAPPING = `# a comment first, so the document starts on line 2
apiVersion: getambassador.io/v2
kind: Mapping
metadata: {name: quote, namespace: shop}
spec:
  prefix: /quote/
  service: quote
  bypass_auth: true
`;

describe('portico migrate (the command)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'portico-migrate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('exits 0 when every field was carried, printing the Portico objects and the report', () => {
    const f = file('host.yaml', HOST);
    const r = portico(['-f', f]);
    expect(r.code, r.stderr).to.equal(0);
    expect(yaml.load(r.stdout)).to.deep.equal({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'TLSContext',
      metadata: { name: 'example', namespace: 'shop' },
      spec: { hosts: ['shop.example.com'], secret: 'shop-cert', alpnProtocols: ['h2', 'http/1.1'] },
    });
    expect(r.stderr).to.equal(
      `${f}:1 Host shop/example (getambassador.io/v3alpha1) → TLSContext shop/example\n` +
        '  carried  hosts: as hosts\n' +
        '  changed  tlsSecret: → secret: shop-cert\n' +
        '  carried  requestPolicy.insecure.action: Route: cleartext is served, as Portico does by default\n' +
        '  changed  tls.alpn_protocols: "h2,http/1.1" → alpnProtocols: [h2, http/1.1]\n' +
        'migrate: 1 object read, 1 written; 2 fields carried, 2 changed, 0 dropped\n',
    );
  });

  it('exits 3 when something was dropped, naming it and why; reads directories; -o json writes a List', () => {
    const sub = join(dir, 'tree');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a-mapping.yaml'), MAPPING);
    writeFileSync(join(sub, 'b-host.yaml'), HOST);
    writeFileSync(join(sub, 'notes.txt'), 'not read');
    const r = portico(['-f', sub, '-o', 'json']);
    expect(r.code, r.stderr).to.equal(3);
    const list = JSON.parse(r.stdout);
    expect(list.kind).to.equal('List');
    expect(
      list.items.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`),
    ).to.deep.equal(['Mapping/quote', 'TLSContext/example']);
    expect(list.items[0].spec).to.include({ prefix: '/quote/', service: 'quote:80' });
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).to.equal(
      `${join(sub, 'a-mapping.yaml')}:2 Mapping shop/quote (getambassador.io/v2) → Mapping shop/quote`,
    );
    expect(lines).to.include('  dropped  bypass_auth: Portico has no external authorization service to bypass');
    expect(lines.at(-1)).to.match(
      /^migrate: 2 objects read, 2 written; \d+ fields carried, \d+ changed, [1-9]\d* dropped$/,
    );
  });

  it('exits 1 on unreadable input, naming the file and line', () => {
    const f = file(
      'broken.yaml',
      'apiVersion: getambassador.io/v2\nkind: Mapping\nmetadata: {name: x\nspec: {prefix: /x/}\n',
    );
    const r = portico(['-f', f]);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(new RegExp(`^portico migrate: ${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: `));
    const missing = portico(['-f', join(dir, 'nope.yaml')]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('nope.yaml');
  });

  it('prints the report the README\'s "Coming from Emissary" shows for its example input', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Coming from Emissary'));
    const input = /For this input, `emissary\.yaml`:\n\n```yaml\n([\s\S]*?)\n```/.exec(section)![1];
    const shown = /reports:\n\n```text\n([\s\S]*?)\n```/.exec(section)![1];
    const sub = join(dir, 'readme');
    mkdirSync(sub);
    writeFileSync(join(sub, 'emissary.yaml'), `${input}\n`);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
        join(import.meta.dirname, '..', '..', 'operator', 'cli.ts'),
        'migrate',
        '-f',
        'emissary.yaml',
      ],
      { cwd: sub, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).to.equal(3);
    expect(r.stderr.trimEnd()).to.equal(shown);
  });

  it('exits 2 on bad flags', () => {
    expect(portico([]).code).to.equal(2);
    expect(portico(['-f', 'x', '-o', 'xml']).stderr).to.contain('-o must be yaml or json, not xml');
  });
});
