// Per-message field tables, built once per protobufjs Type (on first use) so that validation itself is a
// plain walk: look a JSON key up in a Map, check its type, run the precompiled PGV checks.
import protobuf from 'protobufjs';
import { compileRules, readPgvRules, type CompiledRules, type EnumInfo, type RuleValue } from './pgv-rules.js';
import type { ScalarKind } from './json-scalars.js';

/** How a message type is written in JSON (the proto3 JSON mapping's special cases). */
export type WellKnownKind =
  'Any' | 'Duration' | 'Timestamp' | 'FieldMask' | 'Struct' | 'Value' | 'ListValue' | 'Empty' | { wrapper: ScalarKind };

const WELL_KNOWN: Record<string, WellKnownKind> = {
  'google.protobuf.Any': 'Any',
  'google.protobuf.Duration': 'Duration',
  'google.protobuf.Timestamp': 'Timestamp',
  'google.protobuf.FieldMask': 'FieldMask',
  'google.protobuf.Struct': 'Struct',
  'google.protobuf.Value': 'Value',
  'google.protobuf.ListValue': 'ListValue',
  'google.protobuf.Empty': 'Empty',
  'google.protobuf.DoubleValue': { wrapper: 'double' },
  'google.protobuf.FloatValue': { wrapper: 'float' },
  'google.protobuf.Int64Value': { wrapper: 'int64' },
  'google.protobuf.UInt64Value': { wrapper: 'uint64' },
  'google.protobuf.Int32Value': { wrapper: 'int32' },
  'google.protobuf.UInt32Value': { wrapper: 'uint32' },
  'google.protobuf.BoolValue': { wrapper: 'bool' },
  'google.protobuf.StringValue': { wrapper: 'string' },
  'google.protobuf.BytesValue': { wrapper: 'bytes' },
};

export interface EnumSchema extends EnumInfo {
  fullName: string;
  byName: Map<string, number>;
  deprecatedNames: Set<string>;
}

export type ValueType =
  | { kind: 'scalar'; scalar: ScalarKind }
  | { kind: 'enum'; enumSchema: EnumSchema }
  | { kind: 'message'; type: protobuf.Type };

export interface FieldSchema {
  name: string;
  jsonName: string;
  value: ValueType;
  repeated: boolean;
  mapKey: ScalarKind | null; // non-null for map fields
  oneofIndex: number; // index into MessageSchema.oneofs, -1 when not in a (real) oneof
  rules: CompiledRules | null;
  deprecated: boolean;
  disallowedByDefault: boolean;
}

export interface OneofSchema {
  name: string;
  required: boolean;
  members: string[];
}

export interface MessageSchema {
  fullName: string;
  wellKnown: WellKnownKind | null;
  fields: Map<string, FieldSchema>; // by proto name and by lowerCamelCase JSON name
  fieldList: FieldSchema[];
  oneofs: OneofSchema[];
  /** Fields that are wrong when absent (required messages, or a default value that breaks a PGV rule). */
  absentFailures: { field: FieldSchema; message: string }[];
}

const schemas = new WeakMap<protobuf.Type, MessageSchema>();
const enums = new WeakMap<protobuf.Enum, EnumSchema>();

export function messageSchema(type: protobuf.Type): MessageSchema {
  let schema = schemas.get(type);
  if (!schema) {
    schema = buildMessageSchema(type);
    schemas.set(type, schema);
  }
  return schema;
}

function fullNameOf(obj: protobuf.ReflectionObject): string {
  return obj.fullName.replace(/^\./, '');
}

function buildMessageSchema(type: protobuf.Type): MessageSchema {
  const fullName = fullNameOf(type);
  // proto3 `optional` fields live in synthetic one-member oneofs; they only mean "has presence".
  const realOneofs = type.oneofsArray.filter(
    (o) => !(o.oneof.length === 1 && type.fields[o.oneof[0]]?.options?.proto3_optional),
  );
  const oneofs: OneofSchema[] = realOneofs.map((o) => ({
    name: o.name,
    required: o.options?.['(validate.required)'] === true,
    members: [...o.oneof],
  }));
  const presenceOnly = new Set(type.oneofsArray.filter((o) => !realOneofs.includes(o)).flatMap((o) => o.oneof));
  const schema: MessageSchema = {
    fullName,
    wellKnown: WELL_KNOWN[fullName] ?? null,
    fields: new Map(),
    fieldList: [],
    oneofs,
    absentFailures: [],
  };
  for (const field of type.fieldsArray) {
    field.resolve();
    const fs = buildFieldSchema(
      field,
      realOneofs.findIndex((o) => o.oneof.includes(field.name)),
    );
    schema.fieldList.push(fs);
    schema.fields.set(fs.name, fs);
    schema.fields.set(fs.jsonName, fs);
    if (fs.oneofIndex < 0 && !presenceOnly.has(fs.name)) {
      const message = failureWhenAbsent(fs);
      if (message) schema.absentFailures.push({ field: fs, message });
    }
  }
  return schema;
}

