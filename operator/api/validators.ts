// Validators for Portico objects, compiled with ajv at run time from the CRD schemas in crds/*.yaml: there is
// no second copy of the schema. Errors name the field the way kubectl does (`spec.prefix`, `spec.hosts[0]`).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { crdSchema } from './crds.js';
import type { Mapping, PorticoReferenceGrant, TLSContext } from './types.js';

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

function buildChecker(kind: string): Checker {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
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
function checker(kind: string): Checker {
  const key = kind;
  let c = checkers.get(key);
  if (!c) checkers.set(key, (c = buildChecker(kind)));
  return c;
}

/** Schema errors of a Mapping object ([] when valid). Does not modify `obj`. */
export function validateMappingObject(obj: unknown): FieldError[] {
  return checker('Mapping')(obj);
}

/** Schema errors of a TLSContext object ([] when valid). Does not modify `obj`. */
export function validateTLSContextObject(obj: unknown): FieldError[] {
  return checker('TLSContext')(obj);
}

/** Schema errors of a PorticoReferenceGrant object ([] when valid). Does not modify `obj`. */
export function validateReferenceGrantObject(obj: unknown): FieldError[] {
  return checker('PorticoReferenceGrant')(obj);
}

/** Top-level `spec` defaults declared in the CRD (e.g. Mapping rewrite "/"), read from the schema. */
function specDefaults(kind: string): Record<string, unknown> {
  const props = crdSchema(kind).properties?.spec?.properties ?? {};
  return Object.fromEntries(Object.entries(props).filter(([, p]) => p.default !== undefined).map(([k, p]) => [k, p.default]));
}

const defaultsByKind = new Map<string, Record<string, unknown>>();
function admit<T extends { spec: object }>(kind: string, obj: unknown): { errors: FieldError[]; object: T } {
  const errors = checker(kind)(obj);
  let defaults = defaultsByKind.get(kind);
  if (!defaults) defaultsByKind.set(kind, (defaults = specDefaults(kind)));
  const o = obj as T;
  if (errors.length > 0 || typeof o.spec !== 'object' || o.spec === null) return { errors, object: o };
  const spec: Record<string, unknown> = { ...(o.spec as Record<string, unknown>) };
  for (const key in defaults) if (spec[key] === undefined) spec[key] = structuredClone(defaults[key]);
  return { errors, object: { ...o, spec } as T };
}

/**
 * Validates `obj` and returns a copy with the CRD's spec defaults filled in (as the API server does on
 * admission), so the compiler reads `spec.rewrite`, `spec.minTlsVersion`, … from the schema rather than from
 * constants of its own. Our CRDs declare defaults only directly under `spec`. `obj` is not modified.
 */
export function admitMapping(obj: unknown): { errors: FieldError[]; object: Mapping } {
  return admit<Mapping>('Mapping', obj);
}

export function admitTLSContext(obj: unknown): { errors: FieldError[]; object: TLSContext } {
  return admit<TLSContext>('TLSContext', obj);
}

export function admitReferenceGrant(obj: unknown): { errors: FieldError[]; object: PorticoReferenceGrant } {
  return admit<PorticoReferenceGrant>('PorticoReferenceGrant', obj);
}
