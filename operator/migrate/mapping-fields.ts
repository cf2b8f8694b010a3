// Emissary's Mapping fields (getambassador.io/v2 and v3alpha1 spec, ambassador/v0 and v1 annotation documents),
// one converter each: the value goes to its Portico field, renamed and converted, or is dropped with the
// reason. Fields without a converter are dropped as having no counterpart. Pure.
import { carried, changed, dropped, type FieldNote } from './report.js';
import { durationFromMs, goDurationMs, isWholeMs } from './durations.js';

export interface MappingDraft {
  spec: Record<string, unknown>;
  notes: FieldNote[];
  /** The Emissary apiVersion it came from (v2 and older allow `true` header values and bare strings). */
  apiVersion: string;
}

type Converter = (value: unknown, d: MappingDraft, field: string) => void;

const HEADER_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** The value as it is, under a new name; `check` refuses values the Portico schema would refuse. */
function rename(to: string, check: (v: unknown) => string | undefined = () => undefined): Converter {
  return (v, d, field) => {
    const problem = check(v);
    if (problem) return void d.notes.push(dropped(field, `${show(v)} ${problem}`));
    d.spec[to] = v;
    d.notes.push(carried(field, to));
  };
}

const isBool = (v: unknown) => (typeof v === 'boolean' ? undefined : 'is not true or false');
const isInt = (min: number, max: number) => (v: unknown) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max
    ? undefined
    : `is not a whole number from ${min} to ${max}`;

/** `timeout_ms: 3000` → `timeout: 3s`. */
function milliseconds(to: string, { positive = false } = {}): Converter {
  return (v, d, field) => {
    if (!isWholeMs(v) || (positive && v === 0))
      return void d.notes.push(
        dropped(field, `${show(v)} is not a whole number of milliseconds${positive ? ' above 0' : ''}`),
      );
    d.spec[to] = durationFromMs(v);
    d.notes.push(changed(field, `${v} → ${to}: ${d.spec[to]}`));
  };
}

/** A map (v3) or, before v3, a map whose values may be `true` (present): a list of {name, value?} or {name, pattern}. */
function matchList(to: string, key: 'value' | 'pattern'): Converter {
  return (v, d, field) => {
    if (!v || typeof v !== 'object' || Array.isArray(v))
      return void d.notes.push(dropped(field, `${show(v)} is not a map of names to values`));
    const list: Record<string, unknown>[] = [];
    for (const [name, value] of Object.entries(v as Record<string, unknown>)) {
      const at = `${field}.${name}`;
      if (
        name.toLowerCase() === ':authority' &&
        key === 'value' &&
        typeof value === 'string' &&
        d.spec.host === undefined
      ) {
        d.spec.host = value.toLowerCase();
        d.notes.push(
          changed(at, `→ host: ${d.spec.host} (an exact :authority header is the host, as Emissary treats it)`),
        );
        continue;
      }
      if (!HEADER_NAME.test(name) && to.startsWith('headers')) {
        d.notes.push(
          dropped(
            at,
            `${name} is not a header name Portico matches (pseudo-headers other than :authority have fields of their own)`,
          ),
        );
        continue;
      }
      if (value === true && key === 'value') {
        list.push({ name });
        d.notes.push(changed(at, `true → ${to}: {name: ${name}} (present, with any value)`));
      } else if (typeof value === 'string' && (key === 'value' || value !== '')) {
        list.push({ name, [key]: value });
        d.notes.push(carried(at, `${to}[name=${name}]`));
      } else
        d.notes.push(
          dropped(at, `${show(value)} is not a ${key === 'value' ? 'value' : 'regular expression'} Portico can match`),
        );
    }
    if (list.length > 0) d.spec[to] = [...((d.spec[to] as unknown[]) ?? []), ...list];
  };
}

/** A list, or before v3 also a comma-separated string ("GET, POST"). */
function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  return undefined;
}

