// Runs the portico CLI as a user would: the compiled dist/ when it is newer than every source file (npm test
// builds it first, and it starts in a third of tsx's time), else the sources through tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../world/kubelet/images.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

let entry: string[] | undefined;
function cliEntry(): string[] {
  if (entry) return entry;
  const dist = join(REPO_ROOT, 'dist', 'operator', 'cli.js');
  let built = 0;
  try {
    built = statSync(dist).mtimeMs;
  } catch {
    // not built
  }
  entry =
    built > newestMtime(join(REPO_ROOT, 'operator'))
      ? [dist]
      : ['--import', 'tsx', join(REPO_ROOT, 'operator', 'cli.ts')];
  return entry;
}

export function portico(args: string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  const r = spawnSync(process.execPath, [...cliEntry(), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
