// What the operator reads about the Envoy rollout: the Deployment, its ReplicaSets and its pods, in the
// minimal shape the pure rollout functions need (wire JSON and client-node's typed models both fit it).
import type { Volume } from '../publish/template-refs.js';

export interface ObjectMetaFacts {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: unknown;
  ownerReferences?: Array<{ kind?: string; name?: string; uid?: string; controller?: boolean }>;
  managedFields?: Array<{ manager?: string; operation?: string; subresource?: string; fieldsV1?: unknown }>;
}

export interface ConditionFacts {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

export interface PodTemplateFacts {
  metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: { volumes?: Volume[] };
}

export interface DeploymentFacts {
  metadata?: ObjectMetaFacts;
  spec?: { replicas?: number; selector?: unknown; template?: PodTemplateFacts };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    terminatingReplicas?: number;
    conditions?: ConditionFacts[];
  };
}

export interface ReplicaSetFacts {
  metadata?: ObjectMetaFacts;
  spec?: { replicas?: number; template?: PodTemplateFacts };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: ConditionFacts[] };
}

export interface ContainerStatusFacts {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerStateFacts;
  lastState?: ContainerStateFacts;
}

export interface ContainerStateFacts {
  waiting?: { reason?: string; message?: string };
  running?: unknown;
  terminated?: { exitCode?: number; reason?: string; message?: string; signal?: number };
}

export interface PodFacts {
  metadata?: ObjectMetaFacts;
  spec?: { volumes?: Volume[] };
  status?: {
    phase?: string;
    podIP?: string;
    reason?: string;
    message?: string;
    conditions?: ConditionFacts[];
    initContainerStatuses?: ContainerStatusFacts[];
    containerStatuses?: ContainerStatusFacts[];
  };
}

/** An EndpointSlice of a Service in front of the Envoy pods: what load balancing still sends traffic to. */
export interface EndpointSliceFacts {
  endpoints?: Array<{
    addresses?: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    targetRef?: { kind?: string; name?: string };
  }> | null;
}

/** Everything known about the rollout at one moment. */
export interface RolloutFacts {
  /** Namespace and name of the Envoy Deployment (for messages). */
  namespace: string;
  name: string;
  /** Undefined when the Deployment does not exist. */
  deployment?: DeploymentFacts;
  replicaSets: ReplicaSetFacts[];
  pods: PodFacts[];
  /** The pod watch has listed: `pods` is the whole truth, not a partial view. */
  podsKnown: boolean;
  /** The ReplicaSet watch has listed (where pods are not served, e.g. the embedded API server, they tell what is Ready). */
  replicaSetsKnown?: boolean;
  /** The EndpointSlices of the Deployment's namespace: a deleted pod still listed ready still gets requests. */
  endpointSlices?: EndpointSliceFacts[];
  endpointsKnown?: boolean;
}
