// REST verbs on one resource: get, list, watch, create, update, patch, delete, deletecollection, and the
// /status subresource. Decodes the request, calls the transport-free write logic, encodes the answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiState } from '../api-state.js';
import { decodeBody, mediaType } from '../encoding/body-decoding.js';
import { readBody, readBodyBytes, sendJson, warningHeaders } from './http-io.js';
import { deleteObject, parseDeleteOptions } from '../writes/object-deletion.js';
import { createObject, updateObject } from '../writes/object-writes.js';
import { listPage } from './list-pagination.js';
import { handlePatch } from './patch-handler.js';
import type { ResourceTarget } from './resource-target.js';
import { decodeProtobufObject, ProtobufDecodeError } from '../encoding/protobuf-decoding.js';
import { apiVersionOf, resourceKey, type ResourceType } from '../registry/resource-types.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ApiError, methodNotAllowed, notFound, pathNotFound, unsupportedMediaType } from '../encoding/status-errors.js';
import type { K8sObject } from '../storage/stored-objects.js';
import { buildTable, parseIncludeObject, TABLE_CONTENT_TYPE, wantsTable } from '../encoding/table.js';
import { serveWatch, type WatchRegistry } from './watch.js';
import { writeOptions } from './write-options.js';
import { noteWrittenResourceVersion } from './written-resource-version.js';

const BODY_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/cbor'];
// Custom resources have no protobuf form; CBOR is alpha and off in 1.32.
const CR_BODY_TYPES = ['application/json', 'application/yaml'];
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

function listBody(state: ApiState, t: ResourceTarget, query: URLSearchParams): { items: K8sObject[]; rv: string } {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'), t.rt.fieldLabels);
  const rv = String(state.store.resourceVersion);
  const items = state.store
    .list(resourceKey(t.rt), t.namespace)
    .filter((o) => matchesLabels(labels, o.metadata?.labels) && matchesFields(fields, o));
  return { items, rv };
}

function sendObject(
  state: ApiState,
  req: IncomingMessage,
  res: ServerResponse,
  t: ResourceTarget,
  code: number,
  obj: object,
  headers: Record<string, string | string[]> = {},
): void {
  if (wantsTable(req.headers.accept) && (obj as K8sObject).kind === t.rt.kind) {
    const include = parseIncludeObject(new URL(req.url ?? '/', 'http://x').searchParams.get('includeObject'));
    sendJson(
      res,
      code,
      buildTable(
        t.rt.printerColumns,
        [obj as K8sObject],
        String(state.store.resourceVersion),
        state.now().getTime(),
        true,
        include,
      ),
      headers,
      TABLE_CONTENT_TYPE,
    );
  } else {
    sendJson(res, code, obj, headers);
  }
}

async function decodeWriteBody(req: IncomingMessage, rt: ResourceType): Promise<any> {
  const ct = mediaType(req.headers['content-type']);
  if (ct === PROTOBUF && !rt.custom) return decodeProtobufBody(await readBodyBytes(req));
  // A body without a Content-Type is read as JSON, as kube-apiserver reads it (kubectl create --raw sends
  // none); any other type (a form, text/plain from a web page) is refused. Pages cannot get further anyway: they
  // have no token, and requests carrying an Origin are refused (security/request-guard.ts).
  if (ct === '') return decodeBody(await readBody(req), 'application/json');
  if (ct !== 'application/json' && ct !== 'application/yaml')
    throw unsupportedMediaType(rt.custom ? CR_BODY_TYPES : BODY_TYPES);
  return decodeBody(await readBody(req), req.headers['content-type']);
}

/** DeleteOptions: an empty body is fine; one with a body must say what it is. */
async function decodeDeleteBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return undefined;
  const ct = mediaType(req.headers['content-type']);
  if (ct !== 'application/json' && ct !== 'application/yaml') throw unsupportedMediaType(BODY_TYPES);
  return decodeBody(text, ct);
}

/** kubectl's typed create commands send protobuf (see encoding/protobuf-decoding.ts for what we can decode). */
function decodeProtobufBody(bytes: Buffer): object {
  try {
    return decodeProtobufObject(bytes);
  } catch (err) {
    if (!(err instanceof ProtobufDecodeError)) throw err;
    throw new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'UnsupportedMediaType',
      code: 415,
      message: `the embedded API server cannot decode this ${PROTOBUF} body (${err.message}); send it as application/json, e.g. kubectl create -f <manifest>`,
    });
  }
}

