// The test world's one Node: registered Ready with the node's pod-network address, its Lease renewed every 10 s
// so the node lifecycle controller keeps it Ready (and never taints or evicts its pods).
import type { KubeRest } from '../rest.js';

export interface NodeRegistration {
  stop(): void;
}

/** What the node offers pods; the downward API also reports it for a limit a container does not set. */
export const NODE_ALLOCATABLE = { cpu: '2', memory: '24Gi' };

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const microNow = (): string => new Date().toISOString().replace('Z', '000Z');

export async function registerNode(
  rest: KubeRest,
  name: string,
  address: string,
  kubeVersion: string,
): Promise<NodeRegistration> {
  await rest.must('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
    },
  });
  const status = () => ({
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'the test world kubelet is posting ready status',
          lastHeartbeatTime: now(),
          lastTransitionTime: started,
        },
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          lastHeartbeatTime: now(),
          lastTransitionTime: started,
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          lastHeartbeatTime: now(),
          lastTransitionTime: started,
        },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          lastHeartbeatTime: now(),
          lastTransitionTime: started,
        },
      ],
      addresses: [
        { type: 'InternalIP', address },
        { type: 'Hostname', address: name },
      ],
      capacity: { ...NODE_ALLOCATABLE, pods: '110' },
      allocatable: { ...NODE_ALLOCATABLE, pods: '110' },
      nodeInfo: {
        kubeletVersion: kubeVersion,
        kubeProxyVersion: kubeVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
        containerRuntimeVersion: 'world://1',
        kernelVersion: '',
        osImage: 'portico test world',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  });
  const started = now();
  await rest.must('PATCH', `/api/v1/nodes/${name}/status`, status(), 'application/strategic-merge-patch+json');
  const leasePath = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`;
  await rest.must('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microNow() },
  });
  let beats = 0;
  const timer = setInterval(() => {
    void rest
      .request('PATCH', leasePath, { spec: { renewTime: microNow() } }, 'application/merge-patch+json')
      .catch(() => {});
    // The status itself every minute, as the kubelet's nodeStatusReportFrequency.
    if (++beats % 6 === 0)
      void rest
        .request('PATCH', `/api/v1/nodes/${name}/status`, status(), 'application/strategic-merge-patch+json')
        .catch(() => {});
  }, 10_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
