// The validation half of every write (create, update, patch, apply): decode checks (400), CR pruning with
// fieldValidation, defaulting, schema and per-kind validation (422). Mutates `obj`; returns warnings.
import { decodeBuiltin, validateBuiltin } from './builtin-validation.js';
import { defaultBuiltin } from './builtin-defaults.js';
import { validateMetaUpdate, validateObjectMeta } from './object-meta-validation.js';
import type { ResourceType } from './resource-types.js';
import { badRequest, invalid, type FieldError } from './status-errors.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter unsupported: ${v}. Valid values are Ignore, Warn, Strict`);
}

export function admit(rt: ResourceType, obj: Record<string, any>, old: Record<string, any> | undefined, fieldValidation: FieldValidation): string[] {
  const warnings: string[] = [];
  decodeBuiltin(rt, obj);
  const errors: FieldError[] = [];
  if (rt.schema) {
    const unknown = rt.schema.prune(obj);
    if (unknown.length > 0 && fieldValidation === 'Strict') {
      throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
    }
    if (fieldValidation === 'Warn') warnings.push(...unknown.map((u) => `unknown field "${u}"`));
    rt.schema.applyDefaults(obj);
  }
  defaultBuiltin(rt, obj);
  errors.push(...validateObjectMeta(obj.metadata ?? {}, rt.kind === 'Namespace' && rt.group === ''));
  if (rt.schema) errors.push(...rt.schema.validate(obj));
  errors.push(...validateBuiltin(rt, obj, old));
  if (old) errors.push(...validateMetaUpdate(obj, old));
  if (errors.length > 0) throw invalid(rt, obj.metadata?.name ?? '', errors);
  return warnings;
}
