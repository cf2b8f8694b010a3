// Compiles protoc-gen-validate rules (the `(validate.rules)` field option, as protobufjs parses it into
// `field.parsedOptions`) into small check functions, once per field. Checks take the field's value after
// JSON decoding (see ValueKind) and return an error message, or undefined when the value passes.
//
// Implemented: string (const, len, min_len, max_len, len_bytes, min_bytes, max_bytes, pattern, prefix, suffix,
// contains, not_contains, in, not_in, ignore_empty, well_known: hostname, ip, ipv4, ipv6, address, email, uri,
// uri_ref, uuid, well_known_regex HTTP_HEADER_NAME/HTTP_HEADER_VALUE with `strict`); bytes (const, len, min_len,
// max_len, prefix, suffix, contains, in, not_in, ip/ipv4/ipv6 lengths, ignore_empty); all numeric types (const,
// lt, lte, gt, gte incl. PGV's exclusive ranges, in, not_in, ignore_empty); bool const; enum (const,
// defined_only, in, not_in); duration (required, const, lt, lte, gt, gte, in, not_in); timestamp required;
// any (required, in, not_in); message required; repeated (min_items, max_items, unique, items, ignore_empty);
// map (min_pairs, max_pairs, keys, values, ignore_empty).
// Skipped (no Envoy v3 proto we load uses them): bytes.pattern, timestamp const/lt/gt/lt_now/gt_now/within,
// message.skip, map.no_sparse, string.well_known `header` variants beyond well_known_regex.
import net from 'node:net';

/** Decoded value handed to a check: strings as is, bytes as Buffer, numbers (int64 too) as number,
 *  enums as their number, durations as total nanoseconds (bigint), Any as its type URL. */
export type RuleValue = string | number | boolean | bigint | Buffer;

export type ValueCheck = (value: RuleValue) => string | undefined;

export interface CompiledRules {
  /** Check for each single value (the field itself, or each item of a repeated field). */
  value?: ValueCheck;
  /** Message-like field (message.required, duration.required, any.required, timestamp.required). */
  required?: boolean;
  /** Whole-list checks for repeated fields. */
  list?: (items: RuleValue[], count: number) => string | undefined;
  /** Map checks. */
  map?: { pairs?: (count: number) => string | undefined; key?: ValueCheck; value?: ValueCheck };
}

export interface EnumInfo {
  values: Map<number, string>;
}

type Rules = Record<string, any>;

/** Merges the `(validate.rules)` entries of a field's parsedOptions into one object (or undefined). */
export function readPgvRules(parsedOptions: unknown): Rules | undefined {
  if (!Array.isArray(parsedOptions)) return undefined;
  let merged: Rules | undefined;
  for (const entry of parsedOptions) {
    const rules = entry && (entry as Rules)['(validate.rules)'];
    if (rules && typeof rules === 'object') merged = deepMerge(merged ?? {}, rules);
  }
  return merged;
}

function deepMerge(into: Rules, from: Rules): Rules {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object')
      deepMerge(into[k], v);
    else into[k] = v;
  }
  return into;
}

export function compileRules(rules: Rules, enumInfo?: EnumInfo): CompiledRules {
  const out: CompiledRules = {};
  if (rules.message?.required) out.required = true;
  if (rules.duration?.required || rules.timestamp?.required || rules.any?.required) out.required = true;
  if (rules.repeated) {
    const r = rules.repeated;
    const itemCheck = r.items ? compileRules(r.items, enumInfo).value : undefined;
    if (itemCheck) out.value = itemCheck;
    out.list = listCheck(r);
  } else if (rules.map) {
    const r = rules.map;
    out.map = {
      pairs: countCheck(r.min_pairs, r.max_pairs, 'pairs', !!r.ignore_empty),
      key: r.keys ? compileRules(r.keys).value : undefined,
      value: r.values ? compileRules(r.values, enumInfo).value : undefined,
    };
  } else {
    out.value = scalarCheck(rules, enumInfo);
  }
  return out;
}

