// Checks recorded API requests against the rendered RBAC: every resource request must be allowed for the
// operator's ServiceAccount; non-resource requests must be discovery, which every authenticated user may do
// (the default system:discovery and system:public-info-viewer ClusterRoles).
import type { RecordedRequest } from './recording-proxy.js';
import { describeAttributes, requestAttributes, type ResourceAttributes } from './request-attributes.js';
import { authorize, type Grant } from './rbac-authorizer.js';

const DISCOVERY = [
  /^\/api$/,
  /^\/api\//,
  /^\/apis$/,
  /^\/apis\//,
  /^\/version\/?$/,
  /^\/openapi(\/|$)/,
  /^\/(healthz|livez|readyz)$/,
];

export interface Denial {
  request: string;
  needs: string;
}

/** The RBAC checks one request implies: a server-side apply that created the object also needs `create`. */
export function checksFor(r: RecordedRequest): ResourceAttributes[] | { nonResource: string } {
  const a = requestAttributes(r.method, r.url);
  if (a.kind === 'nonResource') return { nonResource: a.path };
  const checks = [a];
  if (a.verb === 'patch' && r.contentType.startsWith('application/apply-patch') && r.status === 201)
    checks.push({ ...a, verb: 'create' });
  return checks;
}

export function deniedRequests(requests: RecordedRequest[], grants: Grant[]): Denial[] {
  const denials: Denial[] = [];
  for (const r of requests) {
    const checks = checksFor(r);
    if ('nonResource' in checks) {
      if (!DISCOVERY.some((re) => re.test(checks.nonResource)))
        denials.push({ request: `${r.method} ${r.url}`, needs: `non-resource ${checks.nonResource}` });
      continue;
    }
    for (const a of checks) {
      if (!authorize(grants, a)) denials.push({ request: `${r.method} ${r.url}`, needs: describeAttributes(a) });
    }
  }
  return denials;
}

/** Each (verb, group, resource[/subresource]) the requests needed, e.g. `patch apps deployments`. */
export function permissionsUsed(requests: RecordedRequest[]): Set<string> {
  const used = new Set<string>();
  for (const r of requests) {
    const checks = checksFor(r);
    if ('nonResource' in checks) continue;
    for (const a of checks)
      used.add(`${a.verb} ${a.apiGroup || 'core'} ${a.resource}${a.subresource ? '/' + a.subresource : ''}`);
  }
  return used;
}

/** Each (verb, group, resource) a grant offers, in the same notation. */
export function permissionsGranted(grants: Grant[]): Set<string> {
  const granted = new Set<string>();
  for (const g of grants) {
    for (const verb of g.rule.verbs) {
      for (const group of g.rule.apiGroups ?? []) {
        for (const resource of g.rule.resources ?? []) granted.add(`${verb} ${group || 'core'} ${resource}`);
      }
    }
  }
  return granted;
}
