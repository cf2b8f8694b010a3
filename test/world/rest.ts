// The harness's own Kubernetes client: plain HTTPS with the admin client certificate, JSON in and out, and a
// list-then-watch cache that relists on 410 and reconnects on errors. The harness plays the kubelet, scheduler,
// kube-proxy and DNS; the code under test talks to the API server through client-node and kubectl instead.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { ControlPlanePki } from './pki.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    ownerReferences?: { kind: string; name: string; uid: string }[];
    creationTimestamp?: string;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface RestResponse<T = unknown> {
  status: number;
  body: T;
}

export class KubeRest {
  private readonly agent: https.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(url: string, pki: ControlPlanePki) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new https.Agent({
      ca: readFileSync(pki.caCert),
      cert: readFileSync(pki.admin.cert),
      key: readFileSync(pki.admin.key),
      keepAlive: true,
      maxSockets: 16,
    });
  }

  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<RestResponse<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: this.host,
          port: this.port,
          path,
          method,
          agent: this.agent,
          timeout: 30_000,
          headers: {
            Accept: 'application/json',
            ...(payload !== undefined
              ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T });
          });
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Like request, but a status outside 2xx is an error naming the call. */
  async must<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const r = await this.request<T>(method, path, body, contentType);
    if (r.status < 200 || r.status > 299) {
      throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    return r.body;
  }

  /** Opens a watch stream; resolves when it ends (closed by the server, an error, or `signal`). */
  watchStream(path: string, onEvent: (type: string, obj: KubeObject) => void, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const req = https.request(
        {
          host: this.host,
          port: this.port,
          path,
          method: 'GET',
          agent: this.agent,
          signal,
          headers: { Accept: 'application/json' },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            res.on('end', () => resolve());
            return;
          }
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl);
              buf = buf.slice(nl + 1);
              if (!line.trim()) continue;
              const ev = JSON.parse(line) as { type: string; object: KubeObject };
              onEvent(ev.type, ev.object);
            }
          });
          res.on('end', () => resolve());
          res.on('error', () => resolve());
        },
      );
      req.on('error', () => resolve());
      req.end();
    });
  }
}

export interface WatchedList<T extends KubeObject> {
  items(): T[];
  get(namespace: string | undefined, name: string): T | undefined;
  /** Resolves after the first list. */
  synced: Promise<void>;
  stop(): void;
}

const key = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * A cache of `collectionPath` (e.g. `/api/v1/pods?fieldSelector=…`), kept by list-then-watch. `onChange` is called
 * with every added, modified or deleted object, after the cache is updated.
 */
export function watchList<T extends KubeObject>(
  rest: KubeRest,
  collectionPath: string,
  onChange: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T) => void = () => {},
): WatchedList<T> {
  const store = new Map<string, T>();
  const abort = new AbortController();
  let markSynced!: () => void;
  const synced = new Promise<void>((r) => (markSynced = r));
  const sep = collectionPath.includes('?') ? '&' : '?';

  const run = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        const list = await rest.must<{ metadata: { resourceVersion: string }; items: T[] }>('GET', collectionPath);
        const seen = new Set<string>();
        for (const item of list.items) {
          const k = key(item);
          seen.add(k);
          const old = store.get(k);
          store.set(k, item);
          if (!old || old.metadata.resourceVersion !== item.metadata.resourceVersion)
            onChange(old ? 'MODIFIED' : 'ADDED', item);
        }
        for (const [k, old] of store) {
          if (!seen.has(k)) {
            store.delete(k);
            onChange('DELETED', old);
          }
        }
        markSynced();
        let rv = list.metadata.resourceVersion;
        let expired = false;
        while (!abort.signal.aborted && !expired) {
          const opened = Date.now();
          await rest.watchStream(
            `${collectionPath}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=300`,
            (type, obj) => {
              if (type === 'ERROR') {
                expired = true;
                return;
              }
              rv = obj.metadata.resourceVersion ?? rv;
              if (type === 'BOOKMARK') return;
              const k = key(obj);
              if (type === 'DELETED') store.delete(k);
              else store.set(k, obj as T);
              onChange(type as 'ADDED' | 'MODIFIED' | 'DELETED', obj as T);
            },
            abort.signal,
          );
          // A stream that ends at once is an error (e.g. the API server is restarting): don't spin.
          if (Date.now() - opened < 1000) await new Promise((r) => setTimeout(r, 500));
        }
      } catch {
        if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  void run();
  return {
    items: () => [...store.values()],
    get: (namespace, name) => store.get(`${namespace ?? ''}/${name}`),
    synced,
    stop: () => abort.abort(),
  };
}
