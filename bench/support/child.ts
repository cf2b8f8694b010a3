// Runs a TypeScript file in a fresh Node process (through tsx's loader), so each measurement starts with a clean
// heap and its peak RSS is its own. The child reports back with process.send(); node flags such as --cpu-prof or
// --max-old-space-size go in front of the script.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface ChildOutcome<T> {
  message?: T;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  wallMs: number;
}

export function runTsChild<T>(
  script: string,
  args: string[],
  opts: { nodeFlags?: string[]; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ChildOutcome<T>> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, ...opts.env },
  });
  let message: T | undefined;
  let stderr = '';
  child.on('message', (m) => (message = m as T));
  child.stderr!.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
    process.stderr.write(d);
  });
  const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ message, code, signal, stderrTail: stderr, wallMs: performance.now() - started });
    });
  });
}

/** In a child started by runTsChild: send the result and let the process exit once it is flushed. */
export function reportToParent(message: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      process.stdout.write(JSON.stringify(message) + '\n');
      resolve();
      return;
    }
    process.send(message, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}
