// Runs the real kubectl against a kubeconfig, each invocation with its own KUBECACHEDIR.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './render-manifests.js';

const run = promisify(execFile);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function kubectl(kubeconfig: string, args: string[], timeoutMs = 60_000): Promise<KubectlResult> {
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'portico-kubecache-'));
  try {
    const { stdout, stderr } = await run('kubectl', args, {
      cwd: repoRoot,
      env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir },
      timeout: timeoutMs,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

/** kubectl that must succeed; the failure message carries kubectl's stderr. */
export async function kubectlOk(kubeconfig: string, args: string[], timeoutMs?: number): Promise<string> {
  const r = await kubectl(kubeconfig, args, timeoutMs);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
