// Pure description of what a published configuration looks like in the cluster. One generation (one config
// hash) is:
//   - ConfigMaps portico-envoy-<hash> (the head: parts list, checksum, part 000) and portico-envoy-<hash>-<i>
//     for parts i ≥ 1 (operator/publish/config-chunks.ts), all immutable;
//   - Secrets portico-certs-<hash> (the head, possibly empty) and portico-certs-<hash>-<i> when the certificate
//     files need more than one Secret (operator/publish/cert-sets.ts);
//   - the Deployment fields we own: two projected volumes naming every one of those objects, and the
//     config-hash annotation on the pod template.
// Small configs are one ConfigMap and one Secret. Which hash a Deployment or ReplicaSet points at: template-refs.ts.
import { groupCertFiles, type OversizedFile } from './cert-sets.js';
import { PARTS_KEY, SUM_KEY, packConfig } from './config-chunks.js';
import {
  CERTS_VOLUME,
  CONFIG_VOLUME,
  HASH_ANNOTATION,
  HASH_LABEL,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  PUBLISHED_AT_ANNOTATION,
  XDS_CURRENT_CONFIGMAP,
  XDS_CURRENT_KEY,
  XDS_CURRENT_LABEL,
  certsSecretName,
  configMapName,
} from './names.js';

export interface PublishableConfig {
  hash: string;
  json: string;
  certFiles: Record<string, string>;
}

interface ConfigMapContent {
  name: string;
  data?: Record<string, string>;
  binaryData: Record<string, Buffer>;
}

interface SecretContent {
  name: string;
  files: Record<string, string>;
}

/** One generation, ready to write. Object lists are head first (the order of the volume sources). */
export interface Publication {
  hash: string;
  configMaps: ConfigMapContent[];
  secrets: SecretContent[];
  jsonBytes: number;
  gzipBytes: number;
}

export type PlanResult =
  | { ok: true; publication: Publication }
  /** Cannot be published at any size: a certificate file larger than a Secret holds. */
  | { ok: false; reason: 'TooLarge'; message: string; oversized: OversizedFile[] };

export function planPublication(config: PublishableConfig): PlanResult {
  const grouping = groupCertFiles(config.certFiles);
  if (!grouping.ok) {
    const files = grouping.oversized.map((f) => `${f.file} (${f.bytes} bytes)`).join(', ');
    const message = `certificate file(s) ${files} exceed the ${grouping.limit} bytes one published Secret can hold (Kubernetes limits a Secret to 1 MiB)`;
    return { ok: false, reason: 'TooLarge', message, oversized: grouping.oversized };
  }
  const packed = packConfig(config.json);
  const configMaps: ConfigMapContent[] = packed.parts.map((p, i) => ({
    name: configMapName(config.hash, i),
    ...(i === 0 ? { data: { [PARTS_KEY]: packed.partsList, [SUM_KEY]: packed.sumLine } } : {}),
    binaryData: { [p.key]: p.bytes },
  }));
  const secrets = grouping.groups.map((names, i) => ({
    name: certsSecretName(config.hash, i),
    files: Object.fromEntries(names.map((n) => [n, config.certFiles[n]])),
  }));
  return {
    ok: true,
    publication: { hash: config.hash, configMaps, secrets, jsonBytes: packed.jsonBytes, gzipBytes: packed.gzipBytes },
  };
}

function publishedMeta(name: string, namespace: string, hash: string, publishedAt: string) {
  return {
    name,
    namespace,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [HASH_LABEL]: hash },
    // Orders generations for garbage collection (creationTimestamp has only second resolution).
    annotations: { [PUBLISHED_AT_ANNOTATION]: publishedAt },
  };
}

/**
 * The objects to apply, in write order: the extra parts first and each head last, so that a head existing
 * means its whole generation does (a reader that finds the head finds every part it lists).
 */
export function publishedObjects(p: Publication, namespace: string, publishedAt: string) {
  const configMaps = p.configMaps.map((c) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: publishedMeta(c.name, namespace, p.hash, publishedAt),
    immutable: true,
    ...(c.data ? { data: c.data } : {}),
    binaryData: Object.fromEntries(Object.entries(c.binaryData).map(([k, v]) => [k, v.toString('base64')])),
  }));
  // An empty `data` is stored as no data at all, so applying `data: {}` again (switching back to an older
  // generation) would read as a change of an immutable Secret's data, and be refused: omit it instead.
  const secrets = p.secrets.map((s) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: publishedMeta(s.name, namespace, p.hash, publishedAt),
    type: 'Opaque',
    immutable: true,
    ...(Object.keys(s.files).length > 0
      ? {
          data: Object.fromEntries(
            Object.keys(s.files)
              .sort()
              .map((n) => [n, Buffer.from(s.files[n], 'utf8').toString('base64')]),
          ),
        }
      : {}),
  }));
  return [...configMaps.slice(1), ...secrets.slice(1), secrets[0], configMaps[0]];
}

/** Names of every object of a generation (for existence checks). */
export function publicationNames(p: Publication): { configMaps: string[]; secrets: string[] } {
  return { configMaps: p.configMaps.map((c) => c.name), secrets: p.secrets.map((s) => s.name) };
}

/** The apply configuration for the Deployment: only the fields Portico owns. */
export function deploymentApplyFor(
  name: string,
  namespace: string,
  p: Pick<Publication, 'hash' | 'configMaps' | 'secrets'>,
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      template: {
        metadata: { annotations: { [HASH_ANNOTATION]: p.hash } },
        spec: {
          volumes: [
            { name: CONFIG_VOLUME, projected: { sources: p.configMaps.map((c) => ({ configMap: { name: c.name } })) } },
            { name: CERTS_VOLUME, projected: { sources: p.secrets.map((s) => ({ secret: { name: s.name } })) } },
          ],
        },
      },
    },
  };
}

/** `xds` delivery: the apply configuration of the pointer to the generation every replica serves. */
export function xdsPointerApplyFor(namespace: string, hash: string) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: XDS_CURRENT_CONFIGMAP,
      namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [XDS_CURRENT_LABEL]: 'true' },
    },
    data: { [XDS_CURRENT_KEY]: hash },
  };
}
