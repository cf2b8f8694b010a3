// Follows the Envoy config the way an Envoy pod sees it: the `portico-envoy` Deployment's `published-config`
// projected volume names the ConfigMaps of one generation; their keys, merged, are unpacked exactly as the
// pod's init step does (operator/publish/config-chunks.ts). Polling a loopback API server is cheap and
// survives API restarts without watch bookkeeping.
import * as k8s from '@kubernetes/client-node';
import { CONFIG_VOLUME } from '../publish/names.js';
import { configVolumeNames } from '../publish/template-refs.js';
import { readPublishedConfig } from '../kube/read-published.js';
import { apiErrorMessage } from '../kube/api-error.js';

export interface FollowedConfig {
  /** The head ConfigMap (portico-envoy-<hash>, or the manifests' placeholder). */
  configMap: string;
  /** Every ConfigMap the config was assembled from, head first. */
  configMaps: string[];
  bootstrap: object;
}

export interface ConfigFollowerOptions {
  kubeConfig: k8s.KubeConfig;
  namespace: string;
  deploymentName: string;
  intervalMs?: number;
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
      if (names.length === 0) return report(`Deployment ${opts.namespace}/${opts.deploymentName} has no ${CONFIG_VOLUME} ConfigMap volume yet`);
      const key = names.join(',');
      if (key === current) return;
      const text = await readPublishedConfig(core, opts.namespace, names);
      const bootstrap = JSON.parse(text) as object;
      current = key;
      lastError = undefined;
      opts.onConfig({ configMap: names[0], configMaps: names, bootstrap });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return report(`waiting for Deployment ${opts.namespace}/${opts.deploymentName} and its published config`);
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
