// The scheduler's part: every pending pod is bound to the test world's one node (POST …/pods/<name>/binding,
// which also sets PodScheduled), as kube-scheduler would with a single schedulable node.
import { watchList, type KubeRest, type WatchedList } from '../rest.js';
import type { Pod } from './pod-types.js';

export function startScheduler(rest: KubeRest, nodeName: string): WatchedList<Pod> {
  const bound = new Set<string>();
  const bind = (pod: Pod): void => {
    const m = pod.metadata;
    if (pod.spec.nodeName || m.deletionTimestamp || bound.has(m.uid!)) return;
    bound.add(m.uid!);
    void rest
      .request('POST', `/api/v1/namespaces/${m.namespace}/pods/${m.name}/binding`, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: m.name, namespace: m.namespace, uid: m.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      })
      .then((r) => {
        if (r.status !== 201 && r.status !== 409 && r.status !== 404) bound.delete(m.uid!);
      })
      .catch(() => bound.delete(m.uid!));
  };
  return watchList<Pod>(rest, '/api/v1/pods?fieldSelector=spec.nodeName%3D', (type, pod) => {
    if (type !== 'DELETED') bind(pod);
  });
}
