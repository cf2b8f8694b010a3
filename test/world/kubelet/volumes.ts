// A pod's volumes, materialised as the kubelet does: each volume is a folder of the pod's on the node, filled
// once from the real ConfigMaps, Secrets and TokenRequests before the containers start (the kubelet also refreshes
// them later; the operator never changes a published object, so the test world does not). A required source that
// does not exist is a MountError, and the pod waits in ContainerCreating as on a real node.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KubeObject, KubeRest } from '../rest.js';

export class MountError extends Error {}

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

interface DownwardItem {
  path: string;
  fieldRef?: { fieldPath: string };
  mode?: number;
}

interface ProjectedSource {
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name: string; items?: KeyToPath[]; optional?: boolean };
  serviceAccountToken?: { path: string; expirationSeconds?: number; audience?: string };
  downwardAPI?: { items: DownwardItem[] };
}

export interface Volume {
  name: string;
  emptyDir?: object;
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean; defaultMode?: number };
  secret?: { secretName: string; items?: KeyToPath[]; optional?: boolean; defaultMode?: number };
  projected?: { sources: ProjectedSource[]; defaultMode?: number };
  downwardAPI?: { items: DownwardItem[]; defaultMode?: number };
}

export interface PodForVolumes extends KubeObject {
  spec: { volumes?: Volume[]; serviceAccountName?: string; nodeName?: string };
}

type Files = Map<string, { content: Buffer; mode: number }>;

interface Sourced {
  data: Record<string, Buffer>;
}

async function readConfigMap(rest: KubeRest, ns: string, name: string): Promise<Sourced | undefined> {
  const r = await rest.request<{ data?: Record<string, string>; binaryData?: Record<string, string> }>(
    'GET',
    `/api/v1/namespaces/${ns}/configmaps/${name}`,
  );
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new MountError(`configmap "${name}": ${r.status}`);
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(r.body.data ?? {})) data[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(r.body.binaryData ?? {})) data[k] = Buffer.from(v, 'base64');
  return { data };
}

async function readSecret(rest: KubeRest, ns: string, name: string): Promise<Sourced | undefined> {
  const r = await rest.request<{ data?: Record<string, string> }>('GET', `/api/v1/namespaces/${ns}/secrets/${name}`);
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new MountError(`secret "${name}": ${r.status}`);
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(r.body.data ?? {})) data[k] = Buffer.from(v, 'base64');
  return { data };
}

function addKeys(files: Files, src: Sourced, items: KeyToPath[] | undefined, mode: number, what: string): void {
  if (!items) {
    for (const [k, v] of Object.entries(src.data)) files.set(k, { content: v, mode });
    return;
  }
  for (const item of items) {
    const v = src.data[item.key];
    if (v === undefined) throw new MountError(`${what}: couldn't find key ${item.key}`);
    files.set(item.path, { content: v, mode: item.mode ?? mode });
  }
}

function fieldValue(pod: PodForVolumes, fieldPath: string): string {
  const m = pod.metadata;
  switch (fieldPath) {
    case 'metadata.name':
      return m.name;
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    default:
      throw new MountError(`unsupported fieldRef ${fieldPath} in the test world`);
  }
}

async function serviceAccountToken(
  rest: KubeRest,
  pod: PodForVolumes,
  src: NonNullable<ProjectedSource['serviceAccountToken']>,
): Promise<Buffer> {
  const ns = pod.metadata.namespace!;
  const sa = pod.spec.serviceAccountName ?? 'default';
  const r = await rest.request<{ status?: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        ...(src.audience ? { audiences: [src.audience] } : {}),
        expirationSeconds: src.expirationSeconds ?? 3607,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
      },
    },
  );
  if (r.status !== 201 || !r.body.status)
    throw new MountError(`serviceaccount token for "${sa}": ${r.status} ${JSON.stringify(r.body)}`);
  return Buffer.from(r.body.status.token);
}

async function volumeFiles(rest: KubeRest, pod: PodForVolumes, v: Volume): Promise<Files> {
  const ns = pod.metadata.namespace!;
  const files: Files = new Map();
  if (v.configMap) {
    const cm = await readConfigMap(rest, ns, v.configMap.name);
    if (cm) addKeys(files, cm, v.configMap.items, v.configMap.defaultMode ?? 0o644, `configmap "${v.configMap.name}"`);
    else if (!v.configMap.optional) throw new MountError(`configmap "${v.configMap.name}" not found`);
  } else if (v.secret) {
    const s = await readSecret(rest, ns, v.secret.secretName);
    if (s) addKeys(files, s, v.secret.items, v.secret.defaultMode ?? 0o644, `secret "${v.secret.secretName}"`);
    else if (!v.secret.optional) throw new MountError(`secret "${v.secret.secretName}" not found`);
  } else if (v.projected) {
    const mode = v.projected.defaultMode ?? 0o644;
    for (const src of v.projected.sources) {
      if (src.configMap) {
        const cm = await readConfigMap(rest, ns, src.configMap.name);
        if (cm) addKeys(files, cm, src.configMap.items, mode, `configmap "${src.configMap.name}"`);
        else if (!src.configMap.optional) throw new MountError(`configmap "${src.configMap.name}" not found`);
      } else if (src.secret) {
        const s = await readSecret(rest, ns, src.secret.name);
        if (s) addKeys(files, s, src.secret.items, mode, `secret "${src.secret.name}"`);
        else if (!src.secret.optional) throw new MountError(`secret "${src.secret.name}" not found`);
      } else if (src.serviceAccountToken) {
        files.set(src.serviceAccountToken.path, {
          content: await serviceAccountToken(rest, pod, src.serviceAccountToken),
          mode,
        });
      } else if (src.downwardAPI) {
        for (const item of src.downwardAPI.items) {
          files.set(item.path, {
            content: Buffer.from(fieldValue(pod, item.fieldRef?.fieldPath ?? '')),
            mode: item.mode ?? mode,
          });
        }
      }
    }
  } else if (v.downwardAPI) {
    for (const item of v.downwardAPI.items) {
      files.set(item.path, {
        content: Buffer.from(fieldValue(pod, item.fieldRef?.fieldPath ?? '')),
        mode: item.mode ?? v.downwardAPI.defaultMode ?? 0o644,
      });
    }
  } else if (!v.emptyDir) {
    throw new MountError(
      `volume "${v.name}": only emptyDir, configMap, secret, projected and downwardAPI exist in the test world`,
    );
  }
  return files;
}

/** Fills `<podDir>/volumes/<name>` for every volume; returns name → folder. */
export async function mountVolumes(rest: KubeRest, pod: PodForVolumes, podDir: string): Promise<Map<string, string>> {
  const mounted = new Map<string, string>();
  for (const v of pod.spec.volumes ?? []) {
    let files: Files;
    try {
      files = await volumeFiles(rest, pod, v);
    } catch (err) {
      if (err instanceof MountError)
        throw new MountError(`MountVolume.SetUp failed for volume "${v.name}" : ${err.message}`);
      throw err;
    }
    const dir = join(podDir, 'volumes', v.name);
    mkdirSync(dir, { recursive: true });
    // emptyDirs are world-writable (the containers run as non-root users); the rest are read-only for them.
    chmodSync(dir, v.emptyDir ? 0o777 : 0o755);
    for (const [path, f] of files) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      writeFileSync(target, f.content, { mode: f.mode });
      chmodSync(target, f.mode);
    }
    mounted.set(v.name, dir);
  }
  return mounted;
}
