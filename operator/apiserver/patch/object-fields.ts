// Walks JSON objects into field paths, the way structured-merge-diff sees them: which fields an object sets
// (`fieldsOf`) and which differ between two objects (`compareFields`). Lists follow their list type:
// atomic lists are one leaf, map lists are keyed items (`k:`), set lists are value items (`v:`).

import { PatchError } from './errors.js';
import { FieldSet, fieldElement, formatPath, keyElement, valueElement, type FieldPath } from './field-set.js';
import { jsonEqual } from '../../api/json-equality.js';
import { isObject } from './json-values.js';
import type { ListType, ListTypeFn } from './strategic-merge-keys.js';

/** Where a walk is: path elements for the field set, field names (list levels skipped) for list types. */
interface At {
  path: FieldPath;
  names: string[];
}

const ROOT: At = { path: [], names: [] };

function child(at: At, name: string): At {
  return { path: [...at.path, fieldElement(name)], names: [...at.names, name] };
}

// metadata.managedFields is bookkeeping, never a field anyone owns or compares.
function skipped(at: At, name: string): boolean {
  return at.path.length === 1 && at.path[0] === 'f:metadata' && name === 'managedFields';
}

export function listTypeAt(listType: ListTypeFn, names: string[]): ListType {
  return listType(names) ?? { type: 'atomic' };
}

/** Indexes the items of a non-atomic list by their path element; throws on a missing key or a duplicate. */
export function listItems(list: unknown[], lt: ListType, at: At): Map<string, unknown> {
  const out = new Map<string, unknown>();
  list.forEach((item, i) => {
    let pe: string;
    if (lt.type === 'map') {
      if (!isObject(item))
        throw new PatchError(400, `${formatPath(at.path)}: element ${i}: associative list can only contain objects`);
      for (const k of lt.keys) {
        if (item[k] === undefined || item[k] === null) {
          throw new PatchError(
            400,
            `${formatPath(at.path)}: element ${i}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
          );
        }
      }
      pe = keyElement(item, lt.keys);
    } else {
      if (isObject(item) || Array.isArray(item))
        throw new PatchError(400, `${formatPath(at.path)}: element ${i}: set-typed lists can only contain scalars`);
      pe = valueElement(item);
    }
    if (out.has(pe)) throw new PatchError(400, `${formatPath(at.path)}: duplicate entries for key ${formatPath([pe])}`);
    out.set(pe, item);
  });
  return out;
}

/** The fields an object sets: every leaf and every list item (maps themselves are not members). */
export function fieldsOf(obj: unknown, listType: ListTypeFn = () => undefined): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, at: At): void => {
    if (isObject(v)) {
      for (const [k, cv] of Object.entries(v)) if (!skipped(at, k)) walk(cv, child(at, k));
      return;
    }
    if (Array.isArray(v)) {
      const lt = listTypeAt(listType, at.names);
      if (lt.type !== 'atomic') {
        for (const [pe, item] of listItems(v, lt, at)) {
          const itemAt = { path: [...at.path, pe], names: at.names };
          walk(item, itemAt);
          set.insert(itemAt.path);
        }
        return;
      }
    }
    if (at.path.length > 0) set.insert(at.path);
  };
  walk(obj, ROOT);
  return set;
}

export interface FieldComparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * What changed from `before` to `after`. A map or list item that appears or disappears is itself added or
 * removed, as are all the fields below it.
 */
export function compareFields(
  before: unknown,
  after: unknown,
  listType: ListTypeFn = () => undefined,
): FieldComparison {
  const added = new FieldSet();
  const modified = new FieldSet();
  const removed = new FieldSet();
  const walk = (l: unknown, r: unknown, at: At): void => {
    if (l === undefined && r === undefined) return;
    const lObj = isObject(l) || l === undefined;
    const rObj = isObject(r) || r === undefined;
    if (lObj && rObj) {
      const lm = (l ?? {}) as Record<string, unknown>;
      const rm = (r ?? {}) as Record<string, unknown>;
      for (const k of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
        if (!skipped(at, k)) walk(lm[k], rm[k], child(at, k));
      }
      if (at.path.length > 0 && l === undefined) added.insert(at.path);
      if (at.path.length > 0 && r === undefined) removed.insert(at.path);
      return;
    }
    const lList = Array.isArray(l) || l === undefined;
    const rList = Array.isArray(r) || r === undefined;
    const lt = listTypeAt(listType, at.names);
    if (lList && rList && lt.type !== 'atomic') {
      const li = listItems((l ?? []) as unknown[], lt, at);
      const ri = listItems((r ?? []) as unknown[], lt, at);
      for (const pe of new Set([...li.keys(), ...ri.keys()])) {
        const itemAt = { path: [...at.path, pe], names: at.names };
        const lv = li.get(pe);
        const rv = ri.get(pe);
        if (isObject(lv) || isObject(rv)) walk(lv, rv, itemAt);
        else leaf(lv, rv, itemAt.path);
      }
      // a keyed/set list is not a member itself, only its items are (unlike a map that appears)
      return;
    }
    leaf(l, r, at.path);
  };
  const leaf = (l: unknown, r: unknown, path: FieldPath): void => {
    if (l === undefined) added.insert(path);
    else if (r === undefined) removed.insert(path);
    else if (!jsonEqual(l, r)) modified.insert(path);
  };
  walk(before, after, ROOT);
  return { added, modified, removed };
}
