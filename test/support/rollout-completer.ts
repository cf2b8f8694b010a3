// A minimal stand-in for the Deployment controller, for tests that need Programmed=True from the embedded API
// server without the cost of its full Deployment controller (ReplicaSets, revisions): it watches the Deployments
// of one namespace and writes the status of a completed rollout for each new generation, as kube-controller-
// manager does once every new pod is available. Nothing else.
import * as k8s from '@kubernetes/client-node';

export function completedStatus(d: k8s.V1Deployment): k8s.V1DeploymentStatus {
  const replicas = d.spec?.replicas ?? 1;
  return {
    observedGeneration: d.metadata?.generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
  };
}

export function startRolloutCompleter(kc: k8s.KubeConfig, namespace: string): { stop(): Promise<void> } {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const informer = k8s.makeInformer(kc, `/apis/apps/v1/namespaces/${namespace}/deployments`, () =>
    apps.listNamespacedDeployment({ namespace }),
  );
  let stopped = false;
  const complete = async (d: k8s.V1Deployment) => {
    if (stopped || (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)) return;
    await apps
      .replaceNamespacedDeploymentStatus({
        namespace,
        name: d.metadata!.name!,
        body: { ...d, status: completedStatus(d) },
      })
      .catch(() => undefined); // a conflict: the next event retries
  };
  informer.on('add', (d) => void complete(d));
  informer.on('update', (d) => void complete(d));
  informer.on('error', () => setTimeout(() => !stopped && void informer.start(), 200));
  void informer.start();
  return {
    async stop() {
      stopped = true;
      await informer.stop();
    },
  };
}
