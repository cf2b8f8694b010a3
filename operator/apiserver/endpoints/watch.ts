// Watch streams: newline-delimited JSON events, headers flushed at once (client-node waits for them),
// replay from a resourceVersion out of the store's history or ERROR 410 Expired when it is too old,
// label/field selector moves turned into ADDED/DELETED, optional bookmarks, timeoutSeconds, Table wrapping.
// A watcher that does not read falls behind; once more than `watchBufferBytes` of events wait for it, the
// stream is cut (as kube-apiserver's cacher forces unresponsive watchers closed), so the server's memory does
// not grow with it. The client re-watches from its last resourceVersion, or re-lists on 410.
import type { ServerResponse } from 'node:http';
import type { ApiState } from '../api-state.js';
import { apiVersionOf, resourceKey, type ResourceType } from '../registry/resource-types.js';
import { matchesFields, matchesLabels, type FieldRequirement, type LabelSelector } from './selectors.js';
import { expired } from '../encoding/status-errors.js';
import type { K8sObject, StoreEvent } from '../storage/stored-objects.js';
import { buildTable, type IncludeObject } from '../encoding/table.js';

export interface WatchRequest {
  rt: ResourceType;
  namespace?: string;
  labels: LabelSelector;
  fields: FieldRequirement[];
  resourceVersion: string | null;
  timeoutSeconds?: number;
  bookmarks: boolean;
  table: boolean;
  includeObject?: IncludeObject;
}

/** Open watches, so fault injection can close them all. */
export class WatchRegistry {
  private readonly open = new Set<{ close(): void }>();
  /** Watches cut because their client stopped reading. */
  cutForSlowness = 0;
  add(w: { close(): void }): () => void {
    this.open.add(w);
    return () => this.open.delete(w);
  }
  get size(): number {
    return this.open.size;
  }
  closeAll(): number {
    const all = [...this.open];
    for (const w of all) w.close();
    return all.length;
  }
}

const DEFAULT_MIN_TIMEOUT_S = 1800;

export function serveWatch(state: ApiState, watches: WatchRegistry, w: WatchRequest, res: ServerResponse): void {
  const key = resourceKey(w.rt);
  const matches = (o: K8sObject | undefined): boolean =>
    !!o &&
    (w.namespace === undefined || o.metadata?.namespace === w.namespace) &&
    matchesLabels(w.labels, o.metadata?.labels) &&
    matchesFields(w.fields, o);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let headersSent = false;
  // What was queued when live events started (the initial replay may be large): it only shrinks as the
  // client reads, and live events may queue at most watchBufferBytes on top of it.
  let live = false;
  let baseline = 0;
  const write = (type: string, object: unknown): void => {
    if (res.writableEnded || res.destroyed) return;
    if (live) {
      baseline = Math.min(baseline, res.writableLength);
      if (res.writableLength - baseline > state.watchBufferBytes) {
        watches.cutForSlowness++;
        res.destroy();
        return;
      }
    }
    let payload = object;
    if (w.table && type !== 'ERROR' && type !== 'BOOKMARK') {
      const obj = object as K8sObject;
      payload = buildTable(
        w.rt.printerColumns,
        [obj],
        obj.metadata?.resourceVersion ?? '',
        state.now().getTime(),
        !headersSent,
        w.includeObject,
      );
      headersSent = true;
    }
    res.write(`${JSON.stringify({ type, object: payload })}\n`);
  };

  const translate = (e: StoreEvent): void => {
    if (e.resource !== key) return;
    if (e.type === 'MODIFIED') {
      const was = matches(e.oldObject);
      const is = matches(e.object);
      if (was && is) write('MODIFIED', e.object);
      else if (is) write('ADDED', e.object);
      else if (was) write('DELETED', e.object);
    } else if (matches(e.object)) {
      write(e.type, e.object);
    }
  };

  const rv = w.resourceVersion;
  if (rv && rv !== '0' && !/^\d+$/.test(rv)) {
    write('ERROR', { ...expired(`invalid resource version "${rv}"`), reason: 'BadRequest', code: 400 });
    res.end();
    return;
  }
  let replay: StoreEvent[] = [];
  if (!rv || rv === '0') {
    for (const o of state.store.list(key, w.namespace)) if (matches(o)) write('ADDED', o);
  } else {
    const since = state.store.eventsSince(key, Number(rv));
    if (since === 'expired') {
      write('ERROR', expired(`too old resource version: ${rv} (${state.store.oldestResumableRv + 1})`));
      res.end();
      return;
    }
    replay = since;
  }
  for (const e of replay) translate(e);
  baseline = res.writableLength;
  live = true;
  const unsubscribe = state.store.subscribe(translate);

  const timeoutMs = (w.timeoutSeconds ?? DEFAULT_MIN_TIMEOUT_S * (1 + Math.random())) * 1000;
  const timer = setTimeout(() => close(), timeoutMs);
  const bookmarkTimer = w.bookmarks
    ? setInterval(
        () =>
          write('BOOKMARK', {
            kind: w.rt.kind,
            apiVersion: apiVersionOf(w.rt),
            metadata: { resourceVersion: String(state.store.resourceVersion) },
          }),
        state.bookmarkIntervalMs,
      )
    : undefined;
  let removeFromRegistry = (): void => {};
  function cleanup(): void {
    unsubscribe();
    clearTimeout(timer);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    removeFromRegistry();
  }
  function close(): void {
    cleanup();
    if (!res.writableEnded) res.end();
  }
  removeFromRegistry = watches.add({ close });
  res.on('close', cleanup);
}
