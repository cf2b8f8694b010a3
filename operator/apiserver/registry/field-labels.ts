// Which field selector labels each resource accepts, and what value an object has for each, as the real
// server's field label conversion functions (kubernetes pkg/apis/core/v1/conversion.go, pkg/apis/events/v1,
// apimachinery runtime.DefaultMetaV1FieldSelectorConversion, apiextensions conversion/converter.go) and the
// registries' ToSelectableFields (e.g. pkg/registry/core/event/strategy.go) define them.

type Obj = Record<string, any>;

export interface FieldLabels {
  /** Every label a field selector may name on this resource. */
  labels: string[];
  /** The error text the conversion function gives for any other label (served as 400 BadRequest). */
  unsupported(label: string): string;
  /** The object's value for a supported label ('' when absent, which is what fields.Set.Get returns). */
  valueOf(obj: Obj, label: string): string;
}

const META = ['metadata.name', 'metadata.namespace'];

function atPath(obj: Obj, path: string): string {
  let cur: any = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = cur[p];
  }
  return cur === undefined || cur === null || typeof cur === 'object' ? '' : String(cur);
}

const notSupported = (label: string): string => `field label not supported: ${label}`;

function labelsFor(
  labels: string[],
  valueOf: (obj: Obj, label: string) => string = atPath,
  unsupported = notSupported,
): FieldLabels {
  return { labels, unsupported, valueOf };
}

/** Built-ins without a registered conversion function: metadata.name and metadata.namespace only. */
export const DEFAULT_FIELD_LABELS: FieldLabels = labelsFor(
  META,
  atPath,
  (label) => `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
);

export const NAMESPACE_FIELD_LABELS = labelsFor(['metadata.name', 'status.phase']);
export const SECRET_FIELD_LABELS = labelsFor([...META, 'type']);
export const SERVICE_FIELD_LABELS = labelsFor([...META, 'spec.clusterIP', 'spec.type']);

const INVOLVED = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

/** core/v1 Event: `source` is source.component, or reportingComponent when that is empty. */
export const CORE_EVENT_FIELD_LABELS = labelsFor(
  [...INVOLVED.map((f) => `involvedObject.${f}`), 'reason', 'reportingComponent', 'source', 'type', ...META],
  (obj, label) =>
    label === 'source' ? atPath(obj, 'source.component') || atPath(obj, 'reportingComponent') : atPath(obj, label),
);

/**
 * events.k8s.io/v1 Event: the same selectable fields, spelled after the events.k8s.io field names. (Known gap:
 * the real server stores both Event versions once and converts; here they are separate collections.)
 */
export const EVENTS_V1_FIELD_LABELS = labelsFor(
  [...INVOLVED.map((f) => `regarding.${f}`), 'reason', 'reportingController', 'source', 'type', ...META],
  (obj, label) =>
    label === 'source'
      ? atPath(obj, 'deprecatedSource.component') || atPath(obj, 'reportingController')
      : atPath(obj, label),
);

/**
 * Custom resources: metadata.name, metadata.namespace when namespaced, and the version's
 * `selectableFields` (CustomResourceFieldSelectors, on by default in 1.32) given as `.spec.color` JSONPaths.
 */
export function customResourceFieldLabels(
  namespaced: boolean,
  selectableFields: Array<{ jsonPath?: string }> = [],
): FieldLabels {
  const extra = selectableFields.map((f) => String(f.jsonPath ?? '').replace(/^\./, '')).filter((p) => p !== '');
  return labelsFor([...(namespaced ? META : ['metadata.name']), ...extra]);
}
