// Proto3 JSON mapping for scalar values and the string-encoded well-known types, as Envoy's parser
// (protobuf's JsonStringToMessage) accepts them. Each decoder returns the decoded value, or a
// `Bad` carrying an error message.
import type { RuleValue } from './pgv-rules.js';

export type ScalarKind = 'double' | 'float' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool' | 'string' | 'bytes';

export class Bad {
  constructor(readonly message: string) {}
}

export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
    case 'number':
      return `number ${v}`;
    case 'boolean':
      return `boolean ${v}`;
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

const INT_STRING = /^-?\d+$/;
const FLOAT_STRING = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const INT_LIMITS = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
} as const;
const FLOAT_MAX = 3.4028234663852886e38;

export function decodeScalar(kind: ScalarKind, v: unknown): RuleValue | Bad {
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? v : new Bad(`expected a string, got ${describeJson(v)}`);
    case 'bool':
      return typeof v === 'boolean' ? v : new Bad(`expected a boolean, got ${describeJson(v)}`);
    case 'bytes':
      if (typeof v !== 'string') return new Bad(`expected a base64 string (bytes), got ${describeJson(v)}`);
      if (!BASE64.test(v))
        return new Bad('expected a base64 string (bytes), got characters outside the base64 alphabet');
      if (v.replace(/=+$/, '').length % 4 === 1)
        return new Bad('expected a base64 string (bytes), got a truncated one');
      return Buffer.from(v, 'base64');
    case 'double':
    case 'float':
      return decodeFloat(kind, v);
    default:
      return decodeInteger(kind, v);
  }
}

function decodeFloat(kind: 'double' | 'float', v: unknown): number | Bad {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    if (!FLOAT_STRING.test(v)) return new Bad(`expected a number (${kind}), got ${describeJson(v)}`);
    n = Number(v);
  } else return new Bad(`expected a number (${kind}), got ${describeJson(v)}`);
  if (kind === 'float' && Number.isFinite(n) && Math.abs(n) > FLOAT_MAX)
    return new Bad(`${n} is out of range for float`);
  if (!Number.isFinite(n)) return new Bad(`${describeJson(v)} is out of range for ${kind}`);
  return n;
}

function decodeInteger(kind: 'int32' | 'uint32' | 'int64' | 'uint64', v: unknown): number | Bad {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return new Bad(`expected an integer (${kind}), got ${describeJson(v)}`);
    const [lo, hi] = INT_LIMITS[kind];
    if (v < Number(lo) || v > Number(hi)) return new Bad(`${v} is out of range for ${kind}`);
    return v;
  }
  if (typeof v === 'string') {
    // protobuf accepts quoted integers for every integer type (and int64/uint64 are usually quoted)
    if (!INT_STRING.test(v)) return new Bad(`expected an integer (${kind}), got ${describeJson(v)}`);
    const big = BigInt(v);
    const [lo, hi] = INT_LIMITS[kind];
    if (big < BigInt(lo) || big > BigInt(hi)) return new Bad(`${v} is out of range for ${kind}`);
    return Number(big);
  }
  return new Bad(`expected an integer (${kind}), got ${describeJson(v)}`);
}

const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;
const MAX_DURATION_SECONDS = 315_576_000_000n;

/** google.protobuf.Duration: "1.5s", "-0.001s"; returns total nanoseconds. */
export function decodeDuration(v: unknown): bigint | Bad {
  if (typeof v !== 'string') return new Bad(`expected a duration string such as "1.5s", got ${describeJson(v)}`);
  const m = DURATION.exec(v);
  if (!m) return new Bad(`invalid duration ${JSON.stringify(v)}: expected seconds with an "s" suffix, such as "1.5s"`);
  const seconds = BigInt(m[2]);
  if (seconds > MAX_DURATION_SECONDS)
    return new Bad(`duration ${JSON.stringify(v)} is out of range (max ±315576000000s)`);
  const nanos = BigInt((m[3] ?? '').padEnd(9, '0'));
  const total = seconds * 1_000_000_000n + nanos;
  return m[1] ? -total : total;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** google.protobuf.Timestamp: RFC 3339, years 0001..9999. */
export function decodeTimestamp(v: unknown): string | Bad {
  if (typeof v !== 'string') return new Bad(`expected an RFC 3339 timestamp string, got ${describeJson(v)}`);
  const m = TIMESTAMP.exec(v);
  if (!m) return new Bad(`invalid timestamp ${JSON.stringify(v)}: expected RFC 3339 such as "2024-01-02T03:04:05Z"`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const dayOk = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (year < 1 || !dayOk || hour > 23 || minute > 59 || second > 59)
    return new Bad(`invalid timestamp ${JSON.stringify(v)}`);
  return v;
}

const FIELD_MASK =
  /^([a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*)?(,[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*)*$/;

/** google.protobuf.FieldMask: comma-separated lowerCamelCase paths. */
export function decodeFieldMask(v: unknown): string | Bad {
  if (typeof v !== 'string') return new Bad(`expected a field mask string such as "a.b,c", got ${describeJson(v)}`);
  return FIELD_MASK.test(v)
    ? v
    : new Bad(`invalid field mask ${JSON.stringify(v)}: expected comma-separated lowerCamelCase paths`);
}

/** Map keys are JSON object keys (strings); their key type constrains the spelling. */
export function decodeMapKey(kind: ScalarKind, key: string): RuleValue | Bad {
  if (kind === 'string') return key;
  if (kind === 'bool')
    return key === 'true'
      ? true
      : key === 'false'
        ? false
        : new Bad(`map key ${JSON.stringify(key)} must be "true" or "false"`);
  const decoded = decodeScalar(kind, key);
  return decoded instanceof Bad ? new Bad(`map key ${JSON.stringify(key)} is not a valid ${kind}`) : decoded;
}
