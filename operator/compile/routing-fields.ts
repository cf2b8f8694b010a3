// The routing vocabulary of issue 14 (Emissary's Mapping fields, camelCase, durations as strings; MappingSpec in
// api/types.ts), read from a Mapping's spec into what the IR needs: the match, the route policy, the forward's extras and the cluster
// settings. The CRD schema checks types, bounds and patterns first (crds/mapping.yaml); this repeats the checks
// compile cannot do without (an object stored before a rule existed reaches compile unchecked, and compile never
// throws) and adds those the schema cannot express: RE2 syntax, and combinations.
import { parseDuration } from './durations.js';
import type { IRClusterSettings, IRHeaderEdits, IRRoutePolicy, IRStringMatch } from './ir.js';
import { re2Problem } from './regex-check.js';
import type { CandidateMatch } from './route-match.js';

interface NameValue {
  name: string;
  value?: string;
}
interface NamePattern {
  name: string;
  pattern: string;
}
interface HeaderAdd {
  name: string;
  value: string;
  append?: boolean;
}

export interface RoutingPlan {
  match: CandidateMatch;
  policy: IRRoutePolicy;
  hostRewrite?: string;
  regexRewrite?: { pattern: string; substitution: string };
  cluster: IRClusterSettings;
  /** Percent of the group (or, with shadow, of the mirrored traffic); undefined: share the rest. */
  weight?: number;
  shadow: boolean;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

const METHOD = /^[A-Z]+(-[A-Z]+)*$/;
const HEADER_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;
const QUERY_NAME = /^[!-~]+$/;
const RETRY_ON = new Set(['5xx', 'gateway-error', 'reset', 'connect-failure', 'retriable-4xx', 'refused-stream']);
const LB_POLICIES: Record<string, IRClusterSettings['lbPolicy']> = {
  RoundRobin: 'round_robin',
  LeastRequest: 'least_request',
  RingHash: 'ring_hash',
  Maglev: 'maglev',
};

class FieldProblem extends Error {}
const fail = (field: string, message: string): never => {
  throw new FieldProblem(`${field}: Invalid value: ${message}`);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function list<T>(v: unknown, field: string): T[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(field, 'must be a list');
  return v as T[];
}

function str(v: unknown, field: string, pattern?: RegExp, what?: string): string {
  if (typeof v !== 'string') fail(field, 'must be a string');
  if (pattern && !pattern.test(v as string)) fail(field, `${JSON.stringify(v)}: ${what}`);
  return v as string;
}

function regex(v: unknown, field: string): string {
  const s = str(v, field);
  if (s === '') fail(field, 'must not be empty');
  const problem = re2Problem(s);
  if (problem) fail(field, `${JSON.stringify(s)} ${problem}`);
  return s;
}

function duration(v: unknown, field: string, positive = false): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseDuration(v);
  if (ms === undefined)
    fail(field, `${JSON.stringify(v)}: must be a duration such as 3s, 500ms or 1m30s (units h, m, s, ms)`);
  if (positive && ms === 0) fail(field, 'must be longer than 0');
  return ms;
}

function bool(v: unknown, field: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') fail(field, 'must be true or false');
  return v as boolean;
}

function int(v: unknown, field: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail(field, `${JSON.stringify(v)}: must be a whole number from ${min} to ${max}`);
  return v as number;
}

function stringMatches(
  exact: unknown,
  regexes: unknown,
  field: string,
  regexField: string,
  nameRe: RegExp,
  what: string,
): IRStringMatch[] {
  const out: IRStringMatch[] = [];
  const seen = new Set<string>();
  const add = (m: IRStringMatch, at: string) => {
    const key = nameRe === HEADER_NAME ? m.name.toLowerCase() : m.name;
    if (seen.has(key))
      fail(
        at,
        `${JSON.stringify(m.name)} is constrained twice (in ${field} and ${regexField} together, each name once)`,
      );
    seen.add(key);
    out.push(m);
  };
  list<NameValue>(exact, field).forEach((e, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(e)) fail(at, 'must be an object with name and value');
    const name = str(e.name, `${at}.name`, nameRe, what);
    add(
      e.value === undefined ? { name, kind: 'present' } : { name, kind: 'exact', value: str(e.value, `${at}.value`) },
      `${at}.name`,
    );
  });
  list<NamePattern>(regexes, regexField).forEach((e, i) => {
    const at = `${regexField}[${i}]`;
    if (!isObject(e)) fail(at, 'must be an object with name and pattern');
    add(
      { name: str(e.name, `${at}.name`, nameRe, what), kind: 'regex', value: regex(e.pattern, `${at}.pattern`) },
      `${at}.name`,
    );
  });
  // Header names are case-insensitive: one spelling, so equal constraints make equal matches (canary groups).
  if (nameRe === HEADER_NAME) for (const m of out) m.name = m.name.toLowerCase();
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function headerEdits(add: unknown, remove: unknown, addField: string, removeField: string): IRHeaderEdits | undefined {
  const adds = list<HeaderAdd>(add, addField).map((h, i) => {
    const at = `${addField}[${i}]`;
    if (!isObject(h)) fail(at, 'must be an object with name and value');
    const name = str(h.name, `${at}.name`, HEADER_NAME, 'must be an HTTP header name such as x-request-source');
    if (/^host$/i.test(name) || name.startsWith(':')) fail(`${at}.name`, 'must not be Host: use spec.hostRewrite');
    return {
      name: name.toLowerCase(),
      value: str(h.value, `${at}.value`),
      append: bool(h.append, `${at}.append`, true),
    };
  });
  const removes = list<string>(remove, removeField).map((h, i) => {
    const name = str(h, `${removeField}[${i}]`, HEADER_NAME, 'must be an HTTP header name such as x-debug');
    if (/^host$/i.test(name)) fail(`${removeField}[${i}]`, 'must not be Host: use spec.hostRewrite');
    return name.toLowerCase();
  });
  return adds.length || removes.length ? { add: adds, remove: removes } : undefined;
}

function names(v: unknown, field: string, pattern: RegExp, what: string): string[] {
  return list<string>(v, field).map((s, i) => str(s, `${field}[${i}]`, pattern, what));
}

function corsPolicy(v: unknown): IRRoutePolicy['cors'] {
  if (v === undefined) return undefined;
  if (!isObject(v)) return fail('spec.cors', 'must be an object');
  const c = v as Record<string, unknown>;
  const origins = names(
    c.origins,
    'spec.cors.origins',
    /^(\*|[a-z][-+.a-z0-9]*:\/\/[^/?#]+)$/,
    'must be "*" or an origin such as https://app.example.com',
  );
  if (origins.length === 0) fail('spec.cors.origins', 'must list at least one origin');
  const maxAgeMs = duration(c.maxAge, 'spec.cors.maxAge');
  return {
    origins,
    methods: names(c.methods, 'spec.cors.methods', METHOD, 'must be an HTTP method in upper case, such as GET'),
    headers: names(c.headers, 'spec.cors.headers', HEADER_NAME, 'must be an HTTP header name'),
    exposedHeaders: names(c.exposedHeaders, 'spec.cors.exposedHeaders', HEADER_NAME, 'must be an HTTP header name'),
    credentials: bool(c.credentials, 'spec.cors.credentials', false),
    ...(maxAgeMs !== undefined ? { maxAgeSeconds: Math.floor(maxAgeMs / 1000) } : {}),
  };
}

function retryPolicy(v: unknown): IRRoutePolicy['retry'] {
  if (v === undefined) return undefined;
  if (!isObject(v)) return fail('spec.retryPolicy', 'must be an object');
  const on = list<string>(v.retryOn, 'spec.retryPolicy.retryOn');
  if (on.length === 0) fail('spec.retryPolicy.retryOn', 'must name at least one condition, e.g. 5xx');
  on.forEach((c, i) => {
    if (!RETRY_ON.has(c))
      fail(`spec.retryPolicy.retryOn[${i}]`, `${JSON.stringify(c)}: must be one of ${[...RETRY_ON].join(', ')}`);
  });
  const perTry = duration(v.perTryTimeout, 'spec.retryPolicy.perTryTimeout', true);
  return {
    on: [...new Set(on)].sort(),
    numRetries: int(v.numRetries, 'spec.retryPolicy.numRetries', 1, 10) ?? 1,
    ...(perTry !== undefined ? { perTryTimeoutMs: perTry } : {}),
  };
}

function clusterSettings(s: Record<string, unknown>): IRClusterSettings {
  const settings: IRClusterSettings = {
    connectTimeoutMs: duration(s.connectTimeout, 'spec.connectTimeout', true) ?? DEFAULT_CONNECT_TIMEOUT_MS,
    http2: bool(s.grpc, 'spec.grpc', false),
    lbPolicy: 'round_robin',
  };
  if (s.circuitBreakers !== undefined) {
    if (!isObject(s.circuitBreakers)) fail('spec.circuitBreakers', 'must be an object');
    const cb = s.circuitBreakers as Record<string, unknown>;
    const t = {
      maxConnections: int(cb.maxConnections, 'spec.circuitBreakers.maxConnections', 1, 1e9),
      maxPendingRequests: int(cb.maxPendingRequests, 'spec.circuitBreakers.maxPendingRequests', 1, 1e9),
      maxRequests: int(cb.maxRequests, 'spec.circuitBreakers.maxRequests', 1, 1e9),
      maxRetries: int(cb.maxRetries, 'spec.circuitBreakers.maxRetries', 0, 1e9),
    };
    const set = Object.fromEntries(Object.entries(t).filter(([, n]) => n !== undefined)) as NonNullable<
      IRClusterSettings['circuitBreakers']
    >;
    if (Object.keys(set).length > 0) settings.circuitBreakers = set;
  }
  if (s.loadBalancer !== undefined) {
    if (!isObject(s.loadBalancer)) fail('spec.loadBalancer', 'must be an object');
    const lb = s.loadBalancer as Record<string, unknown>;
    const policy = LB_POLICIES[lb.policy as string];
    if (!policy)
      fail(
        'spec.loadBalancer.policy',
        `${JSON.stringify(lb.policy)}: must be one of ${Object.keys(LB_POLICIES).join(', ')}`,
      );
    settings.lbPolicy = policy;
  }
  return settings;
}

/** What a route hashes on for RingHash/Maglev: a route setting in Envoy, so part of the policy. */
function hashPolicy(lb: unknown): IRRoutePolicy['hashOn'] {
  if (!isObject(lb)) return undefined;
  const hashing = lb.policy === 'RingHash' || lb.policy === 'Maglev';
  const given = [lb.cookie !== undefined, lb.header !== undefined, lb.sourceIp === true].filter(Boolean).length;
  if (!hashing) {
    if (given > 0)
      fail(
        'spec.loadBalancer',
        'must not set cookie, header or sourceIp unless policy is RingHash or Maglev (they say what to hash on)',
      );
    return undefined;
  }
  if (given !== 1)
    fail(
      'spec.loadBalancer',
      'must name exactly one of cookie, header or sourceIp to hash on, with policy RingHash or Maglev',
    );
  if (lb.header !== undefined)
    return {
      header: str(lb.header, 'spec.loadBalancer.header', HEADER_NAME, 'must be an HTTP header name').toLowerCase(),
    };
  if (lb.sourceIp === true) return { sourceIp: true };
  const c = lb.cookie;
  if (!isObject(c)) return fail('spec.loadBalancer.cookie', 'must be an object with a name');
  const ttl = duration(c.ttl, 'spec.loadBalancer.cookie.ttl');
  return {
    cookie: {
      name: str(c.name, 'spec.loadBalancer.cookie.name', HEADER_NAME, 'must be a cookie name such as session'),
      ...(c.path !== undefined ? { path: str(c.path, 'spec.loadBalancer.cookie.path') } : {}),
      ...(ttl !== undefined ? { ttlMs: ttl } : {}),
    },
  };
}

function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; message: string } {
  try {
    return { ok: true, value: f() };
  } catch (err) {
    if (err instanceof FieldProblem) return { ok: false, message: err.message };
    throw err;
  }
}

/** The plan for a Mapping's spec (prefix already checked), or the first problem as `spec.field: message`. */
export const planRouting = (spec: Record<string, unknown>) => attempt(() => plan(spec));

/** Only the match (what an invalid Mapping holds as a 503 while its other fields are wrong). */
export const planMatch = (spec: Record<string, unknown>) => attempt(() => matchOf(spec));

/** Whether `spec.prefix` is an RE2 expression rather than a path (path-form checks do not apply to it). */
export const isPrefixRegex = (spec: Record<string, unknown>): boolean => spec.prefixRegex === true;

function matchOf(s: Record<string, unknown>): CandidateMatch {
  const prefix = s.prefix as string;
  const isRegex = bool(s.prefixRegex, 'spec.prefixRegex', false);
  const isExact = bool(s.prefixExact, 'spec.prefixExact', false);
  if (isRegex && isExact)
    fail(
      'spec.prefixExact',
      'must not be true together with prefixRegex: a regular expression already matches the whole path',
    );
  if (isRegex) regex(prefix, 'spec.prefix');
  const method =
    s.method === undefined
      ? undefined
      : str(s.method, 'spec.method', METHOD, 'must be an HTTP method in upper case, such as GET or POST');
  const match: CandidateMatch = {
    path: {
      kind: isRegex ? 'regex' : isExact ? 'exact' : 'prefix',
      value: prefix,
      caseSensitive: bool(s.caseSensitive, 'spec.caseSensitive', true),
    },
    ...(method ? { method } : {}),
    headers: stringMatches(
      s.headers,
      s.regexHeaders,
      'spec.headers',
      'spec.regexHeaders',
      HEADER_NAME,
      'must be an HTTP header name such as x-canary',
    ),
    query: stringMatches(
      s.queryParameters,
      s.regexQueryParameters,
      'spec.queryParameters',
      'spec.regexQueryParameters',
      QUERY_NAME,
      'must be a query parameter name',
    ),
    precedence: int(s.precedence, 'spec.precedence', -1_000_000, 1_000_000) ?? 0,
  };
  return match;
}

/** The spec fields of the routing vocabulary; a Mapping with none of them takes the plain plan. */
const ROUTING_FIELDS = new Set([
  'prefixExact',
  'prefixRegex',
  'caseSensitive',
  'method',
  'headers',
  'regexHeaders',
  'queryParameters',
  'regexQueryParameters',
  'precedence',
  'weight',
  'shadow',
  'regexRewrite',
  'hostRewrite',
  'timeout',
  'idleTimeout',
  'connectTimeout',
  'retryPolicy',
  'addRequestHeaders',
  'addResponseHeaders',
  'removeRequestHeaders',
  'removeResponseHeaders',
  'cors',
  'allowUpgrade',
  'circuitBreakers',
  'loadBalancer',
  'grpc',
]);

const PLAIN_CLUSTER: IRClusterSettings = Object.freeze({
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
  http2: false,
  lbPolicy: 'round_robin',
});

function plan(s: Record<string, unknown>): RoutingPlan {
  let plain = true;
  for (const k in s) if (ROUTING_FIELDS.has(k)) plain = false;
  if (plain)
    return {
      match: {
        path: { kind: 'prefix', value: s.prefix as string, caseSensitive: true },
        headers: [],
        query: [],
        precedence: 0,
      },
      policy: {},
      cluster: PLAIN_CLUSTER,
      shadow: false,
    };
  const match = matchOf(s);
  const policy: IRRoutePolicy = {};
  const timeout = duration(s.timeout, 'spec.timeout');
  if (timeout !== undefined) policy.timeoutMs = timeout;
  const idle = duration(s.idleTimeout, 'spec.idleTimeout');
  if (idle !== undefined) policy.idleTimeoutMs = idle;
  const retry = retryPolicy(s.retryPolicy);
  if (retry) policy.retry = retry;
  const requestHeaders = headerEdits(
    s.addRequestHeaders,
    s.removeRequestHeaders,
    'spec.addRequestHeaders',
    'spec.removeRequestHeaders',
  );
  if (requestHeaders) policy.requestHeaders = requestHeaders;
  const responseHeaders = headerEdits(
    s.addResponseHeaders,
    s.removeResponseHeaders,
    'spec.addResponseHeaders',
    'spec.removeResponseHeaders',
  );
  if (responseHeaders) policy.responseHeaders = responseHeaders;
  const upgrades = names(
    s.allowUpgrade,
    'spec.allowUpgrade',
    /^[A-Za-z0-9][-A-Za-z0-9_./]*$/,
    'must be a protocol name such as websocket',
  ).map((u) => u.toLowerCase());
  if (upgrades.length > 0) policy.upgrades = [...new Set(upgrades)].sort();
  const cors = corsPolicy(s.cors);
  if (cors) policy.cors = cors;
  const hashOn = hashPolicy(s.loadBalancer);
  if (hashOn) policy.hashOn = hashOn;

  let regexRewrite: RoutingPlan['regexRewrite'];
  if (s.regexRewrite !== undefined) {
    if (!isObject(s.regexRewrite)) fail('spec.regexRewrite', 'must be an object with pattern and substitution');
    const r = s.regexRewrite as Record<string, unknown>;
    regexRewrite = {
      pattern: regex(r.pattern, 'spec.regexRewrite.pattern'),
      substitution: str(r.substitution, 'spec.regexRewrite.substitution'),
    };
  }
  const hostRewrite =
    s.hostRewrite === undefined
      ? undefined
      : str(
          s.hostRewrite,
          'spec.hostRewrite',
          /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*(:[0-9]{1,5})?$/,
          'must be a host name, optionally with a port',
        );
  const weight = int(s.weight, 'spec.weight', 0, 100);
  return {
    match,
    policy,
    ...(hostRewrite ? { hostRewrite } : {}),
    ...(regexRewrite ? { regexRewrite } : {}),
    cluster: clusterSettings(s),
    ...(weight !== undefined ? { weight } : {}),
    shadow: bool(s.shadow, 'spec.shadow', false),
  };
}
