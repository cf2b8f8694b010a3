// Validators for Portico objects, compiled with ajv at run time from the CRD schemas in crds/*.yaml: there is
// no second copy of the schema. They say what kube-apiserver 1.36 says about the same object, field by field
// (`spec.prefix: Invalid value: "bad": must start with "/"`), so `portico validate`, the operator's conditions
// and `kubectl apply` agree: the schema's own checks in apiextensions-apiserver's wording, the list types, then
// the x-kubernetes-validations rules (CEL subset, operator/api/cel.ts), which do not run after a blocking error.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './crd-definition.js';
import { crdSchema } from './crds.js';
import type { Mapping, PorticoReferenceGrant, TLSContext } from './types.js';
import { BLOCKING_TYPES, RULES_NOT_CHECKED, compileValidationRules, type RuleViolation } from './validation-rules.js';

export interface FieldError {
  field: string;
  /** What follows `field: ` in kube-apiserver's message, e.g. `Required value`. */
  message: string;
}

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module namespace.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

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

/** One field error with its field.ErrorType, which decides whether the rules still run. */
interface KubeError extends FieldError {
  type: string;
}

type Checker = (obj: unknown) => FieldError[];

/** A value as field.Error prints it: strings quoted, numbers and booleans bare, the rest as JSON. */
function shown(v: unknown): string {
  return typeof v === 'string'
    ? JSON.stringify(v)
    : v === undefined
      ? 'null'
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);
}

function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** An ajv error as apiextensions-apiserver words the same kube-openapi failure. */
function toKubeError(e: ErrorObject): KubeError {
  const path = fieldPath(e.instancePath);
  const p = e.params as Record<string, any>;
  const data = e.data;
  const invalid = (detail: string, value: unknown = data): KubeError => ({
    type: 'FieldValueInvalid',
    field: path,
    message: `Invalid value: ${shown(value)}: ${detail}`,
  });
  switch (e.keyword) {
    case 'required': {
      const field = path ? `${path}.${p.missingProperty}` : p.missingProperty;
      return { type: 'FieldValueRequired', field, message: 'Required value' };
    }
    case 'type':
      return {
        type: 'FieldValueTypeInvalid',
        field: path,
        message: `Invalid value: "${jsonTypeName(data)}": ${path} in body must be of type ${p.type}: "${jsonTypeName(data)}"`,
      };
    case 'enum': {
      const supported = (p.allowedValues as unknown[])
        .map((v) => JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v)))
        .join(', ');
      return {
        type: 'FieldValueNotSupported',
        field: path,
        message: `Unsupported value: ${shown(data)}: supported values: ${supported}`,
      };
    }
    case 'maxLength':
      return {
        type: 'FieldValueTooLong',
        field: path,
        message: `Too long: may not be more than ${p.limit} ${p.limit === 1 ? 'byte' : 'bytes'}`,
      };
    case 'maxItems':
      return {
        type: 'FieldValueTooMany',
        field: path,
        message: `Too many: ${Array.isArray(data) ? data.length : '?'}: must have at most ${p.limit} ${p.limit === 1 ? 'item' : 'items'}`,
      };
    case 'minLength':
      return invalid(`${path} in body should be at least ${p.limit} chars long`);
    case 'minItems':
      return invalid(`${path} in body should have at least ${p.limit} items`, Array.isArray(data) ? data.length : data);
    case 'pattern':
      return invalid(`${path} in body should match '${p.pattern}'`);
    case 'format':
      return invalid(`${path} in body must be of type ${p.format}: ${JSON.stringify(data)}`);
    case 'minimum':
      return invalid(`${path} in body should be greater than or equal to ${p.limit}`);
    case 'maximum':
      return invalid(`${path} in body should be less than or equal to ${p.limit}`);
    default:
      return invalid(e.message ?? e.keyword);
  }
}

/** x-kubernetes-list-type: set items are unique, map items are unique by their keys (Duplicate value). */
function listTypeErrors(value: unknown, s: JsonSchema | undefined, path: string, out: KubeError[]): void {
  if (!s || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    const type = s['x-kubernetes-list-type'];
    const keys = (s['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const isObj = item !== null && typeof item === 'object';
      const id =
        type === 'set'
          ? JSON.stringify(item)
          : type === 'map' && isObj
            ? JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k]))
            : undefined;
      if (id === undefined) return;
      if (seen.has(id)) {
        // kube-apiserver 1.36 prints a map list's duplicate keys as JSON (keys sorted): {"name":"a","port":80}.
        const dup =
          type === 'set'
            ? shown(item)
            : JSON.stringify(
                Object.fromEntries(
                  keys
                    .filter((k) => k in (item as object))
                    .sort()
                    .map((k) => [k, (item as Record<string, unknown>)[k]]),
                ),
              );
        out.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, message: `Duplicate value: ${dup}` });
      }
      seen.add(id);
    });
    value.forEach((item, i) => listTypeErrors(item, s.items, `${path}[${i}]`, out));
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    listTypeErrors(v, s.properties?.[k], path ? `${path}.${k}` : k, out);
}

function ruleError(v: RuleViolation): KubeError {
  const body =
    v.reason === 'FieldValueForbidden'
      ? `Forbidden: ${v.detail}`
      : v.reason === 'FieldValueRequired'
        ? `Required value: ${v.detail}`
        : v.reason === 'FieldValueDuplicate'
          ? v.omitValue
            ? 'Duplicate value'
            : `Duplicate value: ${shown(v.value)}`
          : v.omitValue
            ? `Invalid value: ${v.detail}`
            : `Invalid value: ${shown(v.value)}: ${v.detail}`;
  return { type: v.reason, field: v.field, message: body };
}

function buildChecker(kind: string): Checker {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, verbose: true });
  addFormats(ajv);
  ajv.addVocabulary(KUBERNETES_KEYWORDS);
  const schema = crdSchema(kind);
  const validate: ValidateFunction = ajv.compile(schema);
  const rules = compileValidationRules(schema);
  return (obj) => {
    if (typeof obj !== 'object' || obj === null) return [{ field: '', message: 'must be an object' }];
    const errors: KubeError[] = [];
    const name = (obj as { metadata?: { name?: unknown } }).metadata?.name;
    if (typeof name !== 'string' || name === '')
      errors.push({ type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value' });
    // metadata is ObjectMeta, validated by its Go type and never by the CRD schema or its rules.
    const { metadata: _metadata, ...rest } = obj as Record<string, unknown>;
    const schemaErrors: KubeError[] = validate(rest) ? [] : dedupe((validate.errors ?? []).map(toKubeError));
    listTypeErrors(rest, schema, '', schemaErrors);
    errors.push(...schemaErrors);
    if (!rules.empty) {
      if (schemaErrors.some((e) => BLOCKING_TYPES.has(e.type)))
        errors.push({
          type: 'FieldValueInvalid',
          field: '<nil>',
          message: `Invalid value: null: ${RULES_NOT_CHECKED}`,
        });
      else errors.push(...rules.validate(rest).map(ruleError));
    }
    return errors.map(({ field, message }) => ({ field, message }));
  };
}

function dedupe<T extends FieldError>(errors: T[]): T[] {
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
  return Object.fromEntries(
    Object.entries(props)
      .filter(([, p]) => p.default !== undefined)
      .map(([k, p]) => [k, p.default]),
  );
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