function headerEdits(to: string, request: boolean): Converter {
  return (v, d, field) => {
    if (!v || typeof v !== 'object' || Array.isArray(v))
      return void d.notes.push(dropped(field, `${show(v)} is not a map of header names`));
    const list: Record<string, unknown>[] = [];
    for (const [name, spec] of Object.entries(v as Record<string, unknown>)) {
      const at = `${field}.${name}`;
      const value = typeof spec === 'string' ? spec : (spec as { value?: unknown })?.value;
      const append = typeof spec === 'object' && spec !== null ? (spec as { append?: unknown }).append : undefined;
      if (!HEADER_NAME.test(name) || (request && name.toLowerCase() === 'host')) {
        d.notes.push(
          dropped(
            at,
            request && name.toLowerCase() === 'host'
              ? 'the Host header is set with host_rewrite (hostRewrite)'
              : `${name} is not a header name Portico can add`,
          ),
        );
        continue;
      }
      if (typeof value !== 'string') {
        d.notes.push(dropped(at, `${show(spec)} has no string value`));
        continue;
      }
      list.push({ name, value, ...(typeof append === 'boolean' ? { append } : {}) });
      d.notes.push(
        carried(at, `${to}[name=${name}]${typeof append === 'boolean' ? '' : ' (append: true, the default of both)'}`),
      );
    }
    if (list.length > 0) d.spec[to] = list;
  };
}

function headerRemovals(to: string): Converter {
  return (v, d, field) => {
    const names = typeof v === 'string' ? [v] : stringList(v);
    if (!names) return void d.notes.push(dropped(field, `${show(v)} is not a list of header names`));
    const ok = names.filter(
      (n) => HEADER_NAME.test(n) && !(to === 'removeRequestHeaders' && n.toLowerCase() === 'host'),
    );
    for (const n of names.filter((x) => !ok.includes(x)))
      d.notes.push(dropped(`${field}[${n}]`, `${n} is not a header Portico can remove`));
    if (ok.length > 0) {
      d.spec[to] = [...new Set(ok)];
      d.notes.push(carried(field, to));
    }
  };
}

const RETRY_ON = ['5xx', 'gateway-error', 'reset', 'connect-failure', 'retriable-4xx', 'refused-stream'];

const retryPolicy: Converter = (v, d, field) => {
  const p = (v ?? {}) as Record<string, unknown>;
  const on = p.retry_on;
  if (typeof on !== 'string' || !RETRY_ON.includes(on)) {
    return void d.notes.push(
      dropped(
        field,
        `retry_on ${show(on)} is not one Portico offers (${RETRY_ON.join(', ')}; retriable-status-codes needs a list of codes Emissary does not take)`,
      ),
    );
  }
  const out: Record<string, unknown> = { retryOn: [on] };
  d.notes.push(changed(`${field}.retry_on`, `${on} → retryPolicy.retryOn: [${on}]`));
  if (p.num_retries !== undefined) {
    const n = p.num_retries;
    if (!Number.isInteger(n) || (n as number) < 0)
      d.notes.push(dropped(`${field}.num_retries`, `${show(n)} is not a number of retries`));
    else if ((n as number) === 0)
      return void d.notes.push(changed(field, 'num_retries 0 retries nothing: no retryPolicy is written'));
    else if ((n as number) > 10) {
      out.numRetries = 10;
      d.notes.push(changed(`${field}.num_retries`, `${n} → retryPolicy.numRetries: 10 (Portico's maximum)`));
    } else {
      out.numRetries = n;
      d.notes.push(carried(`${field}.num_retries`, 'retryPolicy.numRetries'));
    }
  }
  if (p.per_try_timeout !== undefined) {
    const ms = typeof p.per_try_timeout === 'string' ? goDurationMs(p.per_try_timeout) : undefined;
    if (ms === undefined || ms <= 0 || !Number.isInteger(ms))
      d.notes.push(
        dropped(`${field}.per_try_timeout`, `${show(p.per_try_timeout)} is not a whole number of milliseconds above 0`),
      );
    else {
      out.perTryTimeout = durationFromMs(ms);
      d.notes.push(
        changed(`${field}.per_try_timeout`, `${p.per_try_timeout} → retryPolicy.perTryTimeout: ${out.perTryTimeout}`),
      );
    }
  }
  for (const k of Object.keys(p))
    if (!['retry_on', 'num_retries', 'per_try_timeout'].includes(k))
      d.notes.push(dropped(`${field}.${k}`, "no counterpart in Portico (Envoy's default back-off applies)"));
  d.spec.retryPolicy = out;
};

