// The real kubectl as an oracle for patch semantics: `kubectl patch --local -f <obj> --type <t> -p <patch>`
// applies a JSON, merge or strategic merge patch with the same apimachinery / evanphx code kube-apiserver
// runs, without a server. Each call gets its own KUBECACHEDIR and HOME.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type PatchType = 'json' | 'merge' | 'strategic';
export type KubectlPatchResult = { ok: true; object: unknown } | { ok: false; error: string };

export async function kubectlLocalPatch(obj: unknown, type: PatchType, patch: unknown): Promise<KubectlPatchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-patch-oracle-'));
  try {
    const file = join(dir, 'object.json');
    writeFileSync(file, JSON.stringify(obj));
    const env = { ...process.env, KUBECACHEDIR: join(dir, 'cache'), HOME: dir, KUBECONFIG: join(dir, 'none') };
    const args = ['patch', '--local', '-f', file, '--type', type, '-p', JSON.stringify(patch), '-o', 'json'];
    return await new Promise((resolve, reject) => {
      execFile('kubectl', args, { env, timeout: 20_000 }, (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        if (err) return resolve({ ok: false, error: stderr.trim().replace(/^error: /, '') });
        resolve({ ok: true, object: JSON.parse(stdout) });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