/** lowerCamelCase as protoc derives json_name: drop each underscore and upper-case the next letter. */
function jsonNameOf(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()).replace(/_/g, '');
}

const SCALAR_ALIASES: Record<string, ScalarKind> = {
  double: 'double',
  float: 'float',
  int32: 'int32',
  sint32: 'int32',
  sfixed32: 'int32',
  uint32: 'uint32',
  fixed32: 'uint32',
  int64: 'int64',
  sint64: 'int64',
  sfixed64: 'int64',
  uint64: 'uint64',
  fixed64: 'uint64',
  bool: 'bool',
  string: 'string',
  bytes: 'bytes',
};

function buildFieldSchema(field: protobuf.Field, oneofIndex: number): FieldSchema {
  let value: ValueType;
  if (field.resolvedType instanceof protobuf.Type) value = { kind: 'message', type: field.resolvedType };
  else if (field.resolvedType instanceof protobuf.Enum)
    value = { kind: 'enum', enumSchema: enumSchema(field.resolvedType) };
  else value = { kind: 'scalar', scalar: SCALAR_ALIASES[field.type] };
  if (value.kind === 'scalar' && !value.scalar)
    throw new Error(`unsupported field type ${field.type} at ${field.fullName}`);
  const pgv = readPgvRules(field.parsedOptions);
  const options = field.options ?? {};
  return {
    name: field.name,
    jsonName: typeof options.json_name === 'string' ? options.json_name : jsonNameOf(field.name),
    value,
    repeated: field.repeated,
    mapKey: field instanceof protobuf.MapField ? SCALAR_ALIASES[field.keyType] : null,
    oneofIndex,
    rules: pgv ? compileRules(pgv, value.kind === 'enum' ? value.enumSchema : undefined) : null,
    deprecated: options.deprecated === true,
    disallowedByDefault: options['(envoy.annotations.disallowed_by_default)'] === true,
  };
}

export function enumSchema(e: protobuf.Enum): EnumSchema {
  let schema = enums.get(e);
  if (!schema) {
    const values = new Map<number, string>();
    const byName = new Map<string, number>();
    const deprecatedNames = new Set<string>();
    for (const [name, num] of Object.entries(e.values)) {
      if (!values.has(num)) values.set(num, name);
      byName.set(name, num);
      if (e.valuesOptions?.[name]?.deprecated === true) deprecatedNames.add(name);
    }
    schema = { fullName: fullNameOf(e), values, byName, deprecatedNames };
    enums.set(e, schema);
  }
  return schema;
}

/** proto3 has no presence for scalars: PGV checks the default value, so e.g. a missing `name` with
 *  min_len 1 fails. Messages (and wrappers) are only checked when set, unless marked required. */
function failureWhenAbsent(fs: FieldSchema): string | undefined {
  const rules = fs.rules;
  if (!rules) return undefined;
  if (rules.required) return 'is required';
  const countMessage = fs.mapKey ? rules.map?.pairs?.(0) : fs.repeated ? rules.list?.([], 0) : undefined;
  if (fs.mapKey || fs.repeated) return countMessage === undefined ? undefined : `is required: ${countMessage}`;
  if (fs.value.kind === 'message' || !rules.value) return undefined;
  const message = rules.value(defaultValue(fs.value));
  return message === undefined ? undefined : `is required (the default value fails: ${message})`;
}

function defaultValue(value: ValueType): RuleValue {
  if (value.kind === 'enum') return 0;
  if (value.kind !== 'scalar') throw new Error('no scalar default for a message');
  switch (value.scalar) {
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'bool':
      return false;
    default:
      return 0;
  }
}
