// Follows the Envoy config the way an Envoy pod sees it: the `portico-envoy` Deployment's `envoy-config`
// volume names a ConfigMap, whose `envoy.json` is the bootstrap. Polling a loopback API server is cheap and
// survives API restarts without watch bookkeeping.
import * as k8s from '@kubernetes/client-node';

export interface FollowedConfig {
  configMap: string;
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

const CONFIG_VOLUME = 'envoy-config';
const CONFIG_KEY = 'envoy.json';

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
      const volume = deployment.spec?.template.spec?.volumes?.find((v) => v.name === CONFIG_VOLUME);
      const name = volume?.configMap?.name;
      if (!name) return report(`Deployment ${opts.namespace}/${opts.deploymentName} has no ${CONFIG_VOLUME} ConfigMap volume yet`);
      if (name === current) return;
      const cm = await core.readNamespacedConfigMap({ name, namespace: opts.namespace });
      const text = cm.data?.[CONFIG_KEY];
      if (!text) return report(`ConfigMap ${opts.namespace}/${name} has no ${CONFIG_KEY}`);
      const bootstrap = JSON.parse(text) as object;
      current = name;
      lastError = undefined;
      opts.onConfig({ configMap: name, bootstrap });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return report(`waiting for Deployment ${opts.namespace}/${opts.deploymentName} and its published config`);
      report(`cannot read the published config: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
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
