// Custom resource validation the way apiextensions-apiserver does it: prune unknown fields (structural schema,
// and ObjectMeta by its Go type), apply defaults, then validate against openAPIV3Schema (converted for ajv:
// int-or-string, nullable, embedded-resource), the list types, and the x-kubernetes-validations rules (in the
// CEL subset of operator/api/cel.ts; a CRD with a rule outside it is refused when its schema is compiled).
// Errors come back as field errors with the real server's (1.36) wording.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import {
  BLOCKING_TYPES,
  RULES_NOT_CHECKED,
  compileValidationRules,
  type RuleViolation,
} from '../../api/validation-rules.js';
import { validateListTypes } from './cr-list-validation.js';
import type { FieldError } from '../encoding/status-errors.js';

type Schema = Record<string, any>;

export interface CrSchema {
  /** The CRD's openAPIV3Schema as given (served in /openapi/v3 for `kubectl explain`). */
  readonly openAPIV3Schema: Schema;
  /** Removes fields the schema does not know (mutates); returns their paths, e.g. `spec.foo`. */
  prune(obj: Record<string, any>): string[];
  /** Fills `default`s in place. */
  applyDefaults(obj: Record<string, any>): void;
  validate(obj: Record<string, any>): FieldError[];
  /** x-kubernetes-list-type of the list at `path` (field names, list levels skipped), for server-side apply. */
  listType(path: string[]): { type: 'atomic' } | { type: 'map'; keys: string[] } | { type: 'set' } | undefined;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const K8S_FORMATS = [
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'binary',
  'password',
  'bsonobjectid',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'cidr',
  'mac',
  'datetime',
  'quantity',
];

function toAjvSchema(s: Schema): Schema {
  if (!s || typeof s !== 'object') return s;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (
      k.startsWith('x-kubernetes-') ||
      k === 'nullable' ||
      k === 'description' ||
      k === 'example' ||
      k === 'externalDocs' ||
      k === 'default'
    )
      continue;
    if (k === 'properties')
      out.properties = Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, toAjvSchema(ps as Schema)]));
    else if (k === 'items' || k === 'not') out[k] = toAjvSchema(v as Schema);
    else if (k === 'additionalProperties') out[k] = typeof v === 'boolean' ? v : toAjvSchema(v as Schema);
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = (v as Schema[]).map(toAjvSchema);
    else out[k] = v;
  }
  if (s['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }, ...(s.nullable ? [{ type: 'null' }] : [])];
    out['x-int-or-string'] = true;
  } else if (s.nullable && out.type) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  if (s['x-kubernetes-embedded-resource']) out.required = [...new Set([...(out.required ?? []), 'apiVersion', 'kind'])];
  return out;
}

