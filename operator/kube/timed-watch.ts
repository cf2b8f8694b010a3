// A watch request with deadlines, a drop-in for client-node's Watch inside its ListWatch (which only calls
// `watch(path, query, callback, done)` and later `abort()` on the result).
//
// client-node 1.4's Watch has no timeout of any kind: a watch whose connection goes silent (the API server
// vanished behind a load balancer, a network partition) stays open forever, the informer never hears of a
// change again, and its `start()` never returns if the headers never came. This one:
// - asks for bookmarks and a server-side timeoutSeconds (random, as client-go's reflector does), so a healthy
//   server sends something at least every bookmark interval and ends the stream now and then;
// - fails the attempt when the response headers do not arrive within connectTimeoutMs (→ informer restart
//   with back-off);
// - ends the stream cleanly when nothing at all arrives for idleTimeoutMs, and the ListWatch resumes from its
//   last resourceVersion (a cheap re-watch; the server answers 410 if that is too old, and the cache re-lists).
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';

export interface WatchTimeouts {
  /** Response headers must arrive within this. */
  connectTimeoutMs: number;
  /** A stream with no bytes (not even a bookmark) for this long is presumed dead. */
  idleTimeoutMs: number;
  /** The server ends each watch after a random time in [min, 2 × min] seconds. */
  minServerTimeoutSeconds: number;
}

export const DEFAULT_WATCH_TIMEOUTS: WatchTimeouts = {
  connectTimeoutMs: 30_000,
  idleTimeoutMs: 150_000,
  minServerTimeoutSeconds: 300,
};

export type WatchCallback = (phase: string, obj: any, watchObj?: any) => void;
export type WatchDone = (err: any) => void;

export interface WatchHandle {
  abort(): void;
}

export class TimedWatch {
  constructor(
    private readonly kc: KubeConfig,
    private readonly timeouts: WatchTimeouts = DEFAULT_WATCH_TIMEOUTS,
    /** Told when a stream went silent and was ended (for logs/metrics). */
    private readonly onIdle?: (path: string) => void,
    private readonly random: () => number = Math.random,
  ) {}

  async watch(
    path: string,
    queryParams: Record<string, unknown>,
    callback: WatchCallback,
    done: WatchDone,
  ): Promise<WatchHandle> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('no active cluster in the kubeconfig');
    const url = new URL(cluster.server + path);
    url.searchParams.set('watch', 'true');
    url.searchParams.set('allowWatchBookmarks', 'true');
    const min = this.timeouts.minServerTimeoutSeconds;
    url.searchParams.set('timeoutSeconds', String(Math.round(min * (1 + this.random()))));
    for (const [k, v] of Object.entries(queryParams ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));

    const init = (await this.kc.applyToFetchOptions({})) as {
      agent?: http.Agent;
      headers?: { forEach(cb: (v: string, k: string) => void): void };
    };
    const headers: Record<string, string> = { Accept: 'application/json' };
    init.headers?.forEach((v, k) => (headers[k] = v));
    const request = url.protocol === 'https:' ? https.request : http.request;

    return new Promise<WatchHandle>((resolve) => {
      let finished = false;
      let idleTimer: NodeJS.Timeout | undefined;
      let connectTimer: NodeJS.Timeout | undefined;
      const finish = (err: unknown, notify: boolean) => {
        if (finished) return;
        finished = true;
        clearTimeout(connectTimer);
        clearTimeout(idleTimer);
        req.destroy();
        if (notify) done(err);
        resolve(handle);
      };
      const handle: WatchHandle = { abort: () => finish(null, false) };
      const armIdle = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          this.onIdle?.(path);
          finish(null, true);
        }, this.timeouts.idleTimeoutMs);
      };

      const req = request(url, { method: 'GET', headers, agent: init.agent }, (res) => {
        clearTimeout(connectTimer);
        // Destroying the request makes the response emit 'aborted' errors: always listen.
        res.on('error', (err) => finish(err, true));
        if (res.statusCode !== 200) {
          res.resume();
          const error = Object.assign(new Error(http.STATUS_CODES[res.statusCode ?? 500] ?? `HTTP ${res.statusCode}`), {
            statusCode: res.statusCode,
          });
          finish(error, true);
          return;
        }
        resolve(handle); // connected: ListWatch.start() may return
        armIdle();
        res.on('data', armIdle);
        res.on('close', () => finish(null, true));
        const lines = createInterface({ input: res, crlfDelay: Infinity });
        lines.on('error', (err) => finish(err, true)); // readline re-emits the response's errors
        lines.on('line', (line) => {
          if (finished || line.trim() === '') return;
          let event: { type?: string; object?: unknown };
          try {
            event = JSON.parse(line);
          } catch {
            return; // as client-node: an unparsable line is ignored
          }
          callback(event.type ?? '', event.object, event);
        });
      });
      connectTimer = setTimeout(
        () => finish(new Error(`watch ${path}: no response within ${this.timeouts.connectTimeoutMs} ms`), true),
        this.timeouts.connectTimeoutMs,
      );
      req.on('error', (err) => finish(err, true));
      req.end();
    });
  }
}
