// Issue 12 item 15: `portico --version` prints the package's version (it was an unknown command).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

describe('portico --version', function () {
  this.timeout(30_000);
  it('prints "portico <version from package.json>" and exits 0', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'operator/cli.ts', '--version'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(`portico ${version}\n`);
    expect(
      spawnSync(process.execPath, ['--import', 'tsx', 'operator/cli.ts', '--help'], { cwd: ROOT, encoding: 'utf8' })
        .stdout,
    ).to.contain("'portico --version'");
  });
});
