// Envoy's proto3 JSON (what envoy/ renders and publish/ stores) → protobuf bytes, with Envoy's own descriptors
// (envoy-validate/proto-root.ts). protobufjs's fromObject takes its own object form, not proto3 JSON: a Duration
// is {seconds, nanos} rather than "3s", a UInt32Value is {value} rather than a number, an Any holds bytes. This
// file walks the message's fields and turns the JSON forms of the well-known types into those, then encodes.
// Pure (apart from the descriptors loaded once). A value of the wrong shape throws, naming its path.
import protobuf from 'protobufjs';
import { envoyProtoRoot, lookupMessageType } from '../envoy-validate/proto-root.js';

type Json = unknown;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export class EncodeError extends Error {}

const WRAPPERS = new Set(
  [
    'DoubleValue',
    'FloatValue',
    'Int64Value',
    'UInt64Value',
    'Int32Value',
    'UInt32Value',
    'BoolValue',
    'StringValue',
    'BytesValue',
  ].map((n) => `google.protobuf.${n}`),
);

const fullName = (t: protobuf.Type) => t.fullName.replace(/^\./, '');

/** "1.5s" → {seconds: 1, nanos: 500000000}. */
function duration(v: Json, path: string): Obj {
  const m = typeof v === 'string' ? /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(v) : null;
  if (!m) throw new EncodeError(`${path}: expected a duration such as "3s", got ${JSON.stringify(v)}`);
  const sign = m[1] ? -1 : 1;
  return { seconds: sign * Number(m[2]), nanos: sign * Number((m[3] ?? '').padEnd(9, '0')) };
}

function timestamp(v: Json, path: string): Obj {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw new EncodeError(`${path}: expected an RFC 3339 timestamp, got ${JSON.stringify(v)}`);
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

function structValue(v: Json): Obj {
  if (v === null) return { null_value: 0 };
  if (typeof v === 'number') return { number_value: v };
  if (typeof v === 'string') return { string_value: v };
  if (typeof v === 'boolean') return { bool_value: v };
  if (Array.isArray(v)) return { list_value: { values: v.map(structValue) } };
  return { struct_value: struct(v) };
}

function struct(v: Json): Obj {
  return { fields: Object.fromEntries(Object.entries(isObj(v) ? v : {}).map(([k, x]) => [k, structValue(x)])) };
}

/** An Any in proto3 JSON ({"@type": url, ...fields}, or {"@type", "value"} for a well-known type) → {type_url, value}. */
function any(v: Json, path: string): Obj {
  if (!isObj(v) || typeof v['@type'] !== 'string') throw new EncodeError(`${path}: an Any needs "@type"`);
  const url = v['@type'];
  const type = lookupMessageType(envoyProtoRoot(), url.slice(url.lastIndexOf('/') + 1));
  if (!type) throw new EncodeError(`${path}: unknown type ${url}`);
  const { '@type': _, ...rest } = v;
  const body = fullName(type).startsWith('google.protobuf.') && 'value' in rest ? rest.value : rest;
  return { type_url: url, value: type.encode(type.fromObject(convertMessage(type, body, path) as Obj)).finish() };
}

function convertValue(field: protobuf.Field, v: Json, path: string): Json {
  const rt = field.resolvedType;
  if (rt instanceof protobuf.Type) return convertMessage(rt, v, path);
  if (rt instanceof protobuf.Enum) {
    if (typeof v === 'number') return v;
    const n = typeof v === 'string' ? rt.values[v] : undefined;
    if (n === undefined) throw new EncodeError(`${path}: ${JSON.stringify(v)} is not a value of ${rt.name}`);
    return n;
  }
  return v; // scalars: protobufjs accepts numbers, numeric strings (64-bit), base64 strings (bytes)
}

/** proto3 JSON of message `type` → protobufjs's object form. */
export function convertMessage(type: protobuf.Type, v: Json, path: string): Json {
  const name = fullName(type);
  if (name === 'google.protobuf.Duration') return duration(v, path);
  if (name === 'google.protobuf.Timestamp') return timestamp(v, path);
  if (WRAPPERS.has(name)) return { value: v };
  if (name === 'google.protobuf.Struct') return struct(v);
  if (name === 'google.protobuf.Value') return structValue(v);
  if (name === 'google.protobuf.ListValue') return { values: (Array.isArray(v) ? v : []).map(structValue) };
  if (name === 'google.protobuf.Any') return any(v, path);
  if (name === 'google.protobuf.FieldMask') return { paths: typeof v === 'string' && v !== '' ? v.split(',') : [] };
  if (!isObj(v)) throw new EncodeError(`${path}: expected an object for ${name}, got ${JSON.stringify(v)}`);
  const out: Obj = {};
  for (const [key, value] of Object.entries(v)) {
    const field = type.fields[key];
    if (!field) throw new EncodeError(`${path}.${key}: no such field in ${name}`);
    field.resolve();
    const at = `${path}.${key}`;
    if (value === null) continue; // proto3 JSON: null is the default value
    if (field.map)
      out[key] = Object.fromEntries(
        Object.entries(value as Obj).map(([k, x]) => [k, convertValue(field, x, `${at}.${k}`)]),
      );
    else if (field.repeated) out[key] = (value as Json[]).map((x, i) => convertValue(field, x, `${at}[${i}]`));
    else out[key] = convertValue(field, value, at);
  }
  return out;
}

/** Encodes `json` as message `typeName` (full name, e.g. "envoy.config.cluster.v3.Cluster"). */
export function encodeMessage(typeName: string, json: Json): Uint8Array {
  const type = lookupMessageType(envoyProtoRoot(), typeName);
  if (!type) throw new EncodeError(`unknown message type ${typeName}`);
  return type.encode(type.fromObject(convertMessage(type, json, typeName) as Obj)).finish();
}

/** The message type behind a type URL (type.googleapis.com/<full name>). */
export function messageType(typeUrl: string): protobuf.Type {
  const type = lookupMessageType(envoyProtoRoot(), typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
  if (!type) throw new EncodeError(`unknown message type ${typeUrl}`);
  return type;
}
