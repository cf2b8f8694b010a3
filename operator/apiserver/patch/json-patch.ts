// RFC 6902 JSON Patch, applied to a copy of the document, with the semantics of the library kube-apiserver
// uses (evanphx/json-patch v4), leniencies included, because clients rely on them:
//  - `replace` of a missing object member adds it; `copy` from a missing member copies null;
//  - an operation without "value" uses null; array indexes may have leading zeros or be negative (from the end);
//  - a pointer is split on "/" after dropping its first segment (so "a/b" means "/b").
// Failures: 400 for a body that is not a patch list; 422 with the generic "rejected our request" message for a
// patch that does not apply. The specific reason, worded as the library words it, is kept in `detail`.

import { badRequest, genericInvalid } from './errors.js';
import { jsonEqual } from '../../api/json-equality.js';
import { deepClone, isObject, type JsonObject } from './json-values.js';

type Container = JsonObject | unknown[];
interface Op {
  op: string;
  path: string;
  from: string;
  value: unknown;
}

/** Splits a JSON pointer into unescaped tokens (`~1` → `/`, then `~0` → `~`); "" is the whole document. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function goType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

function decodeOps(ops: unknown): Op[] {
  if (ops === null) return [];
  if (!Array.isArray(ops))
    throw badRequest(`json: cannot unmarshal ${goType(ops)} into Go value of type jsonpatch.Patch`);
  return ops.map((raw) => {
    if (!isObject(raw))
      throw badRequest(`json: cannot unmarshal ${goType(raw)} into Go value of type jsonpatch.Operation`);
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    return {
      op: str(raw.op),
      path: str(raw.path),
      from: str(raw.from),
      value: raw.value === undefined ? null : raw.value,
    };
  });
}

/** Resolves an array index token; undefined when it is out of range (`limit` = the largest valid index). */
function arrayIndex(token: string, limit: number, what: string, path: string): number | undefined {
  if (!/^[+-]?\d+$/.test(token))
    throw genericInvalid(
      `error in ${what} for path: '${path}': strconv.Atoi: parsing ${JSON.stringify(token)}: invalid syntax`,
    );
  let i = Number(token);
  if (i < 0) i += limit + 1;
  return i < 0 || i > limit ? undefined : i;
}

/** The container holding the last token, or undefined if a step on the way is missing. */
function parentOf(doc: unknown, tokens: string[]): Container | undefined {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      if (!/^[+-]?\d+$/.test(t)) return undefined;
      let i = Number(t);
      if (i < 0) i += cur.length;
      if (i < 0 || i >= cur.length) return undefined;
      cur = cur[i];
    } else if (isObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
      cur = cur[t];
    } else {
      return undefined;
    }
  }
  return Array.isArray(cur) || isObject(cur) ? cur : undefined;
}

const has = (o: JsonObject, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function missingPath(op: string, path: string, quoted = true): never {
  throw genericInvalid(
    `${op} operation does not apply: doc is missing path: ${quoted ? JSON.stringify(path) : path}: missing value`,
  );
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parseJsonPointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens);
  if (!parent) missingPath('add', path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : arrayIndex(last, parent.length, 'add', path);
    if (i === undefined)
      throw genericInvalid(
        `error in add for path: '${path}': Unable to access invalid index: ${last}: invalid index referenced`,
      );
    parent.splice(i, 0, value);
  } else {
    parent[last] = value;
  }
  return doc;
}

/** Removes and returns the value at `path` (`what` names the operation in messages). */
function take(doc: unknown, path: string, what: string): unknown {
  const tokens = parseJsonPointer(path);
  const parent = tokens.length ? parentOf(doc, tokens) : undefined;
  if (!parent) {
    if (what === 'move')
      throw genericInvalid(`move operation does not apply: doc is missing from path: ${path}: missing value`);
    missingPath(what, path);
  }
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length - 1, what, path);
    if (i === undefined)
      throw genericInvalid(
        `error in ${what} for path: '${path}': Unable to access invalid index: ${last}: invalid index referenced`,
      );
    return parent.splice(i, 1)[0];
  }
  if (!has(parent, last)) {
    throw genericInvalid(
      `error in ${what} for path: '${what === 'move' ? last : path}': Unable to remove nonexistent key: ${last}: missing value`,
    );
  }
  const v = parent[last];
  delete parent[last];
  return v;
}

/** The value at `path`; a missing object member reads as null (undefined for "absent" in `test`). */
function read(doc: unknown, path: string, what: string): { found: boolean; value: unknown } {
  const tokens = parseJsonPointer(path);
  if (tokens.length === 0) return { found: true, value: doc };
  const parent = parentOf(doc, tokens);
  if (!parent) {
    if (what === 'test') throw genericInvalid(`test operation does not apply: is missing path: ${path}: missing value`);
    throw genericInvalid(
      `${what} operation does not apply: doc is missing from path: ${JSON.stringify(path)}: missing value`,
    );
  }
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length - 1, what, path);
    if (i === undefined)
      throw genericInvalid(
        `error in ${what} for path: '${path}': Unable to access invalid index: ${last}: invalid index referenced`,
      );
    return { found: true, value: parent[i] };
  }
  return has(parent, last) ? { found: true, value: parent[last] } : { found: false, value: null };
}

function replace(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parseJsonPointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens);
  if (!parent) missingPath('replace', path, false);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = /^[+-]?\d+$/.test(last) ? arrayIndex(last, parent.length - 1, 'replace', path) : undefined;
    if (i === undefined) throw genericInvalid(`Object to be patched is missing field (${path}: missing value)`);
    parent[i] = value;
  } else {
    parent[last] = value; // a missing member is simply set, as the real server does
  }
  return doc;
}

export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  let out = deepClone(doc);
  for (const o of decodeOps(ops)) {
    switch (o.op) {
      case 'add':
        out = add(out, o.path, deepClone(o.value));
        break;
      case 'remove':
        take(out, o.path, 'remove');
        break;
      case 'replace':
        out = replace(out, o.path, deepClone(o.value));
        break;
      case 'move':
        if (o.from === o.path) break;
        out = add(out, o.path, take(out, o.from, 'move'));
        break;
      case 'copy':
        out = add(out, o.path, deepClone(read(out, o.from, 'copy').value));
        break;
      case 'test': {
        const { found, value } = read(out, o.path, 'test');
        const ok = found ? jsonEqual(value, o.value) : o.value === null;
        if (!ok) throw genericInvalid(`testing value ${o.path} failed: test failed`);
        break;
      }
      default:
        throw genericInvalid(`Unexpected kind: ${o.op}`);
    }
  }
  return out;
}
