// Every YAML in examples/ passes `portico validate`, run as a user runs it (the CLI, in a child process).
// A broken copy of an example must fail, so the check cannot pass vacuously.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { repoRoot } from './render-manifests.js';

interface CliResult {
  code: number;
  output: string;
}

function portico(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'operator/cli.ts', ...args], { cwd: repoRoot, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as { code: number }).code
          : 1
        : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

async function exampleFiles(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (/\.ya?ml$/.test(entry.name)) out.push(p);
    }
  };
  await walk(path.join(repoRoot, 'examples'));
  return out.sort();
}

describe('examples/ pass `portico validate`', function () {
  this.timeout(60_000);

  it('every example file', async () => {
    const files = await exampleFiles();
    expect(files.length, 'YAML files in examples/').to.be.at.least(3);
    const result = await portico(['validate', '-f', 'examples/']);
    expect(result.code, result.output).to.equal(0);
  });

  it('and a broken Mapping from them is rejected by name', async () => {
    let mapping: any;
    for (const file of await exampleFiles()) {
      mapping ??= yaml.loadAll(await readFile(file, 'utf8')).find((d: any) => d?.kind === 'Mapping');
    }
    expect(mapping, 'a Mapping in examples/').to.not.equal(undefined);
    const dir = await mkdtemp(path.join(tmpdir(), 'portico-broken-'));
    try {
      const broken = {
        ...mapping,
        metadata: { ...mapping.metadata, name: 'broken-prefix' },
        spec: { ...mapping.spec, prefix: 'no-leading-slash' },
      };
      await writeFile(path.join(dir, 'broken.yaml'), yaml.dump(broken));
      const result = await portico(['validate', '-f', dir]);
      expect(result.code, result.output).to.not.equal(0);
      expect(result.output).to.contain('broken-prefix').and.contain('spec.prefix');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
