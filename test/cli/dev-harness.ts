// Runs the real `portico dev` (through tsx, as from a checkout) in a folder, with every port picked free, and
// reads what it prints; kubectl calls get the folder's kubeconfig and their own KUBECACHEDIR. The dev gateway
// unless the arguments choose (--envoy, --no-envoy) or `choose` leaves it to portico dev (envoy on PATH, or
// test/world/setup's Envoy in this checkout; `packageRoot` runs it from a copy that has no test/world/).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually } from '../support/test-cluster.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'operator', 'cli.ts');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface DevRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Waits until stderr matches; returns the match. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export interface DevOptions {
  env?: NodeJS.ProcessEnv;
  /** Do not add --no-envoy: portico dev picks the gateway itself. */
  choose?: boolean;
  /** Run the portico dev of this copy (installedCopy) instead of the checkout's. */
  packageRoot?: string;
}

/** The package as npm installs it (operator/, crds/, manifests/, examples/, package.json; no test/world/). */
export function installedCopy(into: string): string {
  for (const part of ['operator', 'crds', 'manifests', 'examples', 'package.json'])
    cpSync(join(ROOT, part), join(into, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(into, 'node_modules'));
  return into;
}

export function startDev(cwd: string, args: string[] = [], opts: DevOptions = {}): DevRun {
  const chosen = opts.choose || args.some((a) => a === '--no-envoy' || a.startsWith('--envoy'));
  const argv = [
    opts.packageRoot ? join(opts.packageRoot, 'operator', 'cli.ts') : CLI,
    'dev',
    '--port',
    '0',
    '--operator-port',
    '0',
    '--gateway-port',
    '0',
    ...(chosen ? [] : ['--no-envoy']),
    ...args,
  ];
  const child = spawn(process.execPath, ['--import', TSX_LOADER, ...argv], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern, timeoutMs = 60_000) =>
      eventually(
        `portico dev to print ${pattern}`,
        () => {
          const m = err.match(pattern);
          if (!m && done) throw new Error(`portico dev exited:\n${err}`);
          return m;
        },
        timeoutMs,
        50,
      ) as Promise<RegExpMatchArray>,
  };
}

export function kubectl(
  cwd: string,
  args: string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cache = mkdtempSync(join(cwd, 'kubecache-'));
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, {
      env: { ...process.env, KUBECONFIG: join(cwd, '.portico', 'kubeconfig'), KUBECACHEDIR: cache, HOME: cache },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(stdin);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The status of GET url, or 0 when nothing answers. */
export async function httpStatus(url: string): Promise<number> {
  try {
    const r = await fetch(url);
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}
