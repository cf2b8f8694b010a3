// The names and labels of what the operator publishes, and where, unless told otherwise (manifests/ agree):
// the contract between the operator, the Envoy Deployment's pod template and anyone reading the cluster.

/** The operator's own namespace: where the Envoy Deployment lives, configs are published and the Lease is held. */
export const DEFAULT_OPERATOR_NAMESPACE = 'portico-system';
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

/** The head ConfigMap of a generation (part 0), and its further parts. */
export const configMapName = (hash: string, part = 0): string =>
  part === 0 ? `portico-envoy-${hash}` : `portico-envoy-${hash}-${part}`;
/** The head certificates Secret of a generation (part 0, possibly empty), and its further parts. */
export const certsSecretName = (hash: string, part = 0): string =>
  part === 0 ? `portico-certs-${hash}` : `portico-certs-${hash}-${part}`;

/**
 * `xds` delivery: the mutable ConfigMap naming the generation to serve (key XDS_CURRENT_KEY), written by the
 * leader after the generation's objects exist; every operator replica watches it (by XDS_CURRENT_LABEL) and
 * serves that generation, read back from its ConfigMaps and Secrets. It carries no config-hash label, so garbage
 * collection never selects it.
 */
export const XDS_CURRENT_CONFIGMAP = 'portico-xds-current';
export const XDS_CURRENT_KEY = 'hash';
export const XDS_CURRENT_LABEL = 'portico.dev/xds-current';
export const XDS_CURRENT_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY},${XDS_CURRENT_LABEL}=true`;
