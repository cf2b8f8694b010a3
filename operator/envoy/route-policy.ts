// A route member's policy and forward extras in Envoy's terms: timeouts, retries, header edits, upgrades, CORS,
// Host rewriting, consistent hashing and mirroring. Only what a Mapping sets is written (Envoy's defaults
// otherwise), so configs without these fields are unchanged.
import type { IRForward, IRHeaderEdits, IRRoute, IRRoutePolicy } from '../compile/ir.js';
import { TypeUrls } from './constants.js';

/** Envoy's JSON Duration: seconds with up to three decimals ("3s", "0.250s"). */
export const envoyDuration = (ms: number): string => `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(3)}s`;

/** Fields of the Route object itself (beside match and route). */
export function routeLevelPolicy(p: IRRoutePolicy): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const edits = (e: IRHeaderEdits | undefined, dir: 'request' | 'response') => {
    if (!e) return;
    if (e.add.length > 0)
      out[`${dir}_headers_to_add`] = e.add.map((h) => ({
        header: { key: h.name, value: h.value },
        append_action: h.append ? 'APPEND_IF_EXISTS_OR_ADD' : 'OVERWRITE_IF_EXISTS_OR_ADD',
      }));
    if (e.remove.length > 0) out[`${dir}_headers_to_remove`] = e.remove;
  };
  edits(p.requestHeaders, 'request');
  edits(p.responseHeaders, 'response');
  if (p.cors) {
    const c = p.cors;
    out.typed_per_filter_config = {
      [CORS_FILTER_NAME]: {
        '@type': TypeUrls.CorsPolicy,
        allow_origin_string_match: c.origins.map((o) => (o === '*' ? { safe_regex: { regex: '.*' } } : { exact: o })),
        ...(c.methods.length ? { allow_methods: c.methods.join(', ') } : {}),
        ...(c.headers.length ? { allow_headers: c.headers.join(', ') } : {}),
        ...(c.exposedHeaders.length ? { expose_headers: c.exposedHeaders.join(', ') } : {}),
        ...(c.maxAgeSeconds !== undefined ? { max_age: String(c.maxAgeSeconds) } : {}),
        ...(c.credentials ? { allow_credentials: true } : {}),
      },
    };
  }
  return out;
}

/** Fields of the RouteAction of a forwarding member. */
export function routeActionPolicy(p: IRRoutePolicy, a: IRForward, mirror: IRRoute['mirror']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (a.hostRewrite) out.host_rewrite_literal = a.hostRewrite;
  if (p.timeoutMs !== undefined) out.timeout = envoyDuration(p.timeoutMs);
  if (p.idleTimeoutMs !== undefined) out.idle_timeout = envoyDuration(p.idleTimeoutMs);
  if (p.retry)
    out.retry_policy = {
      retry_on: p.retry.on.join(','),
      num_retries: p.retry.numRetries,
      ...(p.retry.perTryTimeoutMs !== undefined ? { per_try_timeout: envoyDuration(p.retry.perTryTimeoutMs) } : {}),
    };
  if (p.upgrades) out.upgrade_configs = p.upgrades.map((u) => ({ upgrade_type: u }));
  if (p.hashOn) {
    const h = p.hashOn;
    if (h.header) out.hash_policy = [{ header: { header_name: h.header } }];
    else if (h.sourceIp) out.hash_policy = [{ connection_properties: { source_ip: true } }];
    else if (h.cookie)
      out.hash_policy = [
        {
          cookie: {
            name: h.cookie.name,
            ...(h.cookie.path ? { path: h.cookie.path } : {}),
            ...(h.cookie.ttlMs !== undefined ? { ttl: envoyDuration(h.cookie.ttlMs) } : {}),
          },
        },
      ];
  }
  if (mirror)
    out.request_mirror_policies = [
      {
        cluster: mirror.cluster,
        runtime_fraction: { default_value: { numerator: mirror.percent, denominator: 'HUNDRED' } },
      },
    ];
  return out;
}

export const CORS_FILTER_NAME = 'envoy.filters.http.cors';
