// `spec.service` strings: `[http://|https://]name[.namespace][:port]`, parsed without looking at the cluster.
// A `.svc` or `.svc.<cluster domain>` suffix is accepted and dropped. Resolution against Services is in
// compile/backend.ts. Part of the API, not of compile/: the watches and the compiler must read it alike.
import { DNS1035_LABEL, DNS1123_LABEL, DNS_LABEL_MAX, IANA_SVC_NAME } from './dns-names.js';

export interface ServiceRef {
  scheme: 'http' | 'https';
  name: string;
  namespace: string;
  /** A port number, a Service port name, or undefined (the Service's only port). */
  port?: number | string;
  /**
   * `name.namespace` as written, when it looks like an external DNS name (`example.com`: the "namespace" is a
   * common top-level domain): messages about the Service then say how external hosts are reached.
   */
  dnsLike?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string; externalHost?: string };

/**
 * Top-level domains that `name.namespace` most often really means. A heuristic for a hint in a message only:
 * `billing.payments` stays quiet, `example.com` and `api.internal` get the hint. Never used to decide anything.
 */
const COMMON_TLDS = new Set([
  'com',
  'org',
  'net',
  'io',
  'co',
  'ai',
  'app',
  'dev',
  'cloud',
  'info',
  'biz',
  'me',
  'us',
  'eu',
  'uk',
  'de',
  'fr',
  'nl',
  'ch',
  'jp',
  'cn',
  'in',
  'br',
  'au',
  'ca',
  'internal',
  'local',
  'lan',
  'corp',
  'example',
  'test',
]);

function fail(value: string, why: string, externalHost?: string): ParseResult<ServiceRef> {
  return {
    ok: false,
    message: `invalid value ${JSON.stringify(value)}: ${why}`,
    ...(externalHost ? { externalHost } : {}),
  };
}

export function parseServiceRef(
  value: string,
  defaultNamespace: string,
  clusterDomain = 'cluster.local',
): ParseResult<ServiceRef> {
  if (typeof value !== 'string' || value.trim() === '') return fail(value, 'must not be empty');
  if (value !== value.trim()) return fail(value, 'must not have leading or trailing spaces');
  let rest = value;
  let scheme: ServiceRef['scheme'] = 'http';
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (schemeMatch) {
    const s = schemeMatch[1].toLowerCase();
    if (s !== 'http' && s !== 'https')
      return fail(value, `unsupported scheme "${schemeMatch[1]}" (use http:// or https://)`);
    scheme = s;
    rest = rest.slice(schemeMatch[0].length);
  }
  if (/[/?#@\s]/.test(rest))
    return fail(value, 'expected [scheme://]name[.namespace][:port], without a path, query, user or spaces');
  if (rest.includes('[')) return fail(value, 'IP addresses are not supported; name a Service');

  let hostPart = rest;
  let port: number | string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    hostPart = rest.slice(0, colon);
    const p = rest.slice(colon + 1);
    if (p === '') return fail(value, 'empty port after ":"');
    if (/^[0-9]+$/.test(p)) {
      const n = Number(p);
      if (n < 1 || n > 65535) return fail(value, `port ${p} is out of range 1-65535`);
      port = n;
    } else if (IANA_SVC_NAME.test(p) && p.length <= 15 && /[a-z]/.test(p) && !p.includes('--')) {
      port = p;
    } else {
      return fail(value, `port "${p}" is neither a number nor a valid Service port name`);
    }
  }
  if (hostPart.includes(':')) return fail(value, 'more than one ":"');

  let labels = hostPart.split('.');
  const n = labels.length;
  const inClusterSuffix = `.svc.${clusterDomain}`;
  const explicitSvc = n >= 3 && labels[n - 1] === 'svc';
  if (explicitSvc) labels = labels.slice(0, n - 1);
  const inCluster =
    !explicitSvc && hostPart.endsWith(inClusterSuffix) && hostPart.slice(0, -inClusterSuffix.length).includes('.');
  if (inCluster) labels = hostPart.slice(0, -inClusterSuffix.length).split('.');
  const qualified = explicitSvc || inCluster;
  if (labels.length > 2)
    return fail(
      value,
      'expected name or name.namespace (other DNS names are not Services)',
      qualified ? undefined : hostPart.toLowerCase(),
    );
  const [name, namespace] = labels;
  if (name === '') return fail(value, 'missing the Service name');
  if (name.length > DNS_LABEL_MAX || !DNS1035_LABEL.test(name))
    return fail(value, `"${name}" is not a valid Service name (lowercase RFC 1035 label)`);
  if (namespace !== undefined && (namespace.length > DNS_LABEL_MAX || !DNS1123_LABEL.test(namespace)))
    return fail(value, `"${namespace}" is not a valid namespace (lowercase RFC 1123 label)`);
  const dnsLike = namespace !== undefined && !qualified && COMMON_TLDS.has(namespace) ? hostPart : undefined;
  return {
    ok: true,
    value: { scheme, name, namespace: namespace ?? defaultNamespace, port, ...(dnsLike ? { dnsLike } : {}) },
  };
}
