// Decoding JSON into a Go type, as kube-apiserver does for built-in kinds and for every object's metadata:
// a field the type does not have is dropped (and reported, for fieldValidation), and a value of the wrong
// JSON type fails the decode with Go's message. The shapes come from @kubernetes/client-node's generated
// models (one per Kubernetes type, generated from the same OpenAPI as the Go types), read by their JSON names.
import * as models from '@kubernetes/client-node';

interface Attribute {
  baseName: string;
  type: string;
  format: string;
}

export class GoDecodeError extends Error {}

const fieldsCache = new Map<string, Map<string, Attribute> | undefined>();

function fieldsOf(model: string): Map<string, Attribute> | undefined {
  if (fieldsCache.has(model)) return fieldsCache.get(model);
  const cls = (models as Record<string, any>)[model];
  const attrs: Attribute[] | undefined =
    typeof cls?.getAttributeTypeMap === 'function' ? cls.getAttributeTypeMap() : undefined;
  const fields = attrs && new Map(attrs.map((a) => [a.baseName, a]));
  fieldsCache.set(model, fields);
  return fields;
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** The Go name of a model type, as Go's errors print it: V1ServicePort → v1.ServicePort. */
function goTypeName(type: string, format = ''): string {
  let m: RegExpExecArray | null;
  if ((m = ARRAY.exec(type))) return `[]${goTypeName(m[1])}`;
  if ((m = MAP.exec(type))) return `map[string]${goTypeName(m[1])}`;
  switch (type) {
    case 'string':
    case 'Date':
    case 'V1MicroTime':
      return 'string';
    case 'number':
      return format === 'int32' || format === 'int64' ? format : 'float64';
    case 'boolean':
      return 'bool';
    case 'IntOrString':
      return 'intstr.IntOrString';
    default:
      return `v1.${structName(type)}`;
  }
}

function structName(model: string): string {
  return model.replace(
    /^(Core|Events|Discovery|Apps|Rbac|Policy|Coordination|Apiextensions)?V\d+(alpha\d+|beta\d+)?/,
    '',
  );
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

interface Walk {
  unknown: string[];
  /** Innermost struct and the field path from the top (no list indexes), as Go's decoder reports them. */
  struct: string;
  goPath: string;
}

function typeError(value: unknown, type: string, format: string, w: Walk): GoDecodeError {
  return new GoDecodeError(
    `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${w.struct}.${w.goPath} of type ${goTypeName(type, format)}`,
  );
}

function decodeValue(value: unknown, type: string, format: string, path: string, w: Walk): void {
  if (value === null || value === undefined || type === 'any') return;
  let m: RegExpExecArray | null;
  switch (type) {
    case 'string':
    case 'Date':
    case 'V1MicroTime':
      if (typeof value !== 'string') throw typeError(value, type, format, w);
      return;
    case 'number':
      if (typeof value !== 'number') throw typeError(value, type, format, w);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError(value, type, format, w);
      return;
    case 'IntOrString':
      if (typeof value !== 'number' && typeof value !== 'string') throw typeError(value, type, format, w);
      return;
  }
  if ((m = ARRAY.exec(type))) {
    if (!Array.isArray(value)) throw typeError(value, type, format, w);
    value.forEach((item, i) => decodeValue(item, m![1], '', `${path}[${i}]`, w));
    return;
  }
  if ((m = MAP.exec(type))) {
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, type, format, w);
    for (const [k, v] of Object.entries(value)) decodeValue(v, m[1], '', `${path}[${k}]`, w);
    return;
  }
  const fields = fieldsOf(type);
  if (!fields) return; // not a model we know: leave it as it is
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, type, format, w);
  decodeStruct(value as Record<string, unknown>, type, fields, path, w);
}

function decodeStruct(
  obj: Record<string, unknown>,
  model: string,
  fields: Map<string, Attribute>,
  path: string,
  w: Walk,
): void {
  for (const key of Object.keys(obj)) {
    const field = fields.get(key);
    const child = path ? `${path}.${key}` : key;
    if (!field) {
      w.unknown.push(child);
      delete obj[key];
      continue;
    }
    const inner: Walk = {
      unknown: w.unknown,
      struct: structName(model),
      goPath: w.goPath ? `${w.goPath}.${key}` : key,
    };
    decodeValue(obj[key], field.type, field.format, child, inner);
  }
}

/**
 * Decodes `obj` (mutated: unknown fields removed) as the model `model` (e.g. 'V1Service'), whose JSON sits at
 * `path` ('' for a whole object, 'metadata' for ObjectMeta). Returns the unknown fields' paths, e.g.
 * `spec.ports[0].nodeport`; throws GoDecodeError on a type mismatch.
 */
export function decodeGoType(obj: Record<string, unknown>, model: string, path = ''): string[] {
  const fields = fieldsOf(model);
  if (!fields) throw new Error(`no model ${model} in @kubernetes/client-node`);
  const w: Walk = { unknown: [], struct: structName(model), goPath: path };
  decodeStruct(obj, model, fields, path, w);
  return w.unknown;
}
