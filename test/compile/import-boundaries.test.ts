// compile/ and envoy/ are pure (DESIGN.md): they import no file system, process or network module, and
// nothing from envoy-check/, which runs Envoy and writes temp files. The Envoy check stays outside them.
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..');
const IO = /from ['"](node:)?(fs|fs\/promises|child_process|os|net|http|https|dgram|worker_threads)['"]/;
/**
 * Known, and not run-time I/O: the proto validator reads Envoy's .proto files from the installed package once
 * (proto-root.ts), and uses node:net only for isIP, a pure function (pgv-rules.ts).
 */
const ALLOWED = new Set(['operator/envoy-validate/proto-root.ts', 'operator/envoy-validate/pgv-rules.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('import boundaries of the pure stages', () => {
  for (const stage of ['compile', 'envoy']) {
    it(`operator/${stage}/ imports no I/O module and nothing from envoy-check/`, () => {
      const files = sources(join(REPO, 'operator', stage));
      expect(files.length).to.be.greaterThan(5);
      const offending = files.filter((f) => {
        if (ALLOWED.has(relative(REPO, f))) return false;
        const text = readFileSync(f, 'utf8');
        return IO.test(text) || /from ['"][./]*envoy-check\//.test(text);
      });
      expect(offending.map((f) => relative(REPO, f))).to.deep.equal([]);
    });
  }
});
