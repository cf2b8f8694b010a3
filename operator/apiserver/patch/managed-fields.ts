// metadata.managedFields: decoding entries into field sets, encoding them back in the real server's order,
// and the bookkeeping after a non-apply write (recordManagedUpdate).

import { PatchError } from './errors.js';
import { FieldSet, type FieldPath } from './field-set.js';
import { jsonEqual } from '../../api/json-equality.js';
import { deepClone, isObject, type JsonObject } from './json-values.js';
import { compareFields } from './object-fields.js';
import { builtinListType, strategicMergeSupported, type ListTypeFn } from './strategic-merge-keys.js';

export type KubeObject = JsonObject & { apiVersion?: string; kind?: string; metadata?: JsonObject };

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** A decoded entry: who, and the set of fields they own. */
export interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

/**
 * Entries with equal identity are one manager. Appliers are identified without their apiVersion (so
 * re-applying with another version is the same applier); updaters with it, as in apimachinery.
 */
export function managerIdentity(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource ?? '']);
}

/** Fields no one owns: identity and server-maintained metadata (apimachinery stripmeta.go). */
const UNOWNED: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...[
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'resourceVersion',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ].map((f) => ['f:metadata', `f:${f}`]),
];

export function withoutUnowned(set: FieldSet): FieldSet {
  return set.difference(FieldSet.of(UNOWNED));
}

