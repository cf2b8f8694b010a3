// The README says `npm ci` on Node.js 20 is all it takes. npm itself is asked, on a copy of package.json and
// package-lock.json: a dry run must print no warning at all (EBADENGINE for a dependency that wants a newer
// Node, deprecations, …), and every locked package with an install script must be reviewed in package.json's
// allowScripts, or npm (11.16+) warns `install-scripts … not yet covered by allowScripts` after every install.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..');

interface LockEntry {
  version?: string;
  hasInstallScript?: boolean;
  engines?: { node?: string };
}

describe('npm ci (packaging)', function () {
  this.timeout(120_000);
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    engines: { node: string };
    allowScripts?: Record<string, boolean>;
  };
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };

  it('prints no warning on this Node (dry run of the locked tree)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-npm-ci-'));
    try {
      copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'));
      copyFileSync(join(REPO, 'package-lock.json'), join(dir, 'package-lock.json'));
      // --ignore-scripts: the dry run would otherwise still run our own `prepare` (the build), which needs tsc.
      const r = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 100_000,
      });
      expect(r.status, r.stderr).to.equal(0);
      const warnings = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /^npm warn/i.test(l));
      expect(warnings, warnings.join('\n')).to.deep.equal([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no locked package asks for a newer Node than package.json promises (Node 20)', () => {
    const tooNew = Object.entries(lock.packages)
      .filter(([, e]) => e.engines?.node && /^>=\s*2[1-9]/.test(e.engines.node.trim()))
      .map(([path, e]) => `${path}@${e.version}: node ${e.engines!.node}`);
    expect(pkg.engines.node).to.match(/^>=20\./);
    expect(tooNew).to.deep.equal([]);
  });

  it('every dependency with an install script is approved or denied in allowScripts', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([path, e]) => path !== '' && e.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length, 'esbuild (tsx) and protobufjs have one').to.be.greaterThan(0);
    const reviewed = Object.keys(pkg.allowScripts ?? {}).map((k) => k.replace(/(.)@.*$/, '$1'));
    expect(withScripts.filter((name) => !reviewed.includes(name))).to.deep.equal([]);
    // tsx runs every test and `npx tsx docs/…`: esbuild's binary must stay usable.
    expect(pkg.allowScripts?.esbuild).to.equal(true);
  });
});
