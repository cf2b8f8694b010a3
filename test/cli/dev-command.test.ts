// `portico dev` smoke test: spawn the real CLI (through tsx) in a temp directory, wait for the kubeconfig and
// the export line, talk to it with the real kubectl, then Ctrl-C: it must exit 0 and leave its state file.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually } from '../support/test-cluster.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'operator', 'cli.ts');
// tsx's ESM loader by file URL, so the child resolves it whatever its cwd.
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

function kubectl(
  args: string[],
  kubeconfig: string,
  cache: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, {
      env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cache, HOME: cache },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('portico dev', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'portico-dev-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves kubectl with the CRDs and portico-system, then exits 0 on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      ['--import', TSX_LOADER, CLI, 'dev', '--port', '0', '--operator-port', '0', '--no-envoy'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const kubeconfig = join(dir, '.portico', 'kubeconfig');
      await eventually('the export line', () => stdout.includes('export KUBECONFIG='), 30_000, 100);
      expect(stdout).to.contain(`export KUBECONFIG=${kubeconfig}`);
      const cache = mkdtempSync(join(dir, 'cache-'));
      const ns = await kubectl(['get', 'namespaces'], kubeconfig, cache);
      expect(ns.code, ns.stderr).to.equal(0);
      expect(ns.stdout).to.match(/portico-system\s+Active/);
      const crds = await kubectl(['get', 'crds', '-o', 'name'], kubeconfig, cache);
      expect(crds.stdout.split('\n')).to.include.members([
        'customresourcedefinition.apiextensions.k8s.io/mappings.portico.dev',
      ]);
      const maps = await kubectl(['get', 'mappings'], kubeconfig, cache);
      expect(maps.code, maps.stderr).to.equal(0);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, stderr).to.equal(0);
    expect(stderr).to.contain('operator running in-process');
    expect(stderr).to.contain('SIGINT: shutting down');
    expect(existsSync(join(dir, '.portico', 'state.json'))).to.equal(true);
  });
});
