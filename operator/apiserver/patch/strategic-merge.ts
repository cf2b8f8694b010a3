// Strategic merge patch (application/strategic-merge-patch+json) as kube-apiserver applies it
// (apimachinery strategicpatch, server side: parallel lists merged, unmatched nulls ignored):
//  - maps merge like JSON merge patch, `null` deletes;
//  - lists whose field has patchStrategy "merge" merge item by item (maps by patchMergeKey, scalars by
//    value); other lists are replaced;
//  - directives: `$patch: replace|delete` in a map, `{$patch: delete, <key>: v}` / `{$patch: replace}` items in
//    a merge list, `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`.
// Custom resources have no patch strategies: the server refuses SMP for them with 415.

import { PatchError } from './errors.js';
import { jsonEqual } from '../../api/json-equality.js';
import { deepClone, isObject, type JsonObject } from './json-values.js';
import { fieldStrategy, strategicMergeSupported } from './strategic-merge-keys.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

export const SMP_UNSUPPORTED_MESSAGE =
  'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

interface Ctx {
  kind: string;
  apiVersion?: string;
}

export function applyStrategicMergePatch(doc: unknown, patch: unknown, kind: string): unknown {
  const apiVersion = isObject(doc) && typeof doc.apiVersion === 'string' ? doc.apiVersion : undefined;
  if (!strategicMergeSupported(kind, apiVersion)) throw new PatchError(415, SMP_UNSUPPORTED_MESSAGE);
  if (!isObject(patch)) {
    throw new PatchError(
      400,
      `json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`,
    );
  }
  const original = isObject(doc) ? deepClone(doc) : {};
  return mergeMap(original, deepClone(patch), [], { kind, apiVersion });
}

function mergeMap(original: JsonObject, patch: JsonObject, names: string[], ctx: Ctx): JsonObject {
  if (DIRECTIVE in patch) {
    const d = patch[DIRECTIVE];
    if (d === 'replace') {
      delete patch[DIRECTIVE];
      return cleanValue(patch) as JsonObject;
    }
    if (d === 'delete') return {};
    throw new PatchError(400, `unknown patch type: ${String(d)} in map: ${goFormat(patch)}`);
  }
  applyRetainKeys(original, patch);
  applyElementOrder(original, patch, names, ctx);

  // deletions from primitive lists first, so a parallel merge of the same list sees the result
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(DELETE_FROM)) continue;
    const field = k.slice(DELETE_FROM.length);
    if (!field || !Array.isArray(v)) throw new PatchError(400, 'invalid patch format of primitive list');
    const current = original[field];
    if (Array.isArray(current)) original[field] = current.filter((x) => !v.some((d) => jsonEqual(d, x)));
  }

  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_FROM)) continue;
    if (v === null) {
      delete original[k];
      continue;
    }
    const cur = original[k];
    if (cur === undefined) {
      const value = cleanValue(v);
      if (value !== undefined) original[k] = value;
    } else if (isObject(cur) && isObject(v)) {
      original[k] = mergeMap(cur, v, [...names, k], ctx);
    } else if (Array.isArray(cur) && Array.isArray(v)) {
      original[k] = mergeList(cur, v, [...names, k], ctx);
    } else {
      original[k] = cleanValue(v);
    }
  }
  return original;
}

/** `$retainKeys: [a, b]` clears every other key of the original map. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const keep = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keep)) throw new PatchError(400, 'invalid patch format of retainKeys');
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM) || k.startsWith(SET_ORDER)) continue;
    if (!keep.includes(k)) throw new PatchError(400, 'invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!keep.includes(k)) delete original[k];
}

/** `$setElementOrder/<list>`: merge that list now and put its items in the given order. */
function applyElementOrder(original: JsonObject, patch: JsonObject, names: string[], ctx: Ctx): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    const field = key.slice(SET_ORDER.length);
    if (!field || !Array.isArray(order)) throw new PatchError(400, 'invalid patch format of setElementOrder list');
    const orig = original[field];
    const pat = patch[field];
    if (orig !== undefined && !Array.isArray(orig)) continue;
    if (pat !== undefined && pat !== null && !Array.isArray(pat))
      throw new PatchError(400, 'invalid patch format of setElementOrder list');
    let merged: unknown[];
    if (Array.isArray(orig) && Array.isArray(pat)) merged = mergeList(orig, pat, [...names, field], ctx);
    else if (Array.isArray(orig)) merged = orig;
    else if (Array.isArray(pat)) merged = cleanValue(pat) as unknown[];
    else continue;
    const { mergeKey } = fieldStrategy(ctx.kind, [...names, field], ctx.apiVersion);
    const inOrder = (item: unknown): boolean => indexIn(order, item, mergeKey) >= 0;
    const patchItems = sortBy(merged.filter(inOrder), order, mergeKey);
    const serverOnly = sortBy(
      merged.filter((i) => !inOrder(i)),
      (orig as unknown[]) ?? [],
      mergeKey,
    );
    original[field] = interleave(serverOnly, patchItems, (orig as unknown[]) ?? [], mergeKey);
    delete patch[field];
  }
}

