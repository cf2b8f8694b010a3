// Events the kubelet records on a pod (FailedMount, BackOff, Unhealthy, Killing), so `kubectl describe pod`
// shows what happened, as on a real node.
import { randomBytes } from 'node:crypto';
import type { KubeObject, KubeRest } from '../rest.js';

export async function recordEvent(
  rest: KubeRest,
  pod: KubeObject,
  nodeName: string,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): Promise<void> {
  const m = pod.metadata;
  const t = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await rest
    .request('POST', `/api/v1/namespaces/${m.namespace}/events`, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${m.name}.${randomBytes(8).toString('hex')}`, namespace: m.namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid },
      reason,
      message: message.slice(0, 1024),
      type,
      source: { component: 'kubelet', host: nodeName },
      reportingComponent: 'kubelet',
      reportingInstance: nodeName,
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
    })
    .catch(() => {});
}
