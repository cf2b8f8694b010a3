// Issue 19 item 10: `portico validate` and `render` must end, with one line naming the file, on YAML whose
// aliases make a value contain itself (a List listing itself spun forever) or expand without bound.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_MANIFEST_VALUES, parseManifests, type ManifestSet } from '../../operator/cli/manifest-files.js';

function portico(...args: string[]): { code: number | null; stdout: string; stderr: string; error?: Error } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'operator/cli.ts', ...args], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
}

const empty = (): ManifestSet => ({
  mappings: [],
  tlsContexts: [],
  services: [],
  secrets: [],
  referenceGrants: [],
  warnings: [],
});

describe('portico validate/render: YAML alias cycles and bombs', function () {
  this.timeout(40_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'portico-yaml-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a List that lists itself through an anchor, in validate and in render', () => {
    const file = join(dir, 'self.yaml');
    writeFileSync(file, '&a {kind: List, items: [*a]}\n');
    for (const command of ['validate', 'render']) {
      const r = portico(command, '-f', file);
      expect(r.error, `${command} did not end`).to.equal(undefined);
      expect(r.code).to.equal(1);
      expect(r.stderr.trim()).to.equal(`portico: ${file}: a YAML alias makes a value contain itself`);
    }
  });

  it('refuses a cycle anywhere in a document, and an alias bomb, without running out of time or memory', () => {
    expect(() =>
      parseManifests('kind: Mapping\nmetadata: {name: m}\nspec: &s {prefix: /, loop: *s}\n', 'cycle.yaml', empty()),
    ).to.throw('cycle.yaml: a YAML alias makes a value contain itself');
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(`l${i}: &l${i} [${new Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const bomb = `${levels.join('\n')}\nkind: List\nitems: *l8\n`; // 10^9 values once expanded
    const started = Date.now();
    expect(() => parseManifests(bomb, 'bomb.yaml', empty())).to.throw(
      `bomb.yaml: more than ${MAX_MANIFEST_VALUES} values once YAML aliases are expanded`,
    );
    expect(Date.now() - started).to.be.below(5_000);
  });

  it('still reads a List and aliases that repeat a value without containing it', () => {
    const set = empty();
    const text =
      'kind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {ports: &p [{port: 80}]}}\n- {apiVersion: v1, kind: Service, metadata: {name: b}, spec: {ports: *p}}\n';
    parseManifests(text, 'ok.yaml', set);
    expect(set.services.map((s) => s.metadata.name)).to.deep.equal(['a', 'b']);
  });
});
