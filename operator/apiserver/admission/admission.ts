// The validation half of every write (create, update, patch, apply): decode checks (400) — nesting depth, the
// Go type of built-ins and of every object's metadata, CR pruning — with fieldValidation deciding what unknown
// fields do, then defaulting, schema and per-kind validation (422). Mutates `obj`; returns warnings.
import { decodeBuiltin, validateBuiltin } from './builtin-validation.js';
import { defaultBuiltin } from './builtin-defaults.js';
import { decodeGoType, GoDecodeError } from '../schemas/go-type-decoding.js';
import { validateMetaUpdate, validateObjectMeta } from './object-meta-validation.js';
import type { ResourceType } from '../registry/resource-types.js';
import { badRequest, invalid, type FieldError } from '../encoding/status-errors.js';
import { MAX_NESTING_DEPTH, nestingDepth } from '../encoding/nesting-depth.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter unsupported: ${v}. Valid values are Ignore, Warn, Strict`);
}

function cannotBeHandled(rt: ResourceType, why: string): Error {
  return badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ${why}`);
}

/** Drops the fields the Go types (or the CRD schema) do not have; returns their paths. */
function decodeFields(rt: ResourceType, obj: Record<string, any>): string[] {
  try {
    if (rt.goType) return decodeGoType(obj, rt.goType);
    const unknown =
      obj.metadata && typeof obj.metadata === 'object' ? decodeGoType(obj.metadata, 'V1ObjectMeta', 'metadata') : [];
    return rt.schema ? [...unknown, ...rt.schema.prune(obj)] : unknown;
  } catch (err) {
    if (err instanceof GoDecodeError) throw cannotBeHandled(rt, err.message);
    throw err;
  }
}

export function admit(
  rt: ResourceType,
  obj: Record<string, any>,
  old: Record<string, any> | undefined,
  fieldValidation: FieldValidation,
): string[] {
  // Bodies are checked on decode (encoding/body-decoding.ts); this catches what patches built on top of stored objects.
  if (nestingDepth(obj) > MAX_NESTING_DEPTH)
    throw cannotBeHandled(rt, `the object nests deeper than ${MAX_NESTING_DEPTH} levels`);
  const warnings: string[] = [];
  const unknown = decodeFields(rt, obj);
  if (unknown.length > 0 && fieldValidation === 'Strict')
    throw cannotBeHandled(rt, `strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
  if (fieldValidation === 'Warn') warnings.push(...unknown.map((u) => `unknown field "${u}"`));
  decodeBuiltin(rt, obj);
  rt.schema?.applyDefaults(obj);
  defaultBuiltin(rt, obj);
  const errors: FieldError[] = [];
  errors.push(...validateObjectMeta(obj.metadata ?? {}, rt.kind === 'Namespace' && rt.group === ''));
  if (rt.schema) errors.push(...rt.schema.validate(obj));
  errors.push(...validateBuiltin(rt, obj, old));
  if (old) errors.push(...validateMetaUpdate(obj, old));
  if (errors.length > 0) throw invalid(rt, obj.metadata?.name ?? '', errors);
  return warnings;
}
