// Lists with `limit` and `continue`, as the real server pages through etcd: items in key order, each page a
// consistent snapshot at the first page's resourceVersion, an opaque continue token (base64 JSON like
// apiserver's storage.EncodeContinue), `remainingItemCount` when no selector filters, and 410 Expired once
// that snapshot is compacted, with a token that continues from the latest state instead.
import type { ApiState } from '../api-state.js';
import { resourceKey, type ResourceType } from '../registry/resource-types.js';
import { ApiError, badRequest } from '../encoding/status-errors.js';
import { compareKeys, type K8sObject } from '../storage/stored-objects.js';

export interface ListPage {
  items: K8sObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  rv: number;
  /** The key to start from (inclusive): the last returned key plus "\0". */
  start: string;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';

export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
  'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - ' +
  'objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  let parsed: any;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw badRequest(`invalid continue token: continue key is not valid: ${(err as Error).message}`);
  }
  if (!parsed || parsed.v !== TOKEN_VERSION)
    throw badRequest(
      'invalid continue token: continue key is not valid: server does not recognize this encoded version',
    );
  if (typeof parsed.rv !== 'number' || parsed.rv === 0)
    throw badRequest(
      `invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version ${TOKEN_VERSION})`,
    );
  if (typeof parsed.start !== 'string' || parsed.start === '')
    throw badRequest('invalid continue token: continue key is not valid');
  return { rv: parsed.rv, start: parsed.start };
}

/** The object's key below the list's prefix: `name` within a namespace, `namespace/name` across them. */
function relativeKey(o: K8sObject, namespace: string | undefined): string {
  return namespace === undefined && o.metadata?.namespace
    ? `${o.metadata.namespace}/${o.metadata.name}`
    : String(o.metadata?.name);
}

function expiredContinue(start: string): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: { continue: encodeContinue({ rv: -1, start }) } as any,
    status: 'Failure',
    message: CONTINUE_EXPIRED_MESSAGE,
    reason: 'Expired',
    code: 410,
  });
}

/**
 * One page of a list. `filter` applies the selectors; `filtered` says whether any selector is set (the real
 * server then cannot know how many items remain, so it leaves remainingItemCount unset).
 */
export function listPage(
  state: ApiState,
  rt: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
  filter: (o: K8sObject) => boolean,
  filtered: boolean,
): ListPage {
  const limitParam = Number(query.get('limit') ?? '0');
  const cont = query.get('continue') ?? '';
  const rvParam = query.get('resourceVersion') ?? '';
  if (cont && rvParam) throw badRequest('specifying resource version is not allowed when using continue');
  // resourceVersion=0 is served from the watch cache, which ignores limit.
  const limit = rvParam === '0' || !Number.isFinite(limitParam) || limitParam <= 0 ? 0 : Math.floor(limitParam);

  const token = cont ? decodeContinue(cont) : undefined;
  const current = state.store.resourceVersion;
  const snapshotRv = token && token.rv > 0 ? Math.min(token.rv, current) : current;
  const all = state.store.objectsAt(resourceKey(rt), snapshotRv);
  if (all === 'expired') throw expiredContinue(token!.start);

  const inScope = all.filter((o) => namespace === undefined || (o.metadata?.namespace ?? '') === namespace);
  const keyed = inScope.map((o) => ({ key: relativeKey(o, namespace), o })).sort((a, b) => compareKeys(a.key, b.key));
  const from = token ? keyed.findIndex((k) => compareKeys(k.key, token.start) >= 0) : 0;
  const rest = from < 0 ? [] : keyed.slice(from);

  const items: K8sObject[] = [];
  let next = rest.length;
  for (let i = 0; i < rest.length; i++) {
    if (limit > 0 && items.length === limit) {
      next = i;
      break;
    }
    if (filter(rest[i].o)) items.push(structuredClone(rest[i].o));
  }
  const page: ListPage = { items, resourceVersion: String(snapshotRv) };
  if (next < rest.length && items.length > 0) {
    page.continue = encodeContinue({ rv: snapshotRv, start: `${keyed[from + next - 1].key}\u0000` });
    if (!filtered) page.remainingItemCount = rest.length - next;
  }
  return page;
}
