// The built-in resources the operator (and kubectl on its behalf) uses, with the strategy flags of the real
// registries (kubernetes pkg/registry/<group>/<resource>/strategy.go).
import { CORE_EVENT_FIELD_LABELS, DEFAULT_FIELD_LABELS, EVENTS_V1_FIELD_LABELS, NAMESPACE_FIELD_LABELS, SECRET_FIELD_LABELS, SERVICE_FIELD_LABELS } from './field-labels.js';
import type { ResourceType } from './resource-types.js';
import type { PrinterColumn } from '../encoding/table.js';

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', priority: 0 };

function builtin(p: Partial<ResourceType> & Pick<ResourceType, 'group' | 'version' | 'kind' | 'plural'>): ResourceType {
  return {
    listKind: `${p.kind}List`,
    singular: p.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    statusSubresource: false,
    allowUnconditionalUpdate: true,
    allowCreateOnUpdate: false,
    generation: 'none',
    custom: false,
    printerColumns: [AGE],
    fieldLabels: DEFAULT_FIELD_LABELS,
    goType: `V1${p.kind}`,
    ...p,
  };
}

export function builtinResources(): ResourceType[] {
  return [
    builtin({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], statusSubresource: true,
      printerColumns: [{ name: 'Status', type: 'string', jsonPath: '.status.phase' }, AGE], fieldLabels: NAMESPACE_FIELD_LABELS }),
    builtin({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'],
      printerColumns: [{ name: 'Data', type: 'integer', jsonPath: '.data', count: true }, AGE] }),
    builtin({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets',
      printerColumns: [{ name: 'Type', type: 'string', jsonPath: '.type' }, { name: 'Data', type: 'integer', jsonPath: '.data', count: true }, AGE], fieldLabels: SECRET_FIELD_LABELS }),
    builtin({ group: '', version: 'v1', kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'], statusSubresource: true,
      printerColumns: [
        { name: 'Type', type: 'string', jsonPath: '.spec.type' },
        { name: 'Cluster-IP', type: 'string', jsonPath: '.spec.clusterIP' },
        { name: 'Port(s)', type: 'string', jsonPath: '.spec.ports', ports: true },
        AGE,
      ],
      fieldLabels: SERVICE_FIELD_LABELS }),
    builtin({ group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', shortNames: ['ep'] }),
    builtin({ group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'] }),
    builtin({ group: '', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'], goType: 'CoreV1Event',
      printerColumns: [
        { name: 'Type', type: 'string', jsonPath: '.type' },
        { name: 'Reason', type: 'string', jsonPath: '.reason' },
        { name: 'Object', type: 'string', jsonPath: '.involvedObject.name' },
        { name: 'Message', type: 'string', jsonPath: '.message' },
        AGE,
      ],
      fieldLabels: CORE_EVENT_FIELD_LABELS }),
    builtin({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], statusSubresource: true, generation: 'tracked',
      printerColumns: [
        { name: 'Ready', type: 'string', jsonPath: '.status.readyReplicas', ready: true },
        { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedReplicas', zero: true },
        { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas', zero: true },
        AGE,
      ] }),
    builtin({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'], statusSubresource: true, generation: 'tracked',
      printerColumns: [
        { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', zero: true },
        { name: 'Current', type: 'integer', jsonPath: '.status.replicas', zero: true },
        { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas', zero: true },
        AGE,
      ] }),
    builtin({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', allowUnconditionalUpdate: false, allowCreateOnUpdate: true,
      printerColumns: [{ name: 'Holder', type: 'string', jsonPath: '.spec.holderIdentity' }, AGE] }),
    builtin({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices',
      printerColumns: [{ name: 'AddressType', type: 'string', jsonPath: '.addressType' }, AGE] }),
    builtin({ group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'], goType: 'EventsV1Event',
      printerColumns: [{ name: 'Type', type: 'string', jsonPath: '.type' }, { name: 'Reason', type: 'string', jsonPath: '.reason' }, { name: 'Note', type: 'string', jsonPath: '.note' }, AGE],
      fieldLabels: EVENTS_V1_FIELD_LABELS }),
    builtin({ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'], generation: 'tracked' }),
    builtin({ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', shortNames: ['pdb'], statusSubresource: true, generation: 'tracked' }),
    builtin({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles' }),
    builtin({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings',
      printerColumns: [{ name: 'Role', type: 'string', jsonPath: '.roleRef.name' }, AGE] }),
    builtin({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false }),
    builtin({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false,
      printerColumns: [{ name: 'Role', type: 'string', jsonPath: '.roleRef.name' }, AGE] }),
    builtin({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', shortNames: ['crd', 'crds'],
      namespaced: false, statusSubresource: true, generation: 'tracked', categories: ['api-extensions'],
      printerColumns: [{ name: 'Created At', type: 'string', jsonPath: '.metadata.creationTimestamp' }] }),
  ];
}
