// Walks a JSON document against the message tables (message-schema.ts) and collects issues with their
// JSON path. One pass, no copies of the input: the path is a stack of segments, joined only when an
// issue is reported.
import protobuf from 'protobufjs';
import {
  Bad,
  decodeDuration,
  decodeFieldMask,
  decodeMapKey,
  decodeScalar,
  decodeTimestamp,
  describeJson,
} from './json-scalars.js';
import { lookupMessageType } from './proto-root.js';
import { messageSchema, type FieldSchema, type MessageSchema, type ValueType } from './message-schema.js';
import type { RuleValue, ValueCheck } from './pgv-rules.js';

export interface ValidationIssue {
  path: string;
  message: string;
}

const MAP_KEY = '\u0000'; // marks a path segment that is a map key, printed as ["key"]
const PLAIN_KEY = /^@?[A-Za-z_][A-Za-z0-9_]*$/;
const hasOwn = Object.prototype.hasOwnProperty;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class JsonProtoWalker {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  private readonly path: (string | number)[] = [];
  private readonly anyTypes = new Map<string, protobuf.Type | null>();

  constructor(private readonly root: protobuf.Root) {}

  /** Validates `value` as a message of `type` at the current path. */
  message(type: protobuf.Type, value: unknown): void {
    this.messageValue(messageSchema(type), value);
  }

  private currentPath(): string {
    let out = '';
    for (const seg of this.path) {
      if (typeof seg === 'number') out += `[${seg}]`;
      else if (seg.startsWith(MAP_KEY)) out += `[${JSON.stringify(seg.slice(1))}]`;
      else if (!PLAIN_KEY.test(seg))
        out += `[${JSON.stringify(seg)}]`; // unknown keys may hold dots etc.
      else out += out === '' ? seg : `.${seg}`;
    }
    return out;
  }

  private error(message: string): void {
    this.errors.push({ path: this.currentPath(), message });
  }

  private warn(message: string): void {
    this.warnings.push({ path: this.currentPath(), message });
  }

  private at<T>(segment: string | number, fn: () => T): T {
    this.path.push(segment);
    try {
      return fn();
    } finally {
      this.path.pop();
    }
  }

  /** Returns the decoded value for rule checks (wrappers, Duration, Any) or undefined. */
  private messageValue(schema: MessageSchema, value: unknown): RuleValue | undefined {
    const wk = schema.wellKnown;
    if (wk !== null) return this.wellKnownValue(schema, wk, value);
    if (!isPlainObject(value)) {
      this.error(`expected an object (${schema.fullName}), got ${describeJson(value)}`);
      return undefined;
    }
    this.messageFields(schema, value, false);
    return undefined;
  }

  private messageFields(schema: MessageSchema, obj: Record<string, unknown>, isAnyPayload: boolean): void {
    let oneofSetBy: (string | undefined)[] | undefined;
    for (const key in obj) {
      if (isAnyPayload && key === '@type') continue;
      const fs = schema.fields.get(key);
      const v = obj[key];
      this.path.push(key);
      if (!fs) {
        this.error(
          key === '@type'
            ? `"@type" is only allowed in a google.protobuf.Any, not in ${schema.fullName}`
            : `unknown field "${key}" in ${schema.fullName}`,
        );
      } else if (key !== fs.name && hasOwn.call(obj, fs.name)) {
        this.error(`field given twice, as "${fs.name}" and "${key}"`);
      } else if (v !== null || isValueType(fs.value)) {
        if (fs.oneofIndex >= 0) {
          oneofSetBy ??= new Array(schema.oneofs.length);
          const first = oneofSetBy[fs.oneofIndex];
          if (first !== undefined) {
            const oneof = schema.oneofs[fs.oneofIndex];
            this.error(
              `oneof "${oneof.name}" already has "${first}" set; only one of ${oneof.members.join(', ')} may be set`,
            );
          } else oneofSetBy[fs.oneofIndex] = key;
        }
        if (fs.deprecated) this.warn(`field "${key}" is deprecated in ${schema.fullName}`);
        if (fs.disallowedByDefault)
          this.error(
            `field "${key}" is disallowed by default (deprecated; Envoy rejects it without a runtime override)`,
          );
        this.fieldValue(fs, v);
      }
      this.path.pop();
    }
    for (const { field, message } of schema.absentFailures) {
      if (isUnset(obj, field.name) && isUnset(obj, field.jsonName)) this.at(field.name, () => this.error(message));
    }
    for (let i = 0; i < schema.oneofs.length; i++) {
      const oneof = schema.oneofs[i];
      if (oneof.required && oneofSetBy?.[i] === undefined) {
        this.error(`exactly one of ${oneof.members.join(', ')} is required (oneof "${oneof.name}")`);
      }
    }
  }

  private fieldValue(fs: FieldSchema, v: unknown): void {
    const rules = fs.rules;
    if (fs.mapKey !== null) {
      if (!isPlainObject(v)) return this.error(`expected an object (map), got ${describeJson(v)}`);
      let count = 0;
      for (const key in v) {
        count++;
        this.path.push(MAP_KEY + key);
        const decodedKey = decodeMapKey(fs.mapKey, key);
        if (decodedKey instanceof Bad) this.error(decodedKey.message);
        else this.check(rules?.map?.key, decodedKey, 'map key');
        const item = v[key];
        if (item === null && !isValueType(fs.value)) this.error('null is not allowed as a map value');
        else this.check(rules?.map?.value, this.singleValue(fs.value, item));
        this.path.pop();
      }
      this.check(rules?.map?.pairs === undefined ? undefined : () => rules.map!.pairs!(count), 0);
      return;
    }
    if (fs.repeated) {
      if (!Array.isArray(v)) return this.error(`expected an array, got ${describeJson(v)}`);
      const decoded: RuleValue[] | undefined = rules?.list !== undefined ? [] : undefined; // only for `unique`
      for (let i = 0; i < v.length; i++) {
        this.path.push(i);
        const item = v[i];
        if (item === null && !isValueType(fs.value)) this.error('null is not allowed in a repeated field');
        else {
          const d = this.singleValue(fs.value, item);
          this.check(rules?.value, d);
          if (decoded && d !== undefined) decoded.push(d);
        }
        this.path.pop();
      }
      if (rules?.list) this.check(() => rules.list!(decoded!, v.length), 0);
      return;
    }
    this.check(rules?.value, this.singleValue(fs.value, v));
  }

  private check(check: ValueCheck | undefined, decoded: RuleValue | undefined, what?: string): void {
    if (!check || decoded === undefined) return;
    const message = check(decoded);
    if (message !== undefined) this.error(what ? `${what} ${message}` : message);
  }

  private singleValue(type: ValueType, v: unknown): RuleValue | undefined {
    switch (type.kind) {
      case 'scalar': {
        const d = decodeScalar(type.scalar, v);
        if (d instanceof Bad) return void this.error(d.message);
        return d;
      }
      case 'enum': {
        const e = type.enumSchema;
        if (typeof v === 'string') {
          const num = e.byName.get(v);
          if (num === undefined) {
            const names = [...e.byName.keys()];
            return void this.error(
              `unknown value ${JSON.stringify(v)} for enum ${e.fullName} (expected one of ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`,
            );
          }
          if (e.deprecatedNames.has(v)) this.warn(`enum value ${v} of ${e.fullName} is deprecated`);
          return num;
        }
        if (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return v;
        return void this.error(`expected an enum name (string) or number for ${e.fullName}, got ${describeJson(v)}`);
      }
      case 'message':
        return this.messageValue(messageSchema(type.type), v);
    }
  }

  private wellKnownValue(
    schema: MessageSchema,
    wk: NonNullable<MessageSchema['wellKnown']>,
    v: unknown,
  ): RuleValue | undefined {
    if (typeof wk === 'object') {
      if (v === null) return undefined; // unset wrapper
      const d = decodeScalar(wk.wrapper, v);
      if (d instanceof Bad) return void this.error(`${d.message} (${schema.fullName})`);
      return d;
    }
    switch (wk) {
      case 'Any':
        return this.anyValue(v);
      case 'Duration': {
        const d = decodeDuration(v);
        return d instanceof Bad ? void this.error(d.message) : d;
      }
      case 'Timestamp': {
        const d = decodeTimestamp(v);
        return d instanceof Bad ? void this.error(d.message) : undefined;
      }
      case 'FieldMask': {
        const d = decodeFieldMask(v);
        return d instanceof Bad ? void this.error(d.message) : undefined;
      }
      case 'Struct':
        if (!isPlainObject(v)) this.error(`expected an object (google.protobuf.Struct), got ${describeJson(v)}`);
        return undefined;
      case 'ListValue':
        if (!Array.isArray(v)) this.error(`expected an array (google.protobuf.ListValue), got ${describeJson(v)}`);
        return undefined;
      case 'Value':
        return undefined; // any JSON value
      case 'Empty':
        if (!isPlainObject(v)) this.error(`expected an empty object (google.protobuf.Empty), got ${describeJson(v)}`);
        else for (const key in v) this.at(key, () => this.error(`unknown field "${key}" in google.protobuf.Empty`));
        return undefined;
    }
  }

  /** An Any: {"@type": "type.googleapis.com/<full.name>", ...fields}; returns the type URL for any.in rules. */
  private anyValue(v: unknown): RuleValue | undefined {
    if (!isPlainObject(v)) return void this.error(`expected an object (google.protobuf.Any), got ${describeJson(v)}`);
    const typeUrl = v['@type'];
    if (typeUrl === undefined) return void this.error('google.protobuf.Any is missing "@type"');
    if (typeof typeUrl !== 'string') return void this.error(`"@type" must be a string, got ${describeJson(typeUrl)}`);
    const type = this.resolveTypeUrl(typeUrl);
    if (!type) {
      this.error(
        `"@type" ${JSON.stringify(typeUrl)} does not resolve to a known message type (expected type.googleapis.com/<full.message.name> of a loaded Envoy proto)`,
      );
      return typeUrl;
    }
    const schema = messageSchema(type);
    if (schema.wellKnown !== null) {
      // well-known payloads use {"@type": ..., "value": <their JSON form>}
      for (const key in v) {
        if (key !== '@type' && key !== 'value')
          this.at(key, () =>
            this.error(`unknown field "${key}" in an Any holding ${schema.fullName} (expected "value")`),
          );
      }
      if (v.value !== undefined) this.at('value', () => this.messageValue(schema, v.value));
      return typeUrl;
    }
    this.messageFields(schema, v, true);
    if (schema.fullName === 'xds.type.v3.TypedStruct' || schema.fullName === 'udpa.type.v1.TypedStruct')
      this.typedStructPayload(v);
    return typeUrl;
  }

  /** TypedStruct carries its payload as a Struct; Envoy converts it to type_url's message, so check that too. */
  private typedStructPayload(v: Record<string, unknown>): void {
    const typeUrl = v.type_url ?? v.typeUrl;
    if (typeof typeUrl !== 'string') return;
    const type = this.resolveTypeUrl(typeUrl);
    if (!type)
      return this.at('type_url', () =>
        this.error(`type_url ${JSON.stringify(typeUrl)} does not resolve to a known message type`),
      );
    if (isPlainObject(v.value)) this.at('value', () => this.messageValue(messageSchema(type), v.value));
  }

  private resolveTypeUrl(typeUrl: string): protobuf.Type | null {
    let type = this.anyTypes.get(typeUrl);
    if (type === undefined) {
      const slash = typeUrl.lastIndexOf('/');
      const name = typeUrl.slice(slash + 1);
      type = slash > 0 ? lookupMessageType(this.root, name) : null;
      this.anyTypes.set(typeUrl, type);
    }
    return type;
  }
}

function isUnset(obj: Record<string, unknown>, key: string): boolean {
  return !hasOwn.call(obj, key) || obj[key] === null;
}

function isValueType(type: ValueType): boolean {
  return type.kind === 'message' && type.type.fullName === '.google.protobuf.Value';
}