function scalarCheck(rules: Rules, enumInfo?: EnumInfo): ValueCheck | undefined {
  if (rules.string) return stringCheck(rules.string);
  if (rules.bytes) return bytesCheck(rules.bytes);
  if (rules.bool) return boolCheck(rules.bool);
  if (rules.enum) return enumCheck(rules.enum, enumInfo);
  if (rules.duration) return durationCheck(rules.duration);
  if (rules.any) return anyCheck(rules.any);
  for (const kind of [
    'double',
    'float',
    'int32',
    'int64',
    'uint32',
    'uint64',
    'sint32',
    'sint64',
    'fixed32',
    'fixed64',
    'sfixed32',
    'sfixed64',
  ]) {
    if (rules[kind]) return numberCheck(rules[kind]);
  }
  return undefined;
}

function all(checks: ValueCheck[]): ValueCheck | undefined {
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (v) => {
    for (const check of checks) {
      const msg = check(v);
      if (msg !== undefined) return msg;
    }
    return undefined;
  };
}

function withIgnoreEmpty(r: Rules, isEmpty: (v: RuleValue) => boolean, checks: ValueCheck[]): ValueCheck | undefined {
  const check = all(checks);
  if (!check || !r.ignore_empty) return check;
  return (v) => (isEmpty(v) ? undefined : check(v));
}

const show = (v: unknown): string => (typeof v === 'bigint' ? v.toString() : JSON.stringify(v));

function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const prev = s.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) n--;
    }
  }
  return n;
}

function stringCheck(r: Rules): ValueCheck | undefined {
  const checks: ValueCheck[] = [];
  const str = (v: RuleValue) => v as string;
  if (r.const !== undefined) checks.push((v) => (str(v) === r.const ? undefined : `must equal ${show(r.const)}`));
  if (r.len !== undefined)
    checks.push((v) => (runeCount(str(v)) === Number(r.len) ? undefined : `length must be ${r.len} characters`));
  if (r.min_len !== undefined) {
    const min = Number(r.min_len);
    checks.push((v) =>
      str(v).length >= min && runeCount(str(v)) >= min
        ? undefined
        : `length must be at least ${min} characters (min_len)`,
    );
  }
  if (r.max_len !== undefined) {
    const max = Number(r.max_len);
    checks.push((v) =>
      str(v).length <= max || runeCount(str(v)) <= max
        ? undefined
        : `length must be at most ${max} characters (max_len)`,
    );
  }
  if (r.len_bytes !== undefined)
    checks.push((v) =>
      Buffer.byteLength(str(v)) === Number(r.len_bytes) ? undefined : `must be ${r.len_bytes} bytes long`,
    );
  if (r.min_bytes !== undefined) {
    const min = Number(r.min_bytes);
    checks.push((v) =>
      Buffer.byteLength(str(v)) >= min ? undefined : `must be at least ${min} bytes long (min_bytes)`,
    );
  }
  if (r.max_bytes !== undefined) {
    const max = Number(r.max_bytes);
    checks.push((v) =>
      Buffer.byteLength(str(v)) <= max ? undefined : `must be at most ${max} bytes long (max_bytes)`,
    );
  }
  if (r.pattern !== undefined) {
    const re = compilePattern(r.pattern);
    if (re) checks.push((v) => (re.test(str(v)) ? undefined : `does not match pattern ${show(r.pattern)}`));
  }
  if (r.prefix !== undefined)
    checks.push((v) => (str(v).startsWith(r.prefix) ? undefined : `must start with ${show(r.prefix)}`));
  if (r.suffix !== undefined)
    checks.push((v) => (str(v).endsWith(r.suffix) ? undefined : `must end with ${show(r.suffix)}`));
  if (r.contains !== undefined)
    checks.push((v) => (str(v).includes(r.contains) ? undefined : `must contain ${show(r.contains)}`));
  if (r.not_contains !== undefined)
    checks.push((v) => (!str(v).includes(r.not_contains) ? undefined : `must not contain ${show(r.not_contains)}`));
  const inList = asList(r.in);
  if (inList)
    checks.push((v) => (inList.includes(str(v)) ? undefined : `must be one of ${inList.map(show).join(', ')}`));
  const notIn = asList(r.not_in);
  if (notIn)
    checks.push((v) => (!notIn.includes(str(v)) ? undefined : `must not be one of ${notIn.map(show).join(', ')}`));
  const wellKnown = wellKnownStringCheck(r);
  if (wellKnown) checks.push(wellKnown);
  return withIgnoreEmpty(r, (v) => v === '', checks);
}

