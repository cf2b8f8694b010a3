// RFC 7386 JSON Merge Patch: objects merge recursively, `null` deletes, everything else (arrays included)
// replaces. Pure: the inputs are not modified.

import { deepClone, isObject, type JsonObject } from './json-values.js';

export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return deepClone(patch);
  const target: JsonObject = isObject(doc) ? deepClone(doc) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else target[key] = applyMergePatch(target[key], value);
  }
  return target;
}
