// The kubelet of the test world: watches the pods bound to its node and runs each with a PodWorker.
import { watchList, type WatchedList } from '../rest.js';
import { PodWorker, type KubeletDeps } from './pod-worker.js';
import type { Pod } from './pod-types.js';

export interface Kubelet {
  /** The worker of a pod that runs (or ran) here, by namespace/name (the newest one of that name). */
  pod(namespace: string, name: string): PodWorker | undefined;
  stop(): void;
}

export function startKubelet(deps: KubeletDeps): Kubelet {
  const workers = new Map<string, PodWorker>();
  const byName = new Map<string, PodWorker>();
  const onChange = (type: string, pod: Pod): void => {
    const uid = pod.metadata.uid!;
    let w = workers.get(uid);
    if (type === 'DELETED') {
      w?.kill();
      workers.delete(uid);
      return;
    }
    if (!w) {
      w = new PodWorker(pod, deps);
      workers.set(uid, w);
      byName.set(`${pod.metadata.namespace}/${pod.metadata.name}`, w);
      const worker = w;
      void worker.run().catch((err: Error) => {
        process.stderr.write(`[world kubelet] ${worker.name}: ${err.stack ?? err.message}\n`);
      });
    }
    w.update(pod);
  };
  const pods: WatchedList<Pod> = watchList<Pod>(
    deps.rest,
    `/api/v1/pods?fieldSelector=spec.nodeName%3D${deps.nodeName}`,
    onChange,
  );
  return {
    pod: (namespace, name) => byName.get(`${namespace}/${name}`),
    stop() {
      pods.stop();
      for (const w of workers.values()) w.kill();
      workers.clear();
    },
  };
}