// PGV's header regexes (validate.proto KnownRegex); `strict` defaults to true.
const HEADER_NAME_STRICT = /^:?[0-9a-zA-Z!#$%&'*+-.^_|~`]+$/; // `+-.` is a range, as in PGV
// Control characters are what these patterns exist to refuse.
// eslint-disable-next-line no-control-regex
const HEADER_VALUE_STRICT = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
// eslint-disable-next-line no-control-regex
const HEADER_LOOSE = /^[^\u0000\u000A\u000D]*$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

function wellKnownStringCheck(r: Rules): ValueCheck | undefined {
  const str = (v: RuleValue) => v as string;
  if (r.well_known_regex !== undefined) {
    const strict = r.strict !== false;
    const which = r.well_known_regex;
    const re = !strict
      ? HEADER_LOOSE
      : which === 'HTTP_HEADER_NAME' || which === 1
        ? HEADER_NAME_STRICT
        : HEADER_VALUE_STRICT;
    const label = which === 1 ? 'HTTP_HEADER_NAME' : which === 2 ? 'HTTP_HEADER_VALUE' : String(which);
    if (which === 'UNKNOWN' || which === 0) return undefined;
    return (v) =>
      re.test(str(v)) ? undefined : `is not a valid ${label}${strict ? '' : ' (no NUL, CR or LF allowed)'}`;
  }
  if (r.hostname) return (v) => (isHostname(str(v)) ? undefined : 'must be a valid hostname');
  if (r.ip) return (v) => (net.isIP(str(v)) !== 0 ? undefined : 'must be a valid IP address');
  if (r.ipv4) return (v) => (net.isIPv4(str(v)) ? undefined : 'must be a valid IPv4 address');
  if (r.ipv6) return (v) => (net.isIPv6(str(v)) ? undefined : 'must be a valid IPv6 address');
  if (r.address)
    return (v) => (net.isIP(str(v)) !== 0 || isHostname(str(v)) ? undefined : 'must be a valid hostname or IP address');
  if (r.email) return (v) => (EMAIL.test(str(v)) ? undefined : 'must be a valid email address');
  if (r.uuid) return (v) => (UUID.test(str(v)) ? undefined : 'must be a valid UUID');
  if (r.uri) return (v) => (URL.canParse(str(v)) ? undefined : 'must be a valid absolute URI');
  return undefined; // uri_ref: any string is a relative reference for our purposes
}

export function isHostname(s: string): boolean {
  const host = s.endsWith('.') ? s.slice(0, -1) : s;
  if (host.length === 0 || host.length > 253) return false;
  for (const label of host.split('.')) {
    if (!/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(label)) return false;
  }
  return true;
}

function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u'); // RE2 syntax; the patterns Envoy uses are JS-compatible
  } catch {
    return undefined;
  }
}

function asList(v: unknown): unknown[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [v];
}

function bytesCheck(r: Rules): ValueCheck | undefined {
  const checks: ValueCheck[] = [];
  const buf = (v: RuleValue) => v as Buffer;
  const b64 = (x: string) => Buffer.from(x, 'base64');
  if (r.const !== undefined)
    checks.push((v) => (buf(v).equals(b64(r.const)) ? undefined : 'must equal the constant value'));
  if (r.len !== undefined)
    checks.push((v) => (buf(v).length === Number(r.len) ? undefined : `must be ${r.len} bytes long`));
  if (r.min_len !== undefined)
    checks.push((v) =>
      buf(v).length >= Number(r.min_len) ? undefined : `must be at least ${r.min_len} bytes long (min_len)`,
    );
  if (r.max_len !== undefined)
    checks.push((v) =>
      buf(v).length <= Number(r.max_len) ? undefined : `must be at most ${r.max_len} bytes long (max_len)`,
    );
  if (r.prefix !== undefined)
    checks.push((v) =>
      buf(v).subarray(0, b64(r.prefix).length).equals(b64(r.prefix)) ? undefined : 'has the wrong prefix',
    );
  if (r.suffix !== undefined)
    checks.push((v) =>
      buf(v)
        .subarray(buf(v).length - b64(r.suffix).length)
        .equals(b64(r.suffix))
        ? undefined
        : 'has the wrong suffix',
    );
  if (r.contains !== undefined)
    checks.push((v) => (buf(v).includes(b64(r.contains)) ? undefined : 'does not contain the required bytes'));
  const inList = asList(r.in);
  if (inList)
    checks.push((v) =>
      inList.some((x) => buf(v).equals(b64(String(x)))) ? undefined : 'must be one of the allowed values',
    );
  const notIn = asList(r.not_in);
  if (notIn)
    checks.push((v) =>
      !notIn.some((x) => buf(v).equals(b64(String(x)))) ? undefined : 'must not be one of the listed values',
    );
  if (r.ip)
    checks.push((v) =>
      buf(v).length === 4 || buf(v).length === 16 ? undefined : 'must be an IP address (4 or 16 bytes)',
    );
  if (r.ipv4) checks.push((v) => (buf(v).length === 4 ? undefined : 'must be an IPv4 address (4 bytes)'));
  if (r.ipv6) checks.push((v) => (buf(v).length === 16 ? undefined : 'must be an IPv6 address (16 bytes)'));
  return withIgnoreEmpty(r, (v) => buf(v).length === 0, checks);
}

