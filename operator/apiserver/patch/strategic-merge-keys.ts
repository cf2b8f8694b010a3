// Patch strategies of the built-in kinds Portico's server stores: the `patchStrategy`/`patchMergeKey` struct
// tags of k8s.io/api, and the `+listType`/`+listMapKey` markers server-side apply reads from the same types.
// Paths are field names from the object root; list levels are skipped
// (`spec.template.spec.containers.ports` = the ports of any container).

export interface FieldStrategy {
  /** `patchStrategy:"merge"`: lists merge item by item (by `mergeKey`, or by value for scalars). */
  merge?: boolean;
  mergeKey?: string;
  /** `patchStrategy:"retainKeys"`: kubectl sends `$retainKeys` for this map. */
  retainKeys?: boolean;
}

type Table = Record<string, FieldStrategy>;

function under(prefix: string, table: Table): Table {
  const out: Table = {};
  for (const [k, v] of Object.entries(table)) out[`${prefix}.${k}`] = v;
  return out;
}

const objectMeta: Table = {
  finalizers: { merge: true },
  ownerReferences: { merge: true, mergeKey: 'uid' },
};

const container: Table = {
  ports: { merge: true, mergeKey: 'containerPort' },
  env: { merge: true, mergeKey: 'name' },
  volumeMounts: { merge: true, mergeKey: 'mountPath' },
  volumeDevices: { merge: true, mergeKey: 'devicePath' },
};

const podSpec: Table = {
  containers: { merge: true, mergeKey: 'name' },
  ...under('containers', container),
  initContainers: { merge: true, mergeKey: 'name' },
  ...under('initContainers', container),
  ephemeralContainers: { merge: true, mergeKey: 'name' },
  ...under('ephemeralContainers', container),
  volumes: { merge: true, mergeKey: 'name', retainKeys: true },
  imagePullSecrets: { merge: true, mergeKey: 'name' },
  hostAliases: { merge: true, mergeKey: 'ip' },
  topologySpreadConstraints: { merge: true, mergeKey: 'topologyKey' },
  schedulingGates: { merge: true, mergeKey: 'name' },
  resourceClaims: { merge: true, mergeKey: 'name', retainKeys: true },
};

const conditions: Table = { 'status.conditions': { merge: true, mergeKey: 'type' } };

const podTemplateOwner: Table = {
  ...under('spec.template.metadata', objectMeta),
  ...under('spec.template.spec', podSpec),
  ...conditions,
};

interface KindEntry {
  groups: string[];
  table: Table;
}

const KINDS: Record<string, KindEntry> = {
  Deployment: { groups: ['apps'], table: { ...podTemplateOwner, 'spec.strategy': { retainKeys: true } } },
  ReplicaSet: { groups: ['apps'], table: podTemplateOwner },
  StatefulSet: { groups: ['apps'], table: podTemplateOwner },
  DaemonSet: { groups: ['apps'], table: { ...podTemplateOwner, 'spec.updateStrategy': { retainKeys: true } } },
  Job: { groups: ['batch'], table: podTemplateOwner },
  Pod: { groups: [''], table: { ...under('spec', podSpec), ...conditions } },
  Service: { groups: [''], table: { 'spec.ports': { merge: true, mergeKey: 'port' }, ...conditions } },
  ConfigMap: { groups: [''], table: {} },
  Secret: { groups: [''], table: {} },
  Namespace: { groups: [''], table: conditions },
  ServiceAccount: { groups: [''], table: { secrets: { merge: true, mergeKey: 'name' } } },
  Endpoints: { groups: [''], table: {} },
  Event: { groups: ['', 'events.k8s.io'], table: {} },
  EndpointSlice: { groups: ['discovery.k8s.io'], table: {} },
  Role: { groups: ['rbac.authorization.k8s.io'], table: {} },
  ClusterRole: { groups: ['rbac.authorization.k8s.io'], table: {} },
  RoleBinding: { groups: ['rbac.authorization.k8s.io'], table: {} },
  ClusterRoleBinding: { groups: ['rbac.authorization.k8s.io'], table: {} },
  PodDisruptionBudget: { groups: ['policy'], table: conditions },
  NetworkPolicy: { groups: ['networking.k8s.io'], table: {} },
  Lease: { groups: ['coordination.k8s.io'], table: {} },
  CustomResourceDefinition: { groups: ['apiextensions.k8s.io'], table: conditions },
};

/** The group of an `apiVersion` (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function entryFor(kind: string, apiVersion?: string): KindEntry | undefined {
  const e = Object.prototype.hasOwnProperty.call(KINDS, kind) ? KINDS[kind] : undefined;
  if (!e) return undefined;
  if (apiVersion !== undefined && !e.groups.includes(groupOf(apiVersion))) return undefined;
  return e;
}

/**
 * Whether the server accepts `application/strategic-merge-patch+json` for this kind. Custom resources do not
 * (the real server answers 415). Pass `apiVersion` to tell a CR that reuses a built-in kind name apart.
 */
export function strategicMergeSupported(kind: string, apiVersion?: string): boolean {
  return entryFor(kind, apiVersion) !== undefined;
}

/** The strategy for the field at `path` (list levels skipped); `{}` when the field has none. */
export function fieldStrategy(kind: string, path: string[], apiVersion?: string): FieldStrategy {
  const e = entryFor(kind, apiVersion);
  if (!e) return {};
  const key = path.join('.');
  if (path[0] === 'metadata' && path.length === 2) return objectMeta[path[1]] ?? {};
  return e.table[key] ?? {};
}

export type ListType = { type: 'atomic' } | { type: 'map'; keys: string[] } | { type: 'set' };
export type ListTypeFn = (path: string[]) => ListType | undefined;

/**
 * Server-side-apply list types for built-ins, derived from the merge strategies: keyed merge → map list,
 * scalar merge → set, anything else atomic. Unknown kinds (custom resources) get atomic lists.
 */
export function builtinListType(kind: string, apiVersion?: string): ListTypeFn {
  return (path) => {
    // Every kind, custom resources included, has ObjectMeta's finalizers (set) and ownerReferences (by uid).
    const s =
      path[0] === 'metadata' && path.length === 2 ? (objectMeta[path[1]] ?? {}) : fieldStrategy(kind, path, apiVersion);
    if (s.merge && s.mergeKey) return { type: 'map', keys: [s.mergeKey] };
    if (s.merge) return { type: 'set' };
    return { type: 'atomic' };
  };
}