function mergeList(original: unknown[], patch: unknown[], names: string[], ctx: Ctx): unknown[] {
  const strategy = fieldStrategy(ctx.kind, names, ctx.apiVersion);
  if (!strategy.merge) return cleanValue(patch) as unknown[];
  if (original.length === 0 && patch.length === 0) return original;

  const isMapList = [...original, ...patch].some(isObject);
  if (!isMapList) {
    const merged = [...original];
    for (const p of patch) if (!merged.some((x) => jsonEqual(x, p))) merged.push(p);
    return order(merged, patch, original, undefined);
  }

  const key = strategy.mergeKey;
  if (!key) throw new PatchError(400, `cannot merge lists without merge key for ${names.join('.')}`);
  let base = [...original];
  const items: JsonObject[] = [];
  let replace = false;
  for (const p of patch) {
    if (!isObject(p)) throw new PatchError(400, `${names.join('.')}: list items must all be objects`);
    const d = p[DIRECTIVE];
    if (d === undefined) {
      items.push(p);
    } else if (d === 'delete') {
      if (!(key in p)) throw new PatchError(400, `map: ${goFormat(p)} does not contain declared merge key: ${key}`);
      base = base.filter((o) => !(isObject(o) && jsonEqual(o[key], p[key])));
    } else if (d === 'replace') {
      replace = true;
    } else if (d === 'merge') {
      throw new PatchError(400, 'merging lists cannot yet be specified in the patch');
    } else {
      throw new PatchError(400, `unknown patch type: ${String(d)} in map: ${goFormat(p)}`);
    }
  }
  if (replace) return cleanValue(items) as unknown[];

  const merged = [...base];
  for (const p of items) {
    if (!(key in p)) throw new PatchError(400, `map: ${goFormat(p)} does not contain declared merge key: ${key}`);
    const i = merged.findIndex((o) => isObject(o) && jsonEqual(o[key], p[key]));
    if (i >= 0) merged[i] = mergeMap(merged[i] as JsonObject, p, names, ctx);
    else {
      const value = cleanValue(p);
      if (value !== undefined) merged.push(value);
    }
  }
  return order(merged, items, base, key);
}

/** Patch items in patch order, server-only items in server order, interleaved as apimachinery does. */
function order(merged: unknown[], patchOrder: unknown[], serverOrder: unknown[], key: string | undefined): unknown[] {
  const inPatch = (item: unknown): boolean => indexIn(patchOrder, item, key) >= 0;
  const patchItems = sortBy(merged.filter(inPatch), patchOrder, key);
  const serverOnly = sortBy(
    merged.filter((i) => !inPatch(i)),
    serverOrder,
    key,
  );
  return interleave(serverOnly, patchItems, serverOrder, key);
}

function indexIn(list: unknown[], item: unknown, key: string | undefined): number {
  if (key === undefined) return list.findIndex((x) => jsonEqual(x, item));
  if (!isObject(item)) return -1;
  return list.findIndex((x) => isObject(x) && jsonEqual(x[key], item[key]));
}

/** Stable sort by position in `by`; items not found there keep their relative order at the end. */
function sortBy(items: unknown[], by: unknown[], key: string | undefined): unknown[] {
  const pos = (x: unknown): number => {
    const i = indexIn(by, x, key);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return items
    .map((x, i) => ({ x, i, p: pos(x) }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((e) => e.x);
}

/**
 * Merges two ordered lists (apimachinery mergeSortedSlice): when both heads are in the server order, the
 * earlier one goes first; otherwise the patch item does.
 */
function interleave(
  serverOnly: unknown[],
  patchItems: unknown[],
  serverOrder: unknown[],
  key: string | undefined,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (j >= patchItems.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(patchItems[j++]);
    else {
      const li = indexIn(serverOrder, serverOnly[i], key);
      const ri = indexIn(serverOrder, patchItems[j], key);
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(patchItems[j++]);
    }
  }
  return out;
}

/** A patch value stored as-is: nulls inside it mean nothing, directives are dropped. */
function cleanValue(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v
      .filter((x) => !(isObject(x) && x[DIRECTIVE] === 'delete'))
      .map(cleanValue)
      .filter((x) => x !== undefined);
  }
  if (!isObject(v)) return v;
  if (v[DIRECTIVE] === 'delete') return undefined;
  const out: JsonObject = {};
  for (const [k, cv] of Object.entries(v)) {
    if (cv === null || k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM))
      continue;
    const c = cleanValue(cv);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

/** Go's `%v` of a decoded JSON value, for messages that quote the patch as the real server does. */
function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormat(v[k])}`)
      .join(' ')}]`;
  return String(v);
}
