// The embedded API server's folders import in one direction (the order operator/apiserver/index.ts describes),
// its files import no cycle, and outside itself it imports only operator/api/. Read from the sources' import
// lines, so a wrong-way import fails here with the file that makes it.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..', 'operator', 'apiserver');
const OPERATOR = dirname(ROOT);

/** Lowest first: each part may import itself and the parts before it. */
const ORDER = [
  'patch',
  'encoding',
  'storage',
  'schemas',
  'registry',
  'admission',
  'api-state.ts',
  'writes',
  'controllers',
  'security',
  'endpoints',
  'test-hooks',
  'index.ts',
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The relative modules a file imports (static imports and re-exports, type-only ones too), as .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)].map((m) =>
    resolve(dirname(file), m[1]).replace(/\.js$/, '.ts'),
  );
}

const part = (file: string): string => relative(ROOT, file).split('/')[0];

describe('apiserver: layering', () => {
  const files = sources(ROOT);
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it('every part is in the order', () => {
    expect([...new Set(files.map(part))].filter((p) => !ORDER.includes(p))).to.deep.equal([]);
  });

  it('parts import only themselves and the parts before them', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        if (!dep.startsWith(ROOT + '/')) continue;
        if (ORDER.indexOf(part(dep)) > ORDER.indexOf(part(file)))
          wrong.push(`${relative(ROOT, file)} -> ${relative(ROOT, dep)}`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('outside itself it imports only operator/api/', () => {
    const outside = [...graph].flatMap(([file, deps]) =>
      deps.filter((d) => !d.startsWith(ROOT + '/')).map((d) => `${relative(ROOT, file)} -> ${relative(OPERATOR, d)}`),
    );
    expect(outside.filter((line) => !/ -> api\//.test(line))).to.deep.equal([]);
  });

  it('no file imports itself back through others', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(ROOT, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) if (graph.has(dep)) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).to.deep.equal([]);
  });
});