function fieldPath(instancePath: string): string {
  if (!instancePath) return '';
  return instancePath
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

// kube-openapi checks a string's maxLength, then minLength, then pattern, and stops at the first failure
// (validate/validator.go stringValidator), so a 2 MB value over maxLength is reported without being echoed.
const STRING_CHECKS = ['maxLength', 'minLength', 'pattern'];

function firstStringFailureOnly(errors: ErrorObject[]): ErrorObject[] {
  const first = new Map<string, number>();
  for (const e of errors) {
    const rank = STRING_CHECKS.indexOf(e.keyword);
    if (rank >= 0 && rank < (first.get(e.instancePath) ?? Infinity)) first.set(e.instancePath, rank);
  }
  return errors.filter((e) => {
    const rank = STRING_CHECKS.indexOf(e.keyword);
    return rank < 0 || rank === first.get(e.instancePath);
  });
}

function translate(all: ErrorObject[]): FieldError[] {
  const errors = firstStringFailureOnly(all);
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const push = (e: FieldError) => {
    const key = `${e.field}|${e.type}|${e.detail ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  };
  for (const e of errors) {
    if (
      e.schemaPath.includes('/anyOf/') &&
      (e.parentSchema as Schema | undefined)?.type !== undefined &&
      errors.some((o) => o.keyword === 'anyOf' && o.instancePath === e.instancePath)
    )
      continue;
    const field = fieldPath(e.instancePath);
    const p = e.params as Record<string, any>;
    const data = e.data;
    switch (e.keyword) {
      case 'required': {
        const f = field ? `${field}.${p.missingProperty}` : p.missingProperty;
        push({ type: 'FieldValueRequired', field: f });
        break;
      }
      case 'type':
        push({
          type: 'FieldValueTypeInvalid',
          field,
          value: jsonTypeName(data),
          detail: `${field} in body must be of type ${Array.isArray(p.type) ? p.type.join(',') : p.type}: "${jsonTypeName(data)}"`,
        });
        break;
      case 'anyOf':
        if ((e.parentSchema as Schema)?.['x-int-or-string'])
          push({
            type: 'FieldValueTypeInvalid',
            field,
            value: jsonTypeName(data),
            detail: `${field} in body must be of type integer,string: "${jsonTypeName(data)}"`,
          });
        else
          push({
            type: 'FieldValueInvalid',
            field,
            value: data,
            detail: `${field} in body must match at least one schema in anyOf`,
          });
        break;
      case 'enum':
        push({
          type: 'FieldValueNotSupported',
          field,
          value: data,
          supported: (p.allowedValues as unknown[]).filter((v) => v !== null).map(String),
        });
        break;
      case 'pattern':
        push({ type: 'FieldValueInvalid', field, value: data, detail: `${field} in body should match '${p.pattern}'` });
        break;
      case 'format':
        push({
          type: 'FieldValueInvalid',
          field,
          value: data,
          detail: `${field} in body must be of type ${p.format}: ${JSON.stringify(data)}`,
        });
        break;
      case 'minLength':
        push({
          type: 'FieldValueInvalid',
          field,
          value: data,
          detail: `${field} in body should be at least ${p.limit} chars long`,
        });
        break;
      case 'maxLength':
        push({ type: 'FieldValueTooLong', field, detail: `may not be more than ${p.limit} bytes` });
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        push({
          type: 'FieldValueInvalid',
          field,
          value: data,
          detail: `${field} in body should be greater than ${e.keyword === 'minimum' ? 'or equal to ' : ''}${p.limit}`,
        });
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        push({
          type: 'FieldValueInvalid',
          field,
          value: data,
          detail: `${field} in body should be less than ${e.keyword === 'maximum' ? 'or equal to ' : ''}${p.limit}`,
        });
        break;
      case 'minItems':
        push({
          type: 'FieldValueInvalid',
          field,
          value: Array.isArray(data) ? data.length : data,
          detail: `${field} in body should have at least ${p.limit} items`,
        });
        break;
      case 'maxItems':
        push({
          type: 'FieldValueTooMany',
          field,
          detail: `${Array.isArray(data) ? data.length : '?'}: must have at most ${p.limit} items`,
        });
        break;
      case 'minProperties':
        push({
          type: 'FieldValueInvalid',
          field,
          value: data,
          detail: `${field} in body should have at least ${p.limit} properties`,
        });
        break;
      case 'maxProperties':
        push({ type: 'FieldValueTooMany', field, detail: `must have at most ${p.limit} properties` });
        break;
      case 'uniqueItems':
        push({ type: 'FieldValueDuplicate', field: `${field}[${p.j}]`, value: Array.isArray(data) ? data[p.j] : data });
        break;
      default:
        push({ type: 'FieldValueInvalid', field, value: data, detail: e.message ?? 'invalid' });
    }
  }
  return out;
}

const ROOT_KEEP = ['apiVersion', 'kind', 'metadata'];

function pruneValue(value: any, s: Schema | undefined, path: string, unknown: string[], root: boolean): void {
  if (!s || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => pruneValue(item, s.items, `${path}[${i}]`, unknown, false));
    return;
  }
  const props: Schema | undefined = s.properties;
  const additional = s.additionalProperties;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const keepMeta = root || s['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    const child = path ? `${path}.${key}` : key;
    // ObjectMeta is pruned by its Go type, never by the CRD schema (metadata in a CRD schema may only restrict name).
    if (keepMeta && key === 'metadata') continue;
    if (props && key in props) pruneValue(value[key], props[key], child, unknown, false);
    else if (keepMeta && ROOT_KEEP.includes(key)) continue;
    else if (additional && typeof additional === 'object') pruneValue(value[key], additional, child, unknown, false);
    else if (additional === true || preserve) continue;
    else {
      unknown.push(child);
      delete value[key];
    }
  }
}

function defaultValue(value: any, s: Schema | undefined): void {
  if (!s || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) defaultValue(item, s.items);
    return;
  }
  for (const [key, ps] of Object.entries((s.properties ?? {}) as Schema)) {
    if (value[key] === undefined && ps && typeof ps === 'object' && 'default' in ps)
      value[key] = structuredClone(ps.default);
    if (value[key] !== undefined) defaultValue(value[key], ps);
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const key of Object.keys(value))
      if (!s.properties || !(key in s.properties)) defaultValue(value[key], s.additionalProperties);
  }
}

function ruleError(v: RuleViolation): FieldError {
  switch (v.reason) {
    case 'FieldValueForbidden':
      return { type: 'FieldValueForbidden', field: v.field, detail: v.detail };
    case 'FieldValueRequired':
      return { type: 'FieldValueRequired', field: v.field, detail: v.detail };
    case 'FieldValueDuplicate':
      return { type: 'FieldValueDuplicate', field: v.field, value: v.value, omitValue: v.omitValue };
    default:
      return { type: 'FieldValueInvalid', field: v.field, value: v.value, omitValue: v.omitValue, detail: v.detail };
  }
}

export function compileCrSchema(openAPIV3Schema: Schema): CrSchema {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, logger: false });
  addFormats(ajv);
  for (const f of K8S_FORMATS) ajv.addFormat(f, true);
  ajv.addKeyword('x-int-or-string');
  const validateFn: ValidateFunction = ajv.compile(toAjvSchema(openAPIV3Schema));
  const rules = compileValidationRules(openAPIV3Schema);
  return {
    openAPIV3Schema,
    prune(obj) {
      // Sorted, as the real decoder reports them (after ObjectMeta's, which admission prunes by its Go type).
      const unknown: string[] = [];
      pruneValue(obj, openAPIV3Schema, '', unknown, true);
      return unknown.sort();
    },
    applyDefaults(obj) {
      defaultValue(obj, openAPIV3Schema);
    },
    listType(path) {
      let s: Schema | undefined = openAPIV3Schema;
      for (const p of path) {
        while (s?.type === 'array') s = s.items;
        s = s?.properties?.[p] ?? (typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined);
      }
      if (!s || s.type !== 'array') return undefined;
      const t = s['x-kubernetes-list-type'];
      if (t === 'map') return { type: 'map', keys: s['x-kubernetes-list-map-keys'] ?? [] };
      if (t === 'set') return { type: 'set' };
      return { type: 'atomic' };
    },
    validate(obj) {
      // metadata is validated as ObjectMeta elsewhere, never by the CRD schema.
      const { metadata: _m, ...rest } = obj;
      const errors = validateFn(rest) ? [] : translate(validateFn.errors ?? []);
      errors.push(...validateListTypes(rest, openAPIV3Schema, ''));
      if (rules.empty) return errors;
      // apiextensions-apiserver's strategy: no rule runs after a blocking schema error.
      if (errors.some((e) => BLOCKING_TYPES.has(e.type)))
        return [...errors, { type: 'FieldValueInvalid', field: '<nil>', value: null, detail: RULES_NOT_CHECKED }];
      return [...errors, ...rules.validate(rest).map(ruleError)];
    },
  };
}
