// The object half of server-side apply: merging an applied configuration into the live object, and
// removing fields an applier gave up. (Ownership bookkeeping lives in server-side-apply.ts.)

import { fieldElement, type FieldPath, type FieldSet } from './field-set.js';
import { deepClone, isObject, type JsonObject } from './json-values.js';
import { listItems, listTypeAt } from './object-fields.js';
import type { ListTypeFn } from './strategic-merge-keys.js';

/** Removes `null`s from an applied configuration: an applier that sends null simply does not set the field. */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, cv] of Object.entries(v)) if (cv !== null) out[k] = dropNulls(cv);
  return out;
}

/**
 * Merges `applied` into `live`: maps merge field by field, map/set lists merge item by item (live-only items
 * keep their place, applied items come in applied order), atomic lists and scalars are replaced.
 */
export function mergeApplied(
  live: unknown,
  applied: unknown,
  listType: ListTypeFn,
  names: string[] = [],
  path: FieldPath = [],
): unknown {
  if (isObject(applied) && isObject(live)) {
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(applied)) {
      out[k] = mergeApplied(live[k], v, listType, [...names, k], [...path, fieldElement(k)]);
    }
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const lt = listTypeAt(listType, names);
    if (lt.type !== 'atomic') {
      const at = { path, names };
      const li = listItems(live, lt, at);
      const ri = listItems(applied, lt, at);
      const lKeys = [...li.keys()];
      const rKeys = [...ri.keys()];
      const out: unknown[] = [];
      const done = new Set<string>();
      let l = 0;
      let r = 0;
      while (l < lKeys.length || r < rKeys.length) {
        if (l < lKeys.length && !ri.has(lKeys[l])) {
          out.push(li.get(lKeys[l]));
          l++;
        } else if (l < lKeys.length && done.has(lKeys[l])) {
          l++;
        } else if (r < rKeys.length) {
          const pe = rKeys[r++];
          done.add(pe);
          out.push(mergeApplied(li.get(pe), ri.get(pe), listType, names, [...path, pe]));
        } else {
          l++;
        }
      }
      return out;
    }
  }
  return deepClone(applied);
}

/**
 * Removes the field or list item at each path, then any map left empty by that removal unless `keep`
 * names it. Paths that no longer exist are ignored.
 */
export function removeFields(obj: JsonObject, paths: FieldPath[], listType: ListTypeFn, keep: FieldSet): void {
  for (const path of paths) {
    const trail: { container: unknown; pe: string; names: string[] }[] = [];
    let cur: unknown = obj;
    let names: string[] = [];
    let found = true;
    for (const pe of path) {
      trail.push({ container: cur, pe, names });
      const next = step(cur, pe, names, listType);
      if (next === undefined) {
        found = false;
        break;
      }
      cur = next.value;
      names = next.names;
    }
    if (!found || trail.length === 0) continue;
    for (let i = trail.length - 1; i >= 0; i--) {
      const { container, pe, names: n } = trail[i];
      if (i < trail.length - 1) {
        // a parent: drop it only if the removal left it an empty map nobody owns
        const v = step(container, pe, n, listType)?.value;
        if (
          !isObject(v) ||
          Object.keys(v).length > 0 ||
          keep.has(path.slice(0, i + 1)) ||
          pe[0] !== 'f' ||
          (i === 0 && pe === 'f:metadata')
        )
          break;
      }
      unset(container, pe, n, listType);
    }
  }
}

function step(
  container: unknown,
  pe: string,
  names: string[],
  listType: ListTypeFn,
): { value: unknown; names: string[] } | undefined {
  if (pe.startsWith('f:')) {
    const name = pe.slice(2);
    if (!isObject(container) || !(name in container)) return undefined;
    return { value: container[name], names: [...names, name] };
  }
  if (Array.isArray(container)) {
    const lt = listTypeAt(listType, names);
    if (lt.type === 'atomic') return undefined;
    const items = listItems(container, lt, { path: [], names });
    return items.has(pe) ? { value: items.get(pe), names } : undefined;
  }
  return undefined;
}

function unset(container: unknown, pe: string, names: string[], listType: ListTypeFn): void {
  if (pe.startsWith('f:')) {
    if (isObject(container)) delete container[pe.slice(2)];
    return;
  }
  if (!Array.isArray(container)) return;
  const lt = listTypeAt(listType, names);
  if (lt.type === 'atomic') return;
  const keys = [...listItems(container, lt, { path: [], names }).keys()];
  const i = keys.indexOf(pe);
  if (i >= 0) container.splice(i, 1);
}