function boolCheck(r: Rules): ValueCheck | undefined {
  if (r.const === undefined) return undefined;
  return (v) => (v === r.const ? undefined : `must be ${r.const}`);
}

function enumCheck(r: Rules, enumInfo?: EnumInfo): ValueCheck | undefined {
  const checks: ValueCheck[] = [];
  const num = (v: RuleValue) => v as number;
  if (r.const !== undefined) checks.push((v) => (num(v) === Number(r.const) ? undefined : `must equal ${r.const}`));
  if (r.defined_only && enumInfo) {
    checks.push((v) =>
      enumInfo.values.has(num(v)) ? undefined : `value ${v} is not a defined enum value (defined_only)`,
    );
  }
  const name = (n: number) => enumInfo?.values.get(n) ?? String(n);
  const inList = asList(r.in)?.map(Number);
  if (inList)
    checks.push((v) => (inList.includes(num(v)) ? undefined : `must be one of ${inList.map(name).join(', ')}`));
  const notIn = asList(r.not_in)?.map(Number);
  if (notIn) checks.push((v) => (!notIn.includes(num(v)) ? undefined : `must not be ${name(num(v))}`));
  return all(checks);
}

/** lt/lte/gt/gte with PGV semantics: when the lower bound exceeds the upper one the range is exclusive
 *  (the value must lie outside it). Works for numbers and bigints alike. */
function rangeCheck<T extends number | bigint>(
  r: { lt?: T; lte?: T; gt?: T; gte?: T },
  fmt: (x: T) => string,
): ((v: T) => string | undefined) | undefined {
  const { lt, lte, gt, gte } = r;
  const upper = lt !== undefined ? { v: lt, incl: false } : lte !== undefined ? { v: lte, incl: true } : undefined;
  const lower = gt !== undefined ? { v: gt, incl: false } : gte !== undefined ? { v: gte, incl: true } : undefined;
  if (!upper && !lower) return undefined;
  const below = (v: T) => (upper ? (upper.incl ? v <= upper.v : v < upper.v) : true);
  const above = (v: T) => (lower ? (lower.incl ? v >= lower.v : v > lower.v) : true);
  const lowerText = lower ? `greater than ${lower.incl ? 'or equal to ' : ''}${fmt(lower.v)}` : '';
  const upperText = upper ? `less than ${upper.incl ? 'or equal to ' : ''}${fmt(upper.v)}` : '';
  if (upper && lower && lower.v > upper.v) {
    return (v) => (below(v) || above(v) ? undefined : `must be ${upperText} or ${lowerText}`);
  }
  const text = [lowerText, upperText].filter(Boolean).join(' and ');
  return (v) => (below(v) && above(v) ? undefined : `must be ${text}`);
}

