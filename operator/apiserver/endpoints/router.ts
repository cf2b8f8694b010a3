// Routes a request: /version, discovery, /openapi, and resource paths under /api/v1 and /apis/<g>/<v>.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiState } from '../api-state.js';
import {
  aggregatedDiscovery,
  AGGREGATED_CONTENT_TYPE,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
  wantsAggregated,
} from './discovery.js';
import { sendJson } from './http-io.js';
import { groupVersionDocument, openapiRoot } from './openapi.js';
import { handleResource } from './resource-handlers.js';
import { resolveTarget, type ResourceTarget } from './resource-target.js';
import { pathNotFound } from '../encoding/status-errors.js';
import type { WatchRegistry } from './watch.js';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-portico',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export async function route(
  state: ApiState,
  watches: WatchRegistry,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const segs = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const accept = req.headers.accept;
  const method = req.method ?? 'GET';

  if (method === 'GET') {
    if (url.pathname === '/version') return sendJson(res, 200, VERSION_INFO);
    if (url.pathname === '/healthz' || url.pathname === '/readyz' || url.pathname === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end('ok');
    }
    if (url.pathname === '/api') {
      if (wantsAggregated(accept))
        return sendJson(res, 200, aggregatedDiscovery(state.registry, true), {}, AGGREGATED_CONTENT_TYPE);
      return sendJson(res, 200, legacyApiVersions(req.headers.host ?? '127.0.0.1'));
    }
    if (url.pathname === '/apis') {
      if (wantsAggregated(accept))
        return sendJson(res, 200, aggregatedDiscovery(state.registry, false), {}, AGGREGATED_CONTENT_TYPE);
      return sendJson(res, 200, legacyGroupList(state.registry));
    }
    if (segs[0] === 'openapi' && segs[1] === 'v3') {
      if (segs.length === 2) return sendJson(res, 200, openapiRoot(state.registry));
      const doc =
        segs[2] === 'api'
          ? groupVersionDocument(state.registry, '', segs[3])
          : groupVersionDocument(state.registry, segs[3], segs[4]);
      if (doc) return sendJson(res, 200, doc);
      throw pathNotFound();
    }
    if (segs[0] === 'api' && segs.length === 2) {
      const doc = legacyResourceList(state.registry, '', segs[1]);
      if (doc) return sendJson(res, 200, doc);
      throw pathNotFound();
    }
    if (segs[0] === 'apis' && segs.length === 2) {
      const doc = legacyGroup(state.registry, segs[1]);
      if (doc) return sendJson(res, 200, doc);
      throw pathNotFound();
    }
    if (segs[0] === 'apis' && segs.length === 3) {
      const doc = legacyResourceList(state.registry, segs[1], segs[2]);
      if (doc) return sendJson(res, 200, doc);
      throw pathNotFound();
    }
  }
  let target: ResourceTarget | undefined;
  if (segs[0] === 'api' && segs.length >= 3) target = resolveTarget(state, '', segs[1], segs.slice(2));
  else if (segs[0] === 'apis' && segs.length >= 4) target = resolveTarget(state, segs[1], segs[2], segs.slice(3));
  if (!target) throw pathNotFound();
  return handleResource(state, watches, target, req, res, url.searchParams);
}
