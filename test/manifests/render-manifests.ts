// Renders a kustomization with the real `kubectl kustomize` (offline) and parses the YAML stream.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';

const run = promisify(execFile);

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
}

export async function renderKustomization(relativeDir: string): Promise<K8sObject[]> {
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'portico-kubecache-'));
  try {
    const { stdout } = await run('kubectl', ['kustomize', path.join(repoRoot, relativeDir)], {
      env: { ...process.env, KUBECACHEDIR: cacheDir, KUBECONFIG: path.join(cacheDir, 'none') },
      maxBuffer: 16 * 1024 * 1024,
    });
    return yaml.loadAll(stdout).filter((doc): doc is K8sObject => doc !== null && typeof doc === 'object');
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

/** The one object of this kind and name, or a failure that lists what was rendered. */
export function findObject(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`expected exactly one ${kind}/${name}, found ${found.length} among: ${have}`);
  }
  return found[0];
}
