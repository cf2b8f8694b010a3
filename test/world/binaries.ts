// Where test/world/setup put the real binaries (test/world/.built.json), checked before anything starts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorldBinaries {
  envoy: string;
  envoyVersion: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubectl: string;
  kubeVersion: string;
  etcd: string;
  etcdVersion: string;
}

const BUILT = join(import.meta.dirname, '.built.json');

export function worldBinaries(): WorldBinaries {
  if (!existsSync(BUILT)) {
    throw new Error('the real test world is not set up: run test/world/setup (npm test does it first)');
  }
  const bin = JSON.parse(readFileSync(BUILT, 'utf8')) as WorldBinaries;
  for (const [key, path] of Object.entries(bin)) {
    if (!key.endsWith('Version') && !existsSync(path)) {
      throw new Error(`the real test world is incomplete (${key}: ${path} is missing): run test/world/setup`);
    }
  }
  return bin;
}
