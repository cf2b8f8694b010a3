// Deployments, ReplicaSets and pods shaped as kube-apiserver 1.36 and kube-controller-manager return them
// (fields as seen on the real test world), for the pure rollout functions.
import type {
  ContainerStatusFacts,
  DeploymentFacts,
  PodFacts,
  ReplicaSetFacts,
  RolloutFacts,
} from '../../../operator/kube/rollout-facts.js';

export const NS = 'portico-system';
export const UID = 'deployment-uid';

const volumes = (hash: string) => [
  { name: 'unpacked-config', emptyDir: {} },
  { name: 'published-config', projected: { sources: [{ configMap: { name: `portico-envoy-${hash}` } }] } },
  { name: 'published-certs', projected: { sources: [{ secret: { name: `portico-certs-${hash}` } }] } },
];
const template = (hash: string) => ({
  metadata: { annotations: { 'portico.dev/config-hash': hash } },
  spec: { volumes: volumes(hash) },
});

export function deployment(
  hash: string,
  o: {
    generation?: number;
    observed?: number;
    replicas?: number;
    status?: Partial<NonNullable<DeploymentFacts['status']>>;
    revision?: number;
    progressing?: { status: string; reason: string; message?: string };
  } = {},
): DeploymentFacts {
  const generation = o.generation ?? 4;
  return {
    metadata: {
      name: 'portico-envoy',
      namespace: NS,
      uid: UID,
      generation,
      annotations: { 'deployment.kubernetes.io/revision': String(o.revision ?? 4) },
    },
    spec: { replicas: o.replicas ?? 2, template: template(hash) },
    status: {
      observedGeneration: o.observed ?? generation,
      ...o.status,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        {
          type: 'Progressing',
          ...(o.progressing ?? {
            status: 'True',
            reason: 'ReplicaSetUpdated',
            message: 'ReplicaSet "portico-envoy-x" is progressing.',
          }),
        },
      ],
    },
  };
}

/** The status kube-controller-manager writes once everything is updated and available. */
export const done = (replicas = 2) => ({
  replicas,
  updatedReplicas: replicas,
  readyReplicas: replicas,
  availableReplicas: replicas,
});

export function replicaSet(
  hash: string,
  podHash: string,
  revision: number,
  status: Partial<NonNullable<ReplicaSetFacts['status']>> = {},
): ReplicaSetFacts {
  return {
    metadata: {
      name: `portico-envoy-${podHash}`,
      namespace: NS,
      labels: { 'pod-template-hash': podHash },
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ kind: 'Deployment', name: 'portico-envoy', uid: UID, controller: true }],
    },
    spec: { replicas: status.replicas ?? 0, template: template(hash) },
    status: { replicas: 0, ...status },
  };
}

export const running = (name = 'envoy'): ContainerStatusFacts => ({
  name,
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
  lastState: {},
});
export const initDone: ContainerStatusFacts = {
  name: 'unpack-config',
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode: 0, reason: 'Completed' } },
  lastState: {},
};

export function pod(
  name: string,
  hash: string,
  podHash: string,
  o: {
    ready?: boolean;
    deleting?: boolean;
    containers?: ContainerStatusFacts[];
    init?: ContainerStatusFacts[];
    phase?: string;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  } = {},
): PodFacts {
  const isReady = o.ready ?? true;
  return {
    metadata: {
      name,
      namespace: NS,
      labels: { 'pod-template-hash': podHash },
      annotations: { 'portico.dev/config-hash': hash },
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: { volumes: volumes(hash) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.conditions ?? [
        { type: 'Ready', status: isReady ? 'True' : 'False', reason: isReady ? undefined : 'ContainersNotReady' },
      ],
      initContainerStatuses: o.init ?? [initDone],
      containerStatuses: o.containers ?? [isReady ? running() : { ...running(), ready: false }],
    },
  };
}

export function facts(
  d: DeploymentFacts | undefined,
  replicaSets: ReplicaSetFacts[] = [],
  pods: PodFacts[] = [],
  podsKnown = true,
  replicaSetsKnown?: boolean,
): RolloutFacts {
  return { namespace: NS, name: 'portico-envoy', deployment: d, replicaSets, pods, podsKnown, replicaSetsKnown };
}
