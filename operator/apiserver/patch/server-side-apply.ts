// Server-side apply (application/apply-patch+yaml), following structured-merge-diff's Updater.Apply:
//  1. merge the applied configuration into the live object;
//  2. the applier now owns exactly the fields it applied;
//  3. fields it applied last time and omits now are removed, unless some manager still owns them;
//  4. any change to a field another manager owns is a conflict (409) unless `force`, which moves the field
//     to the applier; fields that end up removed leave every manager;
//  5. nothing changed (object and ownership) → the live object comes back untouched.

import { PatchError, type PatchErrorCause } from './errors.js';
import { FieldSet, formatPath, type FieldPath } from './field-set.js';
import { jsonEqual } from '../../api/json-equality.js';
import { deepClone, isObject } from './json-values.js';
import { dropNulls, mergeApplied, removeFields } from './apply-merge.js';
import {
  decodeManagedFields,
  kindOf,
  listTypeFor,
  managerIdentity,
  toSecondPrecision,
  withManagedFields,
  withoutUnowned,
  type KubeObject,
  type Manager,
} from './managed-fields.js';
import { compareFields, fieldsOf } from './object-fields.js';
import type { ListTypeFn } from './strategic-merge-keys.js';

export interface ApplyRequest {
  live: KubeObject | undefined | null;
  applied: KubeObject;
  manager: string;
  force: boolean;
  /** The apiVersion of the request (recorded in the applier's managedFields entry). */
  apiVersion: string;
  /** RFC3339; stored at second precision. */
  now: string;
  /** List types for custom resources (from x-kubernetes-list-type); path = field names, list levels skipped. */
  listType?: ListTypeFn;
  /** Applied through /status: only `.status` is applied and owned. */
  subresource?: 'status';
  /** The resource has a status subresource: an apply to the main resource ignores `.status`. */
  statusSubresource?: boolean;
}

export interface ApplyResult {
  object: KubeObject;
}

const STATUS: FieldPath = ['f:status'];

export function serverSideApply(req: ApplyRequest): ApplyResult {
  if (!isObject(req.applied)) throw new PatchError(400, 'the applied configuration must be an object');
  if (!req.manager)
    throw new PatchError(
      422,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      {
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    );
  const appliedMeta = req.applied.metadata;
  if (isObject(appliedMeta) && appliedMeta.managedFields !== undefined && appliedMeta.managedFields !== null) {
    throw new PatchError(400, 'metadata.managedFields must be nil');
  }

  const lt = listTypeFor(kindOf(req.applied, req.live), req.apiVersion, req.listType);
  let applied = dropNulls(deepClone(req.applied)) as KubeObject;
  if (req.subresource === 'status')
    applied = {
      apiVersion: applied.apiVersion,
      kind: applied.kind,
      metadata: applied.metadata,
      ...(applied.status !== undefined ? { status: applied.status } : {}),
    };
  else if (req.statusSubresource) delete applied.status;

  let appliedSet = withoutUnowned(fieldsOf(applied, lt));
  if (req.subresource === 'status') appliedSet = appliedSet.onlyPrefixes([STATUS]);

  const live = req.live ? stripManagedFields(req.live) : undefined;
  const managers = decodeManagedFields(req.live);
  const before = managers.map((m) => ({ id: managerIdentity(m), fields: m.fields }));

  const self = {
    manager: req.manager,
    operation: 'Apply' as const,
    apiVersion: req.apiVersion,
    subresource: req.subresource,
  };
  const selfId = managerIdentity(self);
  const previous = managers.find((m) => managerIdentity(m) === selfId);
  const others = managers.filter((m) => managerIdentity(m) !== selfId);

  // 1 + 3: merge, then prune what this applier dropped and nobody else holds.
  const merged = mergeApplied(live ?? {}, applied, lt) as KubeObject;
  if (previous) {
    const stillOwned = others.reduce((acc, m) => acc.union(m.fields), appliedSet);
    const dropped = previous.fields.paths().filter((p) => !stillOwned.hasAtOrBelow(p));
    removeFields(merged, dropped, lt, stillOwned);
  }

  // 4: conflicts are fields others own whose value this apply changes.
  const cmp = compareFields(live ?? {}, merged, lt);
  const changed = cmp.added.union(cmp.modified);
  const conflicts = others
    .map((m) => ({ m, fields: m.fields.intersection(changed) }))
    .filter((c) => !c.fields.isEmpty());
  if (conflicts.length > 0 && !req.force) throw conflictError(conflicts);
  for (const m of others) m.fields = m.fields.difference(changed).difference(cmp.removed);

  const applier: Manager = { ...self, time: previous?.time, fields: appliedSet };
  const after = [...others, applier].filter((m) => !m.fields.isEmpty());

  // 5: an unchanged apply leaves the object exactly as it was (same managedFields times included).
  const sameOwners =
    after.length === before.length &&
    after.every((m) => before.some((b) => b.id === managerIdentity(m) && b.fields.equals(m.fields))) &&
    (!previous || previous.apiVersion === req.apiVersion);
  if (req.live && sameOwners && jsonEqual(merged, live)) return { object: deepClone(req.live) };

  applier.time = toSecondPrecision(req.now);
  return { object: withManagedFields(merged, after) };
}

function stripManagedFields(obj: KubeObject): KubeObject {
  const out = deepClone(obj);
  if (isObject(out.metadata)) delete out.metadata.managedFields;
  return out;
}

/** How apimachinery names a manager in conflict messages (managedfields/internal/conflict.go printManager). */
export function describeManager(
  m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'time' | 'subresource'>,
): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update')
    s += m.time ? ` using ${m.apiVersion} at ${toSecondPrecision(m.time)}` : ` using ${m.apiVersion}`;
  return s;
}

function conflictError(conflicts: { m: Manager; fields: FieldSet }[]): PatchError {
  const sorted = [...conflicts].sort((a, b) => (managerIdentity(a.m) < managerIdentity(b.m) ? -1 : 1));
  const all = sorted.flatMap((c) => c.fields.paths().map((p) => ({ m: c.m, path: p })));
  const causes: PatchErrorCause[] = all.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.m)}`,
    field: formatPath(c.path),
  }));
  let message: string;
  if (all.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(all[0].m)}: ${formatPath(all[0].path)}`;
  } else {
    const lines = sorted.flatMap((c) => [
      `conflicts with ${describeManager(c.m)}:`,
      ...c.fields.paths().map((p) => `- ${formatPath(p)}`),
    ]);
    message = `Apply failed with ${all.length} conflicts: ${lines.join('\n')}`;
  }
  return new PatchError(409, message, { causes });
}
