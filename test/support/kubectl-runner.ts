// Runs a real kubectl binary against a kubeconfig, each call with its own fresh KUBECACHEDIR and HOME (discovery
// caches would otherwise leak between servers on reused ports). Never rejects on a non-zero exit.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  stdin?: string;
  /** Kill kubectl after this many ms (default 20 000). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface RunningKubectl {
  /** Resolves when kubectl exits. */
  done: Promise<KubectlResult>;
  /** Everything printed so far. */
  output(): string;
  kill(signal?: NodeJS.Signals): void;
}

export function runKubectl(
  binary: string,
  kubeconfig: string,
  scratchDir: string,
  args: string[],
  o: KubectlOptions = {},
): RunningKubectl {
  const cache = mkdtempSync(join(scratchDir, 'kubecache-'));
  const child = spawn(binary, args, {
    env: { ...process.env, ...o.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cache, HOME: cache },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.end(o.stdin ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
  const done = new Promise<KubectlResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
  return { done, output: () => stdout, kill: (signal = 'SIGTERM') => child.kill(signal) };
}