export async function handleResource(
  state: ApiState,
  watches: WatchRegistry,
  t: ResourceTarget,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  const { rt, namespace, name, subresource } = t;
  if (subresource && (subresource !== 'status' || !rt.statusSubresource)) throw pathNotFound();
  const method = req.method ?? 'GET';

  if (!name) {
    if (method === 'GET') {
      if (query.get('watch') === 'true' || query.get('watch') === '1') {
        serveWatch(
          state,
          watches,
          {
            rt,
            namespace,
            labels: parseLabelSelector(query.get('labelSelector')),
            fields: parseFieldSelector(query.get('fieldSelector'), rt.fieldLabels),
            resourceVersion: query.get('resourceVersion'),
            timeoutSeconds: query.has('timeoutSeconds') ? Number(query.get('timeoutSeconds')) : undefined,
            bookmarks: query.get('allowWatchBookmarks') === 'true',
            table: wantsTable(req.headers.accept),
            includeObject: parseIncludeObject(query.get('includeObject')),
          },
          res,
        );
        return;
      }
      const labels = parseLabelSelector(query.get('labelSelector'));
      const fields = parseFieldSelector(query.get('fieldSelector'), rt.fieldLabels);
      const page = listPage(
        state,
        rt,
        namespace,
        query,
        (o) => matchesLabels(labels, o.metadata?.labels) && matchesFields(fields, o),
        labels.length + fields.length > 0,
      );
      const listMeta = {
        resourceVersion: page.resourceVersion,
        ...(page.continue ? { continue: page.continue } : {}),
        ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
      };
      if (wantsTable(req.headers.accept)) {
        const table = buildTable(
          rt.printerColumns,
          page.items,
          page.resourceVersion,
          state.now().getTime(),
          true,
          parseIncludeObject(query.get('includeObject')),
        );
        return sendJson(res, 200, { ...table, metadata: listMeta }, {}, TABLE_CONTENT_TYPE);
      }
      // Built-in lists carry no per-item apiVersion/kind; custom resource lists do.
      const shaped = rt.custom ? page.items : page.items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
      return sendJson(res, 200, { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata: listMeta, items: shaped });
    }
    if (method === 'POST') {
      const body = await decodeWriteBody(req, rt);
      const result = createObject(state, rt, namespace, body, writeOptions(req, query));
      noteWrittenResourceVersion(res, result.object.metadata?.resourceVersion);
      return sendObject(state, req, res, t, 201, result.object, warningHeaders(result.warnings));
    }
    if (method === 'DELETE') {
      const opts = parseDeleteOptions(await decodeDeleteBody(req), query);
      const { items } = listBody(state, t, query);
      for (const o of items) {
        try {
          deleteObject(state, rt, o.metadata.namespace, o.metadata.name, opts);
        } catch {
          // Deleted concurrently.
        }
      }
      noteWrittenResourceVersion(res, String(state.store.resourceVersion));
      return sendJson(res, 200, {
        kind: rt.listKind,
        apiVersion: apiVersionOf(rt),
        metadata: { resourceVersion: String(state.store.resourceVersion) },
        items,
      });
    }
    throw methodNotAllowed();
  }

  switch (method) {
    case 'GET': {
      const obj = state.store.get(resourceKey(rt), namespace, name);
      if (!obj) throw notFound(rt, name);
      return sendObject(state, req, res, t, 200, obj);
    }
    case 'PUT': {
      const body = await decodeWriteBody(req, rt);
      const result = updateObject(state, rt, namespace, name, body, {
        ...writeOptions(req, query, subresource),
        requireResourceVersion: true,
      });
      noteWrittenResourceVersion(res, result.object.metadata?.resourceVersion);
      return sendObject(state, req, res, t, result.created ? 201 : 200, result.object, warningHeaders(result.warnings));
    }
    case 'PATCH': {
      const result = await handlePatch(
        state,
        t as Required<Pick<ResourceTarget, 'rt' | 'name'>> & ResourceTarget,
        req,
        query,
      );
      noteWrittenResourceVersion(res, result.object.metadata?.resourceVersion);
      return sendObject(state, req, res, t, result.created ? 201 : 200, result.object, warningHeaders(result.warnings));
    }
    case 'DELETE': {
      if (subresource) throw methodNotAllowed();
      const opts = parseDeleteOptions(await decodeDeleteBody(req), query);
      const result = deleteObject(state, rt, namespace, name, opts);
      noteWrittenResourceVersion(res, result.resourceVersion);
      return sendJson(res, 200, result.body);
    }
    default:
      throw methodNotAllowed();
  }
}