function numberCheck(r: Rules): ValueCheck | undefined {
  const checks: ValueCheck[] = [];
  const num = (v: RuleValue) => v as number;
  const n = (x: unknown) => (x === undefined ? undefined : Number(x));
  if (r.const !== undefined) checks.push((v) => (num(v) === Number(r.const) ? undefined : `must equal ${r.const}`));
  const range = rangeCheck<number>({ lt: n(r.lt), lte: n(r.lte), gt: n(r.gt), gte: n(r.gte) }, String);
  if (range) checks.push((v) => range(num(v)));
  const inList = asList(r.in)?.map(Number);
  if (inList) checks.push((v) => (inList.includes(num(v)) ? undefined : `must be one of ${inList.join(', ')}`));
  const notIn = asList(r.not_in)?.map(Number);
  if (notIn) checks.push((v) => (!notIn.includes(num(v)) ? undefined : `must not be one of ${notIn.join(', ')}`));
  return withIgnoreEmpty(r, (v) => v === 0, checks);
}

const NANOS = 1_000_000_000n;

function durationNanos(d: unknown): bigint | undefined {
  if (!d || typeof d !== 'object') return undefined;
  const { seconds, nanos } = d as { seconds?: unknown; nanos?: unknown };
  return BigInt(String(seconds ?? 0)) * NANOS + BigInt(String(nanos ?? 0));
}

export function formatDurationNanos(total: bigint): string {
  const sign = total < 0n ? '-' : '';
  const abs = total < 0n ? -total : total;
  const frac = abs % NANOS;
  const fracText = frac === 0n ? '' : '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
  return `${sign}${abs / NANOS}${fracText}s`;
}

function durationCheck(r: Rules): ValueCheck | undefined {
  const checks: ValueCheck[] = [];
  const ns = (v: RuleValue) => v as bigint;
  const constant = durationNanos(r.const);
  if (constant !== undefined)
    checks.push((v) => (ns(v) === constant ? undefined : `must equal ${formatDurationNanos(constant)}`));
  const range = rangeCheck<bigint>(
    { lt: durationNanos(r.lt), lte: durationNanos(r.lte), gt: durationNanos(r.gt), gte: durationNanos(r.gte) },
    formatDurationNanos,
  );
  if (range) checks.push((v) => range(ns(v)));
  const inList = asList(r.in)?.map(durationNanos);
  if (inList) checks.push((v) => (inList.includes(ns(v)) ? undefined : 'must be one of the allowed durations'));
  const notIn = asList(r.not_in)?.map(durationNanos);
  if (notIn) checks.push((v) => (!notIn.includes(ns(v)) ? undefined : 'must not be one of the listed durations'));
  return all(checks);
}

function anyCheck(r: Rules): ValueCheck | undefined {
  const checks: ValueCheck[] = [];
  const inList = asList(r.in);
  if (inList)
    checks.push((v) => (inList.includes(v) ? undefined : `@type must be one of ${inList.map(show).join(', ')}`));
  const notIn = asList(r.not_in);
  if (notIn) checks.push((v) => (!notIn.includes(v) ? undefined : `@type must not be ${show(v)}`));
  return all(checks);
}

function countCheck(
  min: unknown,
  max: unknown,
  noun: string,
  ignoreEmpty: boolean,
): ((count: number) => string | undefined) | undefined {
  if (min === undefined && max === undefined) return undefined;
  const lo = min === undefined ? undefined : Number(min);
  const hi = max === undefined ? undefined : Number(max);
  const rule = noun === 'items' ? 'min_items' : 'min_pairs';
  const maxRule = noun === 'items' ? 'max_items' : 'max_pairs';
  return (count) => {
    if (ignoreEmpty && count === 0) return undefined;
    if (lo !== undefined && count < lo) return `must have at least ${lo} ${noun} (${rule}), got ${count}`;
    if (hi !== undefined && count > hi) return `must have at most ${hi} ${noun} (${maxRule}), got ${count}`;
    return undefined;
  };
}

function listCheck(r: Rules): CompiledRules['list'] {
  const count = countCheck(r.min_items, r.max_items, 'items', !!r.ignore_empty);
  if (!count && !r.unique) return undefined;
  return (items, n) => {
    const msg = count?.(n);
    if (msg !== undefined) return msg;
    if (r.unique) {
      const seen = new Set<string>();
      for (const item of items) {
        const key = Buffer.isBuffer(item) ? 'b:' + item.toString('base64') : typeof item + ':' + String(item);
        if (seen.has(key))
          return `items must be unique, ${show(typeof item === 'object' ? String(item) : item)} repeats`;
        seen.add(key);
      }
    }
    return undefined;
  };
}
