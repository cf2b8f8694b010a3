// Validators for Portico objects, compiled with ajv at run time from the CRD schemas in crds/*.yaml: there is
// no second copy of the schema. Errors name the field the way kubectl does (`spec.prefix`, `spec.hosts[0]`).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { crdSchema } from './crds.js';
import type { Mapping, TLSContext } from './types.js';

export interface FieldError {
  field: string;
  message: string;
}

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module namespace.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** Kubernetes schema extensions: legal in CRDs, no meaning for ajv's validation. */
const KUBERNETES_KEYWORDS = [
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-validations',
];

type Checker = (obj: unknown) => FieldError[];

function buildChecker(kind: string, applyDefaults: boolean): Checker {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, useDefaults: applyDefaults });
  addFormats(ajv);
  ajv.addVocabulary(KUBERNETES_KEYWORDS);
  const validate: ValidateFunction = ajv.compile(crdSchema(kind));
  return (obj) => {
    const errors: FieldError[] = [];
    const name = (obj as { metadata?: { name?: unknown } } | null)?.metadata?.name;
    if (typeof obj !== 'object' || obj === null) return [{ field: '', message: 'must be an object' }];
    if (typeof name !== 'string' || name === '') errors.push({ field: 'metadata.name', message: 'Required value' });
    if (!validate(obj)) errors.push(...dedupe((validate.errors ?? []).map(toFieldError)));
    return errors;
  };
}

function toFieldError(e: ErrorObject): FieldError {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { field: path ? `${path}.${missing}` : missing, message: 'Required value' };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      return { field: path, message: `Unsupported value: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    case 'pattern':
      return { field: path, message: `Invalid value: must match ${(e.params as { pattern: string }).pattern}` };
    default:
      return { field: path, message: `Invalid value: ${e.message ?? e.keyword}` };
  }
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const checkers = new Map<string, Checker>();
function checker(kind: string, applyDefaults: boolean): Checker {
  const key = `${kind}/${applyDefaults}`;
  let c = checkers.get(key);
  if (!c) checkers.set(key, (c = buildChecker(kind, applyDefaults)));
  return c;
}

/** Schema errors of a Mapping object ([] when valid). Does not modify `obj`. */
export function validateMappingObject(obj: unknown): FieldError[] {
  return checker('Mapping', false)(obj);
}

/** Schema errors of a TLSContext object ([] when valid). Does not modify `obj`. */
export function validateTLSContextObject(obj: unknown): FieldError[] {
  return checker('TLSContext', false)(obj);
}

/**
 * Validates a copy of `obj` and fills in the CRD's defaults (as the API server would on admission), so the
 * compiler reads `spec.rewrite`, `spec.minTlsVersion`, … from the schema rather than from constants of its own.
 */
export function admitMapping(obj: unknown): { errors: FieldError[]; object: Mapping } {
  const copy = structuredClone(obj) as Mapping;
  return { errors: checker('Mapping', true)(copy), object: copy };
}

export function admitTLSContext(obj: unknown): { errors: FieldError[]; object: TLSContext } {
  const copy = structuredClone(obj) as TLSContext;
  return { errors: checker('TLSContext', true)(copy), object: copy };
}
