// Pure description of what a published configuration looks like in the cluster. One generation (one config
// hash) is:
//   - ConfigMaps portico-envoy-<hash> (the head: parts list, checksum, part 000) and portico-envoy-<hash>-<i>
//     for parts i ≥ 1 (operator/publish/config-chunks.ts), all immutable;
//   - Secrets portico-certs-<hash> (the head, possibly empty) and portico-certs-<hash>-<i> when the certificate
//     files need more than one Secret (operator/publish/cert-sets.ts);
//   - the Deployment fields we own: two projected volumes naming every one of those objects, and the
//     config-hash annotation on the pod template.
// Small configs are one ConfigMap and one Secret. Also reads back which hash a Deployment/ReplicaSet points at.
import { groupCertFiles, type OversizedFile } from '../publish/cert-sets.js';
import { PARTS_KEY, SUM_KEY, packConfig } from '../publish/config-chunks.js';

/** Where the operator publishes and which Deployment it rolls, unless told otherwise (manifests/ agree). */
export const DEFAULT_NAMESPACE = 'portico-system';
export const DEFAULT_ENVOY_DEPLOYMENT = 'portico-envoy';
export const HASH_LABEL = 'portico.dev/config-hash';
export const HASH_ANNOTATION = 'portico.dev/config-hash';
export const PUBLISHED_AT_ANNOTATION = 'portico.dev/published-at';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'portico';
/** Projected volume of every config ConfigMap of the generation; the init step unpacks it. */
export const CONFIG_VOLUME = 'published-config';
/** Projected volume of every certs Secret of the generation, mounted where Envoy reads certificates. */
export const CERTS_VOLUME = 'published-certs';
/** Selects every object we publish, for garbage collection. */
export const PUBLISHED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY},${HASH_LABEL}`;

export const configMapName = (hash: string, part = 0): string => (part === 0 ? `portico-envoy-${hash}` : `portico-envoy-${hash}-${part}`);
export const certsSecretName = (hash: string, part = 0): string => (part === 0 ? `portico-certs-${hash}` : `portico-certs-${hash}-${part}`);

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
  return { ok: true, publication: { hash: config.hash, configMaps, secrets, jsonBytes: packed.jsonBytes, gzipBytes: packed.gzipBytes } };
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
  const secrets = p.secrets.map((s) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: publishedMeta(s.name, namespace, p.hash, publishedAt),
    type: 'Opaque',
    immutable: true,
    data: Object.fromEntries(Object.keys(s.files).sort().map((n) => [n, Buffer.from(s.files[n], 'utf8').toString('base64')])),
  }));
  return [...configMaps.slice(1), ...secrets.slice(1), secrets[0], configMaps[0]];
}

/** Names of every object of a generation (for existence checks). */
export function publicationNames(p: Publication): { configMaps: string[]; secrets: string[] } {
  return { configMaps: p.configMaps.map((c) => c.name), secrets: p.secrets.map((s) => s.name) };
}

/** The apply configuration for the Deployment: only the fields Portico owns. */
export function deploymentApplyFor(name: string, namespace: string, p: Pick<Publication, 'hash' | 'configMaps' | 'secrets'>) {
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

interface ProjectedSource {
  configMap?: { name?: string };
  secret?: { name?: string };
}
/** A pod template volume, as far as the published names go. */
export interface Volume {
  name?: string;
  configMap?: { name?: string };
  secret?: { secretName?: string };
  projected?: { sources?: ProjectedSource[] | null };
}
interface PodTemplateHolder {
  spec?: {
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: { volumes?: Volume[] };
    };
  };
}

/** The ConfigMap names of the config volume, in order (head first), as an Envoy pod would mount them. */
export function configVolumeNames(obj: PodTemplateHolder | undefined): string[] {
  const v = obj?.spec?.template?.spec?.volumes?.find((x) => x.name === CONFIG_VOLUME);
  return (v?.projected?.sources ?? []).map((s) => s.configMap?.name).filter((n): n is string => !!n);
}

function certsVolumeNames(obj: PodTemplateHolder | undefined): string[] {
  const v = obj?.spec?.template?.spec?.volumes?.find((x) => x.name === CERTS_VOLUME);
  return (v?.projected?.sources ?? []).map((s) => s.secret?.name).filter((n): n is string => !!n);
}

const ofGeneration = (names: string[], head: string): boolean =>
  names.length > 0 && names[0] === head && names.every((n, i) => n === (i === 0 ? head : `${head}-${i}`));

/** The hash a Deployment or ReplicaSet template points at, if its annotation and both volumes agree. */
export function templateHash(obj: PodTemplateHolder | undefined): string | undefined {
  const hash = obj?.spec?.template?.metadata?.annotations?.[HASH_ANNOTATION];
  if (!hash) return undefined;
  return ofGeneration(configVolumeNames(obj), configMapName(hash)) && ofGeneration(certsVolumeNames(obj), certsSecretName(hash)) ? hash : undefined;
}

/** The template points at exactly this publication (hash and every part). */
export function templateMatches(obj: PodTemplateHolder | undefined, p: Publication): boolean {
  const names = publicationNames(p);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return templateHash(obj) === p.hash && same(configVolumeNames(obj), names.configMaps) && same(certsVolumeNames(obj), names.secrets);
}

/**
 * Every published name a template references (annotation, volume sources, and the single-object volumes of
 * earlier Portico versions), whether or not they agree.
 */
export function referencedNames(obj: PodTemplateHolder | undefined): string[] {
  const template = obj?.spec?.template;
  const out: string[] = [];
  const hash = template?.metadata?.annotations?.[HASH_ANNOTATION];
  if (hash) out.push(configMapName(hash), certsSecretName(hash));
  for (const v of template?.spec?.volumes ?? []) {
    if (v.configMap?.name) out.push(v.configMap.name);
    if (v.secret?.secretName) out.push(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) out.push(s.configMap.name);
      if (s.secret?.name) out.push(s.secret.name);
    }
  }
  return out;
}
