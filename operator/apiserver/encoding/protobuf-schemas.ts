// Protobuf field numbers (k8s.io/api and apimachinery generated.proto) of the few built-in types kubectl's
// typed `kubectl create <kind>` commands send as application/vnd.kubernetes.protobuf. Verified against the
// bytes kubectl 1.32 sends for `create namespace|configmap|secret generic|serviceaccount|service|deployment`.
// A message lists only the fields those commands can set; the decoder refuses any other non-empty field.

export type FieldType =
  | 'string'
  | 'bytes' // JSON: base64
  | 'int'
  | 'bool'
  | 'intOrString'
  | 'time' // metav1.Time {seconds, nanos}: dropped (server-set metadata)
  | { message: string }
  | { map: 'string' | 'bytes' };

export interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** A Go pointer field: present means set, so a zero value is kept (e.g. replicas: 0, immutable: false). */
  pointer?: boolean;
}

export type MessageSpec = Record<number, FieldSpec>;

const msg = (message: string) => ({ message });

export const MESSAGES: Record<string, MessageSpec> = {
  ObjectMeta: {
    1: { name: 'name', type: 'string' },
    2: { name: 'generateName', type: 'string' },
    3: { name: 'namespace', type: 'string' },
    4: { name: 'selfLink', type: 'string' },
    5: { name: 'uid', type: 'string' },
    6: { name: 'resourceVersion', type: 'string' },
    7: { name: 'generation', type: 'int' },
    8: { name: 'creationTimestamp', type: 'time' },
    9: { name: 'deletionTimestamp', type: 'time' },
    10: { name: 'deletionGracePeriodSeconds', type: 'int', pointer: true },
    11: { name: 'labels', type: { map: 'string' } },
    12: { name: 'annotations', type: { map: 'string' } },
    13: { name: 'ownerReferences', type: msg('OwnerReference'), repeated: true },
    14: { name: 'finalizers', type: 'string', repeated: true },
  },
  OwnerReference: {
    1: { name: 'kind', type: 'string' },
    3: { name: 'name', type: 'string' },
    4: { name: 'uid', type: 'string' },
    5: { name: 'apiVersion', type: 'string' },
    6: { name: 'controller', type: 'bool', pointer: true },
    7: { name: 'blockOwnerDeletion', type: 'bool', pointer: true },
  },
  Namespace: {
    1: { name: 'metadata', type: msg('ObjectMeta') },
    2: { name: 'spec', type: msg('NamespaceSpec') },
    3: { name: 'status', type: msg('NamespaceStatus') },
  },
  NamespaceSpec: { 1: { name: 'finalizers', type: 'string', repeated: true } },
  NamespaceStatus: { 1: { name: 'phase', type: 'string' } },
  ConfigMap: {
    1: { name: 'metadata', type: msg('ObjectMeta') },
    2: { name: 'data', type: { map: 'string' } },
    3: { name: 'binaryData', type: { map: 'bytes' } },
    4: { name: 'immutable', type: 'bool', pointer: true },
  },
  Secret: {
    1: { name: 'metadata', type: msg('ObjectMeta') },
    2: { name: 'data', type: { map: 'bytes' } },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: { map: 'string' } },
    5: { name: 'immutable', type: 'bool', pointer: true },
  },
  ServiceAccount: {
    1: { name: 'metadata', type: msg('ObjectMeta') },
    3: { name: 'imagePullSecrets', type: msg('LocalObjectReference'), repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool', pointer: true },
  },
  LocalObjectReference: { 1: { name: 'name', type: 'string' } },
  Service: {
    1: { name: 'metadata', type: msg('ObjectMeta') },
    2: { name: 'spec', type: msg('ServiceSpec') },
    3: { name: 'status', type: msg('ServiceStatus') },
  },
  ServiceSpec: {
    1: { name: 'ports', type: msg('ServicePort'), repeated: true },
    2: { name: 'selector', type: { map: 'string' } },
    3: { name: 'clusterIP', type: 'string' },
    4: { name: 'type', type: 'string' },
    5: { name: 'externalIPs', type: 'string', repeated: true },
    7: { name: 'sessionAffinity', type: 'string' },
    8: { name: 'loadBalancerIP', type: 'string' },
    10: { name: 'externalName', type: 'string' },
    11: { name: 'externalTrafficPolicy', type: 'string' },
    12: { name: 'healthCheckNodePort', type: 'int' },
    13: { name: 'publishNotReadyAddresses', type: 'bool' },
    18: { name: 'clusterIPs', type: 'string', repeated: true },
  },
  ServicePort: {
    1: { name: 'name', type: 'string' },
    2: { name: 'protocol', type: 'string' },
    3: { name: 'port', type: 'int' },
    4: { name: 'targetPort', type: 'intOrString' },
    5: { name: 'nodePort', type: 'int' },
    6: { name: 'appProtocol', type: 'string', pointer: true },
  },
  ServiceStatus: {},
  Deployment: {
    1: { name: 'metadata', type: msg('ObjectMeta') },
    2: { name: 'spec', type: msg('DeploymentSpec') },
    3: { name: 'status', type: msg('DeploymentStatus') },
  },
  DeploymentSpec: {
    1: { name: 'replicas', type: 'int', pointer: true },
    2: { name: 'selector', type: msg('LabelSelector') },
    3: { name: 'template', type: msg('PodTemplateSpec') },
    4: { name: 'strategy', type: msg('DeploymentStrategy') },
  },
  DeploymentStrategy: { 1: { name: 'type', type: 'string' } },
  DeploymentStatus: {},
  LabelSelector: { 1: { name: 'matchLabels', type: { map: 'string' } } },
  PodTemplateSpec: { 1: { name: 'metadata', type: msg('ObjectMeta') }, 2: { name: 'spec', type: msg('PodSpec') } },
  PodSpec: { 2: { name: 'containers', type: msg('Container'), repeated: true } },
  Container: {
    1: { name: 'name', type: 'string' },
    2: { name: 'image', type: 'string' },
    3: { name: 'command', type: 'string', repeated: true },
    4: { name: 'args', type: 'string', repeated: true },
    6: { name: 'ports', type: msg('ContainerPort'), repeated: true },
    8: { name: 'resources', type: msg('ResourceRequirements') },
  },
  ContainerPort: {
    1: { name: 'name', type: 'string' },
    2: { name: 'hostPort', type: 'int' },
    3: { name: 'containerPort', type: 'int' },
    4: { name: 'protocol', type: 'string' },
    5: { name: 'hostIP', type: 'string' },
  },
  ResourceRequirements: {},
};

/** apiVersion/kind in the envelope → the message to decode its raw bytes as. */
export const DECODABLE_KINDS: Record<string, string> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Service': 'Service',
  'apps/v1/Deployment': 'Deployment',
};
