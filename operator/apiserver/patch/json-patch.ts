// RFC 6902 JSON Patch, applied to a copy of the document.
// Failures are answered the way kube-apiserver does: 400 for a body that is not a patch at all, and a 422 with
// the generic "rejected our request" message for a patch that does not apply (failed `test`, missing path).
// The specific reason (worded like evanphx/json-patch, which the real server uses) is kept in `detail`.

import { badRequest, genericInvalid } from './errors.js';
import { deepClone, deepEqual, isObject, type JsonObject } from './json-values.js';

type Container = JsonObject | unknown[];
type Op = { op: string; path: string; from?: string; value?: unknown; hasValue: boolean };

/** Splits a JSON pointer into unescaped reference tokens (`~1` → `/`, then `~0` → `~`). */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw genericInvalid(`JSON pointer must be empty or start with a "/": ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function decodeOps(ops: unknown): Op[] {
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${ops === null ? 'null' : typeof ops} into Go value of type jsonpatch.Patch`);
  }
  return ops.map((raw, i) => {
    if (!isObject(raw)) throw badRequest(`json: cannot unmarshal ${typeof raw} into Go value of type jsonpatch.Operation (operation ${i})`);
    const op = raw.op;
    const path = raw.path;
    if (typeof op !== 'string') throw genericInvalid(`operation ${i}: "op" must be a string`);
    if (typeof path !== 'string') throw genericInvalid(`operation ${i} (${op}): missing "path"`);
    const from = raw.from;
    if ((op === 'move' || op === 'copy') && typeof from !== 'string') throw genericInvalid(`${op} operation: missing "from"`);
    return { op, path, from: typeof from === 'string' ? from : undefined, value: raw.value, hasValue: 'value' in raw };
  });
}

/** Array index per RFC 6901: "0" or digits without a leading zero; `-` means "past the end" (add only). */
function arrayIndex(token: string, arr: unknown[], forAdd: boolean, op: string, path: string): number {
  if (token === '-') {
    if (forAdd) return arr.length;
    throw genericInvalid(`${op} operation does not apply: "-" is not a valid index for ${path}`);
  }
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw genericInvalid(`${op} operation: invalid array index ${JSON.stringify(token)} in ${path}`);
  const i = Number(token);
  const limit = forAdd ? arr.length : arr.length - 1;
  if (i > limit) throw genericInvalid(`${op} operation: Unable to access invalid index: ${i} (${path})`);
  return i;
}

/** Walks to the container holding the last token of `tokens`; undefined if an intermediate step is missing. */
function parentOf(doc: unknown, tokens: string[]): Container | undefined {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(t) || Number(t) >= cur.length) return undefined;
      cur = cur[Number(t)];
    } else if (isObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
      cur = cur[t];
    } else {
      return undefined;
    }
  }
  return Array.isArray(cur) || isObject(cur) ? cur : undefined;
}

function getValue(doc: unknown, path: string, op: string): unknown {
  const tokens = parseJsonPointer(path);
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1];
  if (parent === undefined) throw genericInvalid(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}: missing value`);
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent, false, op, path)];
  if (!Object.prototype.hasOwnProperty.call(parent, last)) {
    throw genericInvalid(`${op} operation does not apply: doc is missing key: ${path}: missing value`);
  }
  return parent[last];
}

function addValue(doc: unknown, path: string, value: unknown, op: string): unknown {
  const tokens = parseJsonPointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1];
  if (parent === undefined) throw genericInvalid(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}: missing value`);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent, true, op, path), 0, value);
  else parent[last] = value;
  return doc;
}

function removeValue(doc: unknown, path: string, op: string): unknown {
  const tokens = parseJsonPointer(path);
  if (tokens.length === 0) throw genericInvalid(`${op} operation does not apply: cannot remove the whole document`);
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1];
  if (parent === undefined) throw genericInvalid(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}: missing value`);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent, false, op, path), 1);
  } else {
    if (!Object.prototype.hasOwnProperty.call(parent, last)) {
      throw genericInvalid(`unable to remove nonexistent key: ${last}: missing value`);
    }
    delete parent[last];
  }
  return doc;
}

export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const operations = decodeOps(ops);
  let out = deepClone(doc);
  for (const o of operations) {
    switch (o.op) {
      case 'add':
        if (!o.hasValue) throw genericInvalid(`add operation: missing "value" for ${o.path}`);
        out = addValue(out, o.path, deepClone(o.value), 'add');
        break;
      case 'remove':
        out = removeValue(out, o.path, 'remove');
        break;
      case 'replace':
        if (!o.hasValue) throw genericInvalid(`replace operation: missing "value" for ${o.path}`);
        getValue(out, o.path, 'replace'); // the target must exist
        if (o.path === '') out = deepClone(o.value);
        else out = addValue(removeValue(out, o.path, 'replace'), o.path, deepClone(o.value), 'replace');
        break;
      case 'move': {
        const from = o.from as string;
        if (from === o.path) break;
        if (o.path.startsWith(from + '/')) throw genericInvalid(`move operation does not apply: "from" ${from} is a prefix of "path" ${o.path}`);
        const value = getValue(out, from, 'move');
        out = removeValue(out, from, 'move');
        out = addValue(out, o.path, value, 'move');
        break;
      }
      case 'copy':
        out = addValue(out, o.path, deepClone(getValue(out, o.from as string, 'copy')), 'copy');
        break;
      case 'test': {
        let actual: unknown;
        try {
          actual = getValue(out, o.path, 'test');
        } catch {
          throw genericInvalid(`test operation does not apply: is missing path: ${o.path}: missing value`);
        }
        if (!deepEqual(actual, o.value)) throw genericInvalid(`testing value ${o.path} failed: test failed`);
        break;
      }
      default:
        throw genericInvalid(`Unexpected kind: ${o.op}`);
    }
  }
  return out;
}