const cors: Converter = (v, d, field) => {
  const c = (v ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const lists: Array<[string, string]> = [
    ['origins', 'origins'],
    ['methods', 'methods'],
    ['headers', 'headers'],
    ['exposed_headers', 'exposedHeaders'],
  ];
  for (const [from, to] of lists) {
    if (c[from] === undefined) continue;
    const items = stringList(c[from]);
    if (!items) d.notes.push(dropped(`${field}.${from}`, `${show(c[from])} is not a list`));
    else {
      out[to] = from === 'methods' ? items.map((m) => m.toUpperCase()) : items;
      d.notes.push(
        typeof c[from] === 'string'
          ? changed(`${field}.${from}`, `"${c[from]}" → cors.${to}: [${items.join(', ')}]`)
          : carried(`${field}.${from}`, `cors.${to}`),
      );
    }
  }
  if (c.credentials !== undefined) {
    out.credentials = c.credentials === true;
    d.notes.push(carried(`${field}.credentials`, 'cors.credentials'));
  }
  if (c.max_age !== undefined) {
    const seconds = Number(c.max_age);
    if (!Number.isInteger(seconds) || seconds < 0)
      d.notes.push(dropped(`${field}.max_age`, `${show(c.max_age)} is not a number of seconds`));
    else {
      out.maxAge = durationFromMs(seconds * 1000);
      d.notes.push(changed(`${field}.max_age`, `"${c.max_age}" (seconds) → cors.maxAge: ${out.maxAge}`));
    }
  }
  if (!out.origins) return void d.notes.push(dropped(field, "no origins: Portico's cors needs the origins it allows"));
  d.spec.cors = out;
};

const circuitBreakers: Converter = (v, d, field) => {
  if (!Array.isArray(v)) return void d.notes.push(dropped(field, `${show(v)} is not a list of circuit breakers`));
  if (v.length === 0)
    return void d.notes.push(carried(field, "[]: nothing to write (Envoy's defaults, as in Emissary)"));
  const list = v as Record<string, unknown>[];
  const keys: Array<[string, string]> = [
    ['max_connections', 'maxConnections'],
    ['max_pending_requests', 'maxPendingRequests'],
    ['max_requests', 'maxRequests'],
    ['max_retries', 'maxRetries'],
  ];
  list.forEach((b, i) => {
    const at = `${field}[${i}]`;
    if (b?.priority !== undefined && b.priority !== 'default')
      return void d.notes.push(
        dropped(at, `priority ${show(b.priority)}: Portico routes every request at the default priority`),
      );
    if (d.spec.circuitBreakers)
      return void d.notes.push(dropped(at, 'a second default-priority entry: Emissary uses the first'));
    const out: Record<string, unknown> = {};
    for (const [from, to] of keys) {
      if (b?.[from] === undefined) continue;
      if (!Number.isInteger(b[from]) || (b[from] as number) < (to === 'maxRetries' ? 0 : 1))
        d.notes.push(dropped(`${at}.${from}`, `${show(b[from])} is not a limit Portico takes`));
      else {
        out[to] = b[from];
        d.notes.push(carried(`${at}.${from}`, `circuitBreakers.${to}`));
      }
    }
    d.spec.circuitBreakers = out;
  });
};

const LB_POLICIES: Record<string, string> = {
  round_robin: 'RoundRobin',
  least_request: 'LeastRequest',
  ring_hash: 'RingHash',
  maglev: 'Maglev',
};

const loadBalancer: Converter = (v, d, field) => {
  const lb = (v ?? {}) as Record<string, unknown>;
  const policy = LB_POLICIES[String(lb.policy)];
  if (!policy)
    return void d.notes.push(
      dropped(field, `policy ${show(lb.policy)} is not one of ${Object.keys(LB_POLICIES).join(', ')}`),
    );
  const out: Record<string, unknown> = { policy };
  d.notes.push(changed(`${field}.policy`, `${lb.policy} → loadBalancer.policy: ${policy}`));
  const cookie = lb.cookie as Record<string, unknown> | undefined;
  if (cookie && typeof cookie.name === 'string') {
    const c: Record<string, unknown> = { name: cookie.name };
    if (typeof cookie.path === 'string') c.path = cookie.path;
    const ttl = typeof cookie.ttl === 'string' ? goDurationMs(cookie.ttl) : undefined;
    if (ttl !== undefined && Number.isInteger(ttl)) c.ttl = durationFromMs(ttl);
    else if (cookie.ttl !== undefined)
      d.notes.push(dropped(`${field}.cookie.ttl`, `${show(cookie.ttl)} is not a whole number of milliseconds`));
    out.cookie = c;
    d.notes.push(carried(`${field}.cookie`, 'loadBalancer.cookie'));
  }
  if (typeof lb.header === 'string') {
    out.header = lb.header;
    d.notes.push(carried(`${field}.header`, 'loadBalancer.header'));
  }
  if (lb.source_ip === true) {
    out.sourceIp = true;
    d.notes.push(carried(`${field}.source_ip`, 'loadBalancer.sourceIp'));
  }
  d.spec.loadBalancer = out;
};

const allowUpgrade: Converter = (v, d, field) => {
  const list = stringList(v);
  if (!list) return void d.notes.push(dropped(field, `${show(v)} is not a list of protocols`));
  d.spec.allowUpgrade = [
    ...new Set([...((d.spec.allowUpgrade as string[]) ?? []), ...list.map((p) => p.toLowerCase())]),
  ];
  d.notes.push(carried(field, 'allowUpgrade'));
};

const useWebsocket: Converter = (v, d, field) => {
  if (v !== true) return void d.notes.push(carried(field, 'nothing to write (false)'));
  d.spec.allowUpgrade = [...new Set([...((d.spec.allowUpgrade as string[]) ?? []), 'websocket'])];
  d.notes.push(changed(field, 'true → allowUpgrade: [websocket]'));
};

const method: Converter = (v, d, field) => {
  if (typeof v !== 'string' || !/^[A-Za-z]+(-[A-Za-z]+)*$/.test(v))
    return void d.notes.push(dropped(field, `${show(v)} is not an HTTP method`));
  d.spec.method = v.toUpperCase();
  d.notes.push(v === d.spec.method ? carried(field, 'method') : changed(field, `${v} → method: ${d.spec.method}`));
};

const regexRewrite: Converter = (v, d, field) => {
  const r = (v ?? {}) as Record<string, unknown>;
  if (typeof r.pattern !== 'string' || r.pattern === '' || typeof r.substitution !== 'string')
    return void d.notes.push(dropped(field, 'needs a pattern and a substitution'));
  d.spec.regexRewrite = { pattern: r.pattern, substitution: r.substitution };
  d.notes.push(carried(field, 'regexRewrite'));
};

/** Values that change nothing in Emissary and would change nothing in Portico (Emissary's own fixtures write them). */
const NO_EFFECT: Record<string, unknown[]> = {
  prefix_regex: [false],
  prefix_exact: [false],
  case_sensitive: [true],
  method_regex: [false],
  host_regex: [false],
  shadow: [false],
  grpc: [false],
  precedence: [0],
  host_redirect: [false],
  auto_host_rewrite: [false],
  add_linkerd_headers: [false],
  bypass_auth: [false],
  bypass_error_response_overrides: [false],
  use_websocket: [false],
  enable_ipv4: [true],
  enable_ipv6: [false],
  respect_dns_ttl: [false],
  redirect_response_code: [0],
};

/** Why each Emissary field without a counterpart is dropped. */
const NO_COUNTERPART: Record<string, string> = {
  bypass_auth: 'Portico has no external authorization service to bypass',
  auth_context_extensions: 'Portico has no external authorization service',
  labels: 'Portico has no rate-limit service: rate-limit labels have no effect',
  host_redirect: 'Portico has no redirect Mappings',
  path_redirect: 'Portico has no redirect Mappings',
  prefix_redirect: 'Portico has no redirect Mappings',
  regex_redirect: 'Portico has no redirect Mappings',
  redirect_response_code: 'Portico has no redirect Mappings',
  host_regex: 'Portico matches hosts exactly or by a "*." wildcard, not by regular expression',
  method_regex: 'Portico matches methods exactly',
  tls: 'upstream TLS contexts (client certificates) are not in Portico yet; https:// services are',
  resolver: 'Portico resolves Services by their cluster DNS name',
  dns_type: 'Portico resolves Services by their cluster DNS name',
  respect_dns_ttl: 'Portico resolves Services by their cluster DNS name',
  enable_ipv4: 'no counterpart in Portico',
  enable_ipv6: 'no counterpart in Portico',
  keepalive: 'no counterpart in Portico',
  health_checks: 'no counterpart in Portico (Kubernetes readiness decides the endpoints)',
  cluster_idle_timeout_ms: 'no counterpart in Portico',
  cluster_max_connection_lifetime_ms: 'no counterpart in Portico',
  cluster_tag: "no counterpart in Portico (cluster names are Portico's)",
  stats_name: "no counterpart in Portico (cluster names are Portico's)",
  add_linkerd_headers: 'no counterpart in Portico',
  auto_host_rewrite: "no counterpart in Portico (set hostRewrite to the Service's name)",
  outlier_detection: 'Emissary itself refuses it',
  priority: 'Portico routes every request at the default priority',
  docs: 'developer-portal metadata: no routing effect',
  envoy_override: 'raw Envoy configuration is not accepted by Portico',
  modules: 'no counterpart in Portico',
  error_response_overrides: 'no counterpart in Portico',
  bypass_error_response_overrides: 'no counterpart in Portico',
  v2ExplicitTLS: "bookkeeping of Emissary's v2 ⇄ v3 conversion",
  v2BoolHeaders: "bookkeeping of Emissary's v2 ⇄ v3 conversion",
  v2BoolQueryParameters: "bookkeeping of Emissary's v2 ⇄ v3 conversion",
};

/** Every Mapping field with a Portico counterpart, by its Emissary name. */
export const MAPPING_CONVERTERS: Record<string, Converter> = {
  prefix_exact: rename('prefixExact', isBool),
  prefix_regex: rename('prefixRegex', isBool),
  case_sensitive: rename('caseSensitive', isBool),
  method,
  headers: matchList('headers', 'value'),
  regex_headers: matchList('regexHeaders', 'pattern'),
  query_parameters: matchList('queryParameters', 'value'),
  regex_query_parameters: matchList('regexQueryParameters', 'pattern'),
  precedence: rename('precedence', isInt(-1_000_000, 1_000_000)),
  weight: rename('weight', isInt(0, 100)),
  shadow: rename('shadow', isBool),
  regex_rewrite: regexRewrite,
  host_rewrite: rename('hostRewrite', (v) =>
    typeof v === 'string' && /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?$/.test(v)
      ? undefined
      : 'is not a host name',
  ),
  timeout_ms: milliseconds('timeout'),
  idle_timeout_ms: milliseconds('idleTimeout'),
  connect_timeout_ms: milliseconds('connectTimeout', { positive: true }),
  retry_policy: retryPolicy,
  add_request_headers: headerEdits('addRequestHeaders', true),
  add_response_headers: headerEdits('addResponseHeaders', false),
  remove_request_headers: headerRemovals('removeRequestHeaders'),
  remove_response_headers: headerRemovals('removeResponseHeaders'),
  cors,
  allow_upgrade: allowUpgrade,
  use_websocket: useWebsocket,
  circuit_breakers: circuitBreakers,
  load_balancer: loadBalancer,
  grpc: rename('grpc', isBool),
};

/**
 * Converts one Emissary field into `d`: carried, changed or dropped, never silently ignored. A field whose
 * Portico counterpart this version does not serve yet (`unserved`, compile/unsupported-fields.ts) is dropped
 * rather than written, since the operator would refuse the whole Mapping for it.
 */
export function convertMappingField(
  field: string,
  value: unknown,
  d: MappingDraft,
  unserved: ReadonlySet<string>,
): void {
  if ((NO_EFFECT[field] ?? []).some((v) => v === value))
    return void d.notes.push(
      carried(field, `${show(value)}: the default of Emissary and Portico alike, nothing to write`),
    );
  const convert = MAPPING_CONVERTERS[field];
  if (!convert) return void d.notes.push(dropped(field, NO_COUNTERPART[field] ?? 'not a Mapping field Portico knows'));
  const target = porticoFieldOf(field);
  if (target && unserved.has(target)) return void d.notes.push(dropped(field, notServedYet(target)));
  const before = d.notes.length;
  convert(value, d, field);
  // An empty map or list converts to nothing; it is still reported.
  if (d.notes.length === before) d.notes.push(carried(field, `${show(value)}: empty, nothing to write`));
}

export const notServedYet = (target: string): string =>
  `its counterpart spec.${target} is not implemented by this version of Portico yet, and the operator would refuse the Mapping for it`;

/** The top-level Portico spec field an Emissary field becomes (`timeout_ms` → `timeout`). */
export function porticoFieldOf(emissaryField: string): string | undefined {
  for (const [path, names] of Object.entries(EMISSARY_MAPPING_NAMES)) {
    const top = path.slice('spec.'.length);
    if (/[.[]/.test(top)) continue;
    if (names.split(', ').some((n) => n.replace(/ \(.*\)$/, '') === emissaryField)) return top;
  }
  return undefined;
}

/**
 * Emissary's name for each Portico Mapping field (for docs/reference.md); fields named like this in both are
 * the ones whose converter above is a rename.
 */
export const EMISSARY_MAPPING_NAMES: Record<string, string> = {
  'spec.prefix': 'prefix',
  'spec.service': 'service',
  'spec.rewrite': 'rewrite',
  'spec.host': 'host (v2), hostname (v3alpha1)',
  'spec.prefixExact': 'prefix_exact',
  'spec.prefixRegex': 'prefix_regex',
  'spec.caseSensitive': 'case_sensitive',
  'spec.method': 'method',
  'spec.headers': 'headers',
  'spec.headers[].name': 'headers (a key)',
  'spec.headers[].value': 'headers (its value; true before v3: any value)',
  'spec.regexHeaders': 'regex_headers',
  'spec.regexHeaders[].name': 'regex_headers (a key)',
  'spec.regexHeaders[].pattern': 'regex_headers (its value)',
  'spec.queryParameters': 'query_parameters',
  'spec.queryParameters[].name': 'query_parameters (a key)',
  'spec.queryParameters[].value': 'query_parameters (its value; true before v3: any value)',
  'spec.regexQueryParameters': 'regex_query_parameters',
  'spec.regexQueryParameters[].name': 'regex_query_parameters (a key)',
  'spec.regexQueryParameters[].pattern': 'regex_query_parameters (its value)',
  'spec.precedence': 'precedence',
  'spec.weight': 'weight',
  'spec.shadow': 'shadow',
  'spec.regexRewrite': 'regex_rewrite',
  'spec.regexRewrite.pattern': 'regex_rewrite.pattern',
  'spec.regexRewrite.substitution': 'regex_rewrite.substitution',
  'spec.hostRewrite': 'host_rewrite',
  'spec.timeout': 'timeout_ms',
  'spec.idleTimeout': 'idle_timeout_ms',
  'spec.connectTimeout': 'connect_timeout_ms',
  'spec.retryPolicy': 'retry_policy',
  'spec.retryPolicy.retryOn': 'retry_policy.retry_on',
  'spec.retryPolicy.numRetries': 'retry_policy.num_retries',
  'spec.retryPolicy.perTryTimeout': 'retry_policy.per_try_timeout',
  'spec.addRequestHeaders': 'add_request_headers',
  'spec.addRequestHeaders[].name': 'add_request_headers (a key)',
  'spec.addRequestHeaders[].value': 'add_request_headers.*.value (or a bare string before v3)',
  'spec.addRequestHeaders[].append': 'add_request_headers.*.append',
  'spec.addResponseHeaders': 'add_response_headers',
  'spec.addResponseHeaders[].name': 'add_response_headers (a key)',
  'spec.addResponseHeaders[].value': 'add_response_headers.*.value (or a bare string before v3)',
  'spec.addResponseHeaders[].append': 'add_response_headers.*.append',
  'spec.removeRequestHeaders': 'remove_request_headers',
  'spec.removeResponseHeaders': 'remove_response_headers',
  'spec.cors': 'cors',
  'spec.cors.origins': 'cors.origins',
  'spec.cors.methods': 'cors.methods',
  'spec.cors.headers': 'cors.headers',
  'spec.cors.exposedHeaders': 'cors.exposed_headers',
  'spec.cors.credentials': 'cors.credentials',
  'spec.cors.maxAge': 'cors.max_age',
  'spec.allowUpgrade': 'allow_upgrade, use_websocket',
  'spec.circuitBreakers': 'circuit_breakers',
  'spec.circuitBreakers.maxConnections': 'circuit_breakers[].max_connections',
  'spec.circuitBreakers.maxPendingRequests': 'circuit_breakers[].max_pending_requests',
  'spec.circuitBreakers.maxRequests': 'circuit_breakers[].max_requests',
  'spec.circuitBreakers.maxRetries': 'circuit_breakers[].max_retries',
  'spec.loadBalancer': 'load_balancer',
  'spec.loadBalancer.policy': 'load_balancer.policy',
  'spec.loadBalancer.cookie': 'load_balancer.cookie',
  'spec.loadBalancer.cookie.name': 'load_balancer.cookie.name',
  'spec.loadBalancer.cookie.path': 'load_balancer.cookie.path',
  'spec.loadBalancer.cookie.ttl': 'load_balancer.cookie.ttl',
  'spec.loadBalancer.header': 'load_balancer.header',
  'spec.loadBalancer.sourceIp': 'load_balancer.source_ip',
  'spec.grpc': 'grpc',
};