/** RFC3339 at second precision, as metav1.Time serialises. */
export function toSecondPrecision(now: string): string {
  const ms = Date.parse(now);
  if (Number.isNaN(ms)) throw new PatchError(400, `invalid time ${JSON.stringify(now)}: must be RFC3339`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function decodeManagedFields(obj: KubeObject | undefined | null): Manager[] {
  const raw = obj?.metadata?.managedFields;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PatchError(400, 'metadata.managedFields: must be a list');
  const out: Manager[] = [];
  raw.forEach((e, i) => {
    if (!isObject(e)) throw new PatchError(400, `metadata.managedFields[${i}]: must be an object`);
    if (Object.keys(e).length === 0) return; // `[{}]` is how a client clears managedFields
    const operation = e.operation;
    if (operation !== 'Apply' && operation !== 'Update') {
      throw new PatchError(400, `metadata.managedFields[${i}].operation: must be "Apply" or "Update"`);
    }
    let fields: FieldSet;
    try {
      fields = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch (err) {
      throw new PatchError(400, `metadata.managedFields[${i}].fieldsV1: ${(err as Error).message}`);
    }
    out.push({
      manager: String(e.manager ?? ''),
      operation,
      apiVersion: String(e.apiVersion ?? ''),
      time: typeof e.time === 'string' ? e.time : undefined,
      subresource: typeof e.subresource === 'string' && e.subresource !== '' ? e.subresource : undefined,
      fields,
    });
  });
  return out;
}

/** Entries in the real server's order: Apply before Update, then by time, manager, apiVersion, subresource. */
export function encodeManagedFields(managers: Manager[]): ManagedFieldsEntry[] {
  const sorted = managers
    .filter((m) => !m.fields.isEmpty())
    .sort((a, b) => {
      const key = (m: Manager): (string | number)[] => [
        m.operation,
        m.time ? Math.floor(Date.parse(m.time) / 1000) : 0,
        m.manager,
        m.apiVersion,
        m.subresource ?? '',
      ];
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
      return 0;
    });
  return sorted.map((m) => {
    // key order as the real server writes it
    const e: Partial<ManagedFieldsEntry> = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.fields.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    return e as ManagedFieldsEntry;
  });
}

/** Returns a copy of `obj` with the given managers written to metadata.managedFields (or none). */
export function withManagedFields(obj: KubeObject, managers: Manager[]): KubeObject {
  const out = deepClone(obj);
  const metadata: JsonObject = isObject(out.metadata) ? out.metadata : (out.metadata = {});
  const entries = encodeManagedFields(managers);
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
  return out;
}

/** The managedFields entries of one manager (any operation). */
export function managedFieldsFor(obj: KubeObject | undefined | null, manager: string): ManagedFieldsEntry[] {
  const raw = obj?.metadata?.managedFields;
  return Array.isArray(raw) ? (raw as ManagedFieldsEntry[]).filter((e) => isObject(e) && e.manager === manager) : [];
}

/** The kind of a write: from the new object, else the stored one (client-node sends typed bodies without it). */
export function kindOf(...objs: (KubeObject | undefined | null)[]): string {
  for (const o of objs) if (o && typeof o.kind === 'string' && o.kind) return o.kind;
  return '';
}

/** Which list types to use: the caller's (custom resources) first, else the built-in table for the kind. */
export function listTypeFor(kind: string, apiVersion: string, custom?: ListTypeFn): ListTypeFn {
  const builtin = builtinListType(kind, apiVersion);
  return custom ? (path) => custom(path) ?? builtin(path) : builtin;
}

/**
 * Built-ins start from a zero-valued Go struct, so their top-level fields and embedded (non-pointer) structs
 * such as `spec.template` and `spec.template.spec` are never "added" themselves. (An approximation: without
 * the Go types we only know the common ones.)
 */
function dropStructNodes(set: FieldSet, obj: KubeObject, kind: string, apiVersion: string): FieldSet {
  if (!strategicMergeSupported(kind, apiVersion)) return set;
  const structs = new Set(['f:spec', 'f:template']);
  return FieldSet.of(
    set
      .paths()
      .filter(
        (p) => !(p.length === 1 && isObject(obj[p[0].slice(2)])) && !(p.length > 1 && structs.has(p[p.length - 1])),
      ),
  );
}

/**
 * After a create/update/patch (not apply): `manager` (operation Update) takes ownership of every field the
 * write added or changed; those fields, and removed ones, leave every other manager. Managers left with
 * nothing are dropped. Written through /status → the entry carries `subresource: "status"`.
 */
export function recordManagedUpdate(
  old: KubeObject | undefined | null,
  next: KubeObject,
  manager: string,
  apiVersion: string,
  now: string,
  subresource?: 'status' | string,
  listType?: ListTypeFn,
): KubeObject {
  const kind = kindOf(next, old);
  const lt = listTypeFor(kind, apiVersion, listType);
  // `managedFields: []` or `[{}]` resets tracking (apiserver isResetManagedFields): the write is not recorded.
  const sent = next.metadata?.managedFields;
  if (
    Array.isArray(sent) &&
    (sent.length === 0 || (sent.length === 1 && isObject(sent[0]) && Object.keys(sent[0]).length === 0))
  ) {
    return withManagedFields(next, []);
  }
  // A client may also replace them with other entries; otherwise the stored ones carry over.
  const base = Array.isArray(sent) && !jsonEqual(sent, old?.metadata?.managedFields) ? next : old;
  const managers = decodeManagedFields(base);

  const cmp = compareFields(old ?? {}, next, lt);
  const changed = dropStructNodes(withoutUnowned(cmp.added.union(cmp.modified)), next, kind, apiVersion);
  const removed = cmp.removed;

  const self = { manager, operation: 'Update' as const, apiVersion, subresource: subresource || undefined };
  const selfId = managerIdentity(self);
  for (const m of managers) m.fields = m.fields.difference(changed).difference(removed);
  if (!changed.isEmpty()) {
    const previous = managers.find((m) => managerIdentity(m) === selfId);
    if (previous) {
      previous.fields = previous.fields.union(changed);
      previous.time = toSecondPrecision(now);
    } else {
      managers.push({ ...self, time: toSecondPrecision(now), fields: changed });
    }
  }
  return withManagedFields(
    next,
    managers.filter((m) => !m.fields.isEmpty()),
  );
}
