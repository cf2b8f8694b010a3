// Every folder of test/ that holds a test belongs to exactly one tier, so each test runs in some
// `npm run test:<tier>` and none runs twice.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TIERS } from './tiers.js';

const TEST_ROOT = join(import.meta.dirname, '..');

function holdsTest(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).some(
    (e) => e.isFile() && e.name.endsWith('.test.ts'),
  );
}

describe('test tiers', () => {
  it('put each folder of test/ that holds a test in exactly one tier', () => {
    const folders = readdirSync(TEST_ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && holdsTest(join(TEST_ROOT, e.name)))
      .map((e) => e.name);
    const tiersOf = (folder: string) =>
      Object.entries(TIERS)
        .filter(([, t]) => t.folders.includes(folder))
        .map(([n]) => n);
    expect(
      folders.filter((f) => tiersOf(f).length !== 1).map((f) => `${f}: ${tiersOf(f).join(', ') || 'no tier'}`),
    ).to.deep.equal([]);
  });

  it('name only folders that exist', () => {
    const existing = new Set(readdirSync(TEST_ROOT));
    expect(
      Object.values(TIERS)
        .flatMap((t) => t.folders)
        .filter((f) => !existing.has(f)),
    ).to.deep.equal([]);
  });

  it('leave no test file loose in test/ itself (a tier is a set of folders)', () => {
    expect(readdirSync(TEST_ROOT).filter((n) => n.endsWith('.test.ts'))).to.deep.equal([]);
  });
});
