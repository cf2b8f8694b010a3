// Runs the Envoy pod's init step (the `unpack-config` container's script, exactly as manifests/ ships it) on
// this machine with its two mount paths mapped into a temp dir. Shared by the format and scale tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';

const REPO = join(import.meta.dirname, '..', '..');

/** The init container's script, exactly as the manifests ship it. */
export function initScript(): { command: string[]; mounts: Record<string, string> } {
  const d = yaml.load(readFileSync(join(REPO, 'manifests/base/envoy/deployment.yaml'), 'utf8')) as any;
  const init = d.spec.template.spec.initContainers.find((c: any) => c.name === 'unpack-config');
  return {
    command: init.command,
    mounts: Object.fromEntries(init.volumeMounts.map((m: any) => [m.name, m.mountPath])),
  };
}

/** Runs the init script with its two mount paths mapped into a temp dir; returns envoy.json or the failure. */
export function runInitStep(files: Map<string, Buffer | string>): { code: number; out?: Buffer; stderr: string } {
  const { command, mounts } = initScript();
  const root = mkdtempSync(join(tmpdir(), 'portico-unpack-'));
  try {
    const src = join(root, 'published');
    const dst = join(root, 'envoy');
    mkdirSync(src);
    mkdirSync(dst);
    for (const [k, v] of files) writeFileSync(join(src, k), v);
    const script = command[2].split(mounts['published-config']).join(src).split(mounts['unpacked-config']).join(dst);
    const r = spawnSync(command[0], [command[1], script], { encoding: 'buffer' });
    const code = r.status ?? -1;
    return { code, stderr: r.stderr.toString(), ...(code === 0 ? { out: readFileSync(join(dst, 'envoy.json')) } : {}) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
