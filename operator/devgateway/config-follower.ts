// Follows the Envoy config the way an Envoy pod sees it: the `portico-envoy` Deployment's `published-config`
// projected volume names the ConfigMaps of one generation; their keys, merged, are unpacked exactly as the
// pod's init step does (operator/publish/config-chunks.ts). With `certificates` (for real Envoy) it also reads
// what the pod mounts at /etc/portico/certs, the Secrets of the `published-certs` projected volume (their keys
// merged; a missing Secret not marked optional keeps the pod from starting, so the config waits for it), and
// the pod template's Envoy container (its args and resources make Envoy's command line). Polling a loopback
// API server is cheap and survives API restarts without watch bookkeeping.
import * as k8s from '@kubernetes/client-node';
import { CERTS_VOLUME, CONFIG_VOLUME } from '../publish/names.js';
import { configVolumeNames } from '../publish/template-refs.js';
import { readPublishedConfig } from '../kube/read-published.js';
import { apiErrorMessage } from '../kube/api-error.js';

export interface FollowedConfig {
  /** The head ConfigMap (portico-envoy-<hash>, or the manifests' placeholder). */
  configMap: string;
  /** Every ConfigMap the config was assembled from, head first. */
  configMaps: string[];
  bootstrap: object;
  /** With `certificates`: file name → content of the published-certs volume, as the pod sees it. */
  certFiles?: Record<string, string>;
  /** With `certificates`: the pod template's Envoy container (named `envoy`, else the first). */
  envoyContainer?: k8s.V1Container;
}

export interface ConfigFollowerOptions {
  kubeConfig: k8s.KubeConfig;
  namespace: string;
  deploymentName: string;
  intervalMs?: number;
  /** Also read the certificate Secrets and the Envoy container (what real Envoy needs). */
  certificates?: boolean;
  onConfig(config: FollowedConfig): void;
  onError?(message: string): void;
}

export function followPublishedConfig(opts: ConfigFollowerOptions): { stop(): void } {
  const apps = opts.kubeConfig.makeApiClient(k8s.AppsV1Api);
  const core = opts.kubeConfig.makeApiClient(k8s.CoreV1Api);
  let current: string | undefined;
  let lastError: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const report = (message: string): void => {
    if (message !== lastError) opts.onError?.(message);
    lastError = message;
  };

  const poll = async (): Promise<void> => {
    try {
      const deployment = await apps.readNamespacedDeployment({ name: opts.deploymentName, namespace: opts.namespace });
      const names = configVolumeNames(deployment);
      if (names.length === 0)
        return report(
          `Deployment ${opts.namespace}/${opts.deploymentName} has no ${CONFIG_VOLUME} ConfigMap volume yet`,
        );
      const spec = deployment.spec?.template?.spec;
      const certs = opts.certificates ? certSources(spec) : [];
      const envoyContainer = opts.certificates
        ? (spec?.containers.find((c) => c.name === 'envoy') ?? spec?.containers[0])
        : undefined;
      const key = JSON.stringify([names, certs, envoyContainer ?? null]);
      if (key === current) return;
      const text = await readPublishedConfig(core, opts.namespace, names);
      const bootstrap = JSON.parse(text) as object;
      const certFiles = opts.certificates ? await readCertFiles(core, opts.namespace, certs) : undefined;
      if (typeof certFiles === 'string') return report(certFiles);
      current = key;
      lastError = undefined;
      opts.onConfig({
        configMap: names[0],
        configMaps: names,
        bootstrap,
        ...(opts.certificates ? { certFiles, envoyContainer } : {}),
      });
    } catch (err) {
      if ((err as { code?: number }).code === 404)
        return report(`waiting for Deployment ${opts.namespace}/${opts.deploymentName} and its published config`);
      report(`cannot read the published config: ${apiErrorMessage(err)}`);
    }
  };

  const loop = async (): Promise<void> => {
    await poll();
    if (!stopped) timer = setTimeout(() => void loop(), opts.intervalMs ?? 250);
  };
  void loop();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

interface CertSource {
  name: string;
  optional: boolean;
}

function certSources(spec: k8s.V1PodSpec | undefined): CertSource[] {
  const volume = spec?.volumes?.find((v) => v.name === CERTS_VOLUME);
  const projected = (volume?.projected?.sources ?? []).flatMap((s) =>
    s.secret?.name ? [{ name: s.secret.name, optional: s.secret.optional === true }] : [],
  );
  return volume?.secret?.secretName
    ? [{ name: volume.secret.secretName, optional: volume.secret.optional === true }]
    : projected;
}

/** The files of the certificate volume (later sources win, as in a projected volume), or why it cannot mount yet. */
async function readCertFiles(
  core: k8s.CoreV1Api,
  namespace: string,
  sources: CertSource[],
): Promise<Record<string, string> | string> {
  const files: Record<string, string> = {};
  for (const s of sources) {
    let secret: k8s.V1Secret;
    try {
      secret = await core.readNamespacedSecret({ name: s.name, namespace });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
      if (s.optional) continue;
      return `waiting for Secret ${namespace}/${s.name} of the ${CERTS_VOLUME} volume (a pod does not start without it)`;
    }
    for (const [k, v] of Object.entries(secret.data ?? {})) files[k] = Buffer.from(v, 'base64').toString('utf8');
  }
  return files;
}
