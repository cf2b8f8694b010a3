// Pure description of what a published configuration looks like in the cluster: the immutable,
// content-addressed ConfigMap and certs Secret, and the Deployment fields we own (two volumes and the
// config-hash annotation on the pod template). Also reads back which hash a Deployment/ReplicaSet points at.

export const CONFIG_KEY = 'envoy.json';
export const HASH_LABEL = 'portico.dev/config-hash';
export const HASH_ANNOTATION = 'portico.dev/config-hash';
export const PUBLISHED_AT_ANNOTATION = 'portico.dev/published-at';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'portico';
export const CONFIG_VOLUME = 'envoy-config';
export const CERTS_VOLUME = 'envoy-certs';
/** Selects every object we publish, for garbage collection. */
export const PUBLISHED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY},${HASH_LABEL}`;

export const configMapName = (hash: string): string => `portico-envoy-${hash}`;
export const certsSecretName = (hash: string): string => `portico-certs-${hash}`;

export interface PublishableConfig {
  hash: string;
  json: string;
  certFiles: Record<string, string>;
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

export function configMapFor(config: PublishableConfig, namespace: string, publishedAt: string) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: publishedMeta(configMapName(config.hash), namespace, config.hash, publishedAt),
    immutable: true,
    data: { [CONFIG_KEY]: config.json },
  };
}

export function certsSecretFor(config: PublishableConfig, namespace: string, publishedAt: string) {
  const data: Record<string, string> = {};
  for (const name of Object.keys(config.certFiles).sort()) data[name] = Buffer.from(config.certFiles[name], 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: publishedMeta(certsSecretName(config.hash), namespace, config.hash, publishedAt),
    type: 'Opaque',
    immutable: true,
    data,
  };
}

/** The apply configuration for the Deployment: only the fields Portico owns. */
export function deploymentApplyFor(name: string, namespace: string, hash: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      template: {
        metadata: { annotations: { [HASH_ANNOTATION]: hash } },
        spec: {
          volumes: [
            { name: CONFIG_VOLUME, configMap: { name: configMapName(hash) } },
            { name: CERTS_VOLUME, secret: { secretName: certsSecretName(hash) } },
          ],
        },
      },
    },
  };
}

interface PodTemplateHolder {
  spec?: {
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: { volumes?: Array<{ name?: string; configMap?: { name?: string }; secret?: { secretName?: string } }> };
    };
  };
}

/** The hash a Deployment or ReplicaSet template points at, if its annotation and both volumes agree. */
export function templateHash(obj: PodTemplateHolder | undefined): string | undefined {
  const template = obj?.spec?.template;
  const hash = template?.metadata?.annotations?.[HASH_ANNOTATION];
  if (!hash) return undefined;
  const volumes = template?.spec?.volumes ?? [];
  const config = volumes.find((v) => v.name === CONFIG_VOLUME)?.configMap?.name;
  const certs = volumes.find((v) => v.name === CERTS_VOLUME)?.secret?.secretName;
  return config === configMapName(hash) && certs === certsSecretName(hash) ? hash : undefined;
}

/** Every published name a template references (annotation or volume), whether or not they agree. */
export function referencedNames(obj: PodTemplateHolder | undefined): string[] {
  const template = obj?.spec?.template;
  const out: string[] = [];
  const hash = template?.metadata?.annotations?.[HASH_ANNOTATION];
  if (hash) out.push(configMapName(hash), certsSecretName(hash));
  for (const v of template?.spec?.volumes ?? []) {
    if (v.configMap?.name) out.push(v.configMap.name);
    if (v.secret?.secretName) out.push(v.secret.secretName);
  }
  return out;
}
