// PATCH: the four patch types (JSON patch, merge patch, strategic merge for built-ins, server-side apply),
// the PatchOptions rules (fieldManager required for apply, force only for apply), and create-on-apply.
import type { IncomingMessage } from 'node:http';
import type { ApiState } from '../api-state.js';
import { decodeBody, mediaType } from '../encoding/body-decoding.js';
import { readBody } from './http-io.js';
import { createObject, updateObject, type WriteResult } from '../writes/object-writes.js';
import { jsonPatch, mergePatch, serverSideApply, strategicMergePatch } from '../writes/patch-operations.js';
import { resourceKey } from '../registry/resource-types.js';
import type { ResourceTarget } from './resource-target.js';
import { writeOptions } from './write-options.js';
import { badRequest, conflict, invalid, notFound, unsupportedMediaType } from '../encoding/status-errors.js';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';
const PATCH_OPTIONS = { group: 'meta.k8s.io', plural: '', kind: 'PatchOptions' };

export async function handlePatch(
  state: ApiState,
  t: ResourceTarget & { name: string },
  req: IncomingMessage,
  query: URLSearchParams,
): Promise<WriteResult> {
  const { rt, namespace, name, subresource } = t;
  const ct = mediaType(req.headers['content-type']);
  const accepted = rt.custom ? [JSON_PATCH, MERGE_PATCH, APPLY] : [JSON_PATCH, MERGE_PATCH, STRATEGIC, APPLY];
  if (!accepted.includes(ct)) throw unsupportedMediaType(accepted);
  const opts = writeOptions(req, query, subresource);
  const isApply = ct === APPLY;
  if (query.has('force') && !isApply)
    throw invalid(PATCH_OPTIONS, '', [
      { type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' },
    ]);
  if (isApply && !query.get('fieldManager'))
    throw invalid(PATCH_OPTIONS, '', [
      { type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' },
    ]);
  const body = decodeBody(await readBody(req), req.headers['content-type']);
  if (body === undefined) throw badRequest('the body of the request was empty');

  const live = state.store.get(resourceKey(rt), namespace, name);
  const now = state.now();
  if (!live) {
    if (!isApply || subresource) throw notFound(rt, name);
    const applied = serverSideApply(rt, name, {
      live: undefined,
      applied: body as any,
      manager: opts.manager,
      force: query.get('force') === 'true',
      now,
    });
    applied.metadata ??= {};
    applied.metadata.name ??= name;
    return createObject(state, rt, namespace, applied, { ...opts, managedFieldsDone: true });
  }

  let patched: Record<string, any>;
  switch (ct) {
    case JSON_PATCH:
      patched = jsonPatch(rt, name, live, body);
      break;
    case MERGE_PATCH:
      patched = mergePatch(rt, name, live, body);
      break;
    case STRATEGIC:
      patched = strategicMergePatch(rt, name, live, body);
      break;
    default: {
      const appliedRv = (body as any)?.metadata?.resourceVersion;
      if (appliedRv && appliedRv !== live.metadata.resourceVersion) throw conflict(rt, name);
      patched = serverSideApply(rt, name, {
        live,
        applied: body as any,
        manager: opts.manager,
        force: query.get('force') === 'true',
        now,
        subresource: opts.subresource,
      });
    }
  }
  if (patched === null || typeof patched !== 'object' || Array.isArray(patched))
    throw badRequest('the patch produced something that is not an object');
  patched.metadata ??= {};
  const rv = patched.metadata.resourceVersion;
  if (rv && rv !== live.metadata.resourceVersion) throw conflict(rt, name);
  patched.metadata.resourceVersion = live.metadata.resourceVersion;
  return updateObject(state, rt, namespace, name, patched, { ...opts, managedFieldsDone: isApply });
}
