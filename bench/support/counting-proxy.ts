// A transparent HTTP proxy between the operator and the API server that counts every request by verb and
// resource (e.g. "PUT mappings/status", "PATCH deployments"). Counting on the wire means the benchmark sees
// every write the operator attempts, failed ones included, without trusting the operator's own metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RequestCounts {
  [verbAndResource: string]: number;
}

const READ_VERBS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** "PUT /apis/portico.dev/v1alpha1/namespaces/a/mappings/x/status?…" → "PUT mappings/status". */
export function classify(method: string, url: string): string {
  const path = url.split('?')[0];
  const parts = path.split('/').filter(Boolean);
  // /api/v1/... or /apis/group/version/...
  let rest = parts[0] === 'api' ? parts.slice(2) : parts[0] === 'apis' ? parts.slice(3) : parts;
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const resource = rest[0] ?? '(root)';
  const sub = rest.length >= 3 ? `/${rest[2]}` : '';
  const watch = /[?&]watch=(true|1)/.test(url) ? ' watch' : '';
  return `${method} ${resource}${sub}${watch}`;
}

export interface CountingProxy {
  url: string;
  counts: RequestCounts;
  /** Writes (non-GET) by key, excluding the resources in `except` (e.g. leases). */
  writes(except?: string[]): RequestCounts;
  reset(): void;
  /**
   * Resolves once no write (other than to `except` resources) has passed for `quietMs`, or after `maxMs`;
   * true when it went quiet. Event-driven: every write restarts the timer.
   */
  quiet(quietMs: number, maxMs: number, except?: string[]): Promise<boolean>;
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let counts: RequestCounts = {};
  const writeListeners = new Set<(resource: string) => void>();
  const server = http.createServer((req, res) => {
    const key = classify(req.method ?? 'GET', req.url ?? '/');
    counts[key] = (counts[key] ?? 0) + 1;
    const [verb, resource] = key.split(' ');
    if (!READ_VERBS.has(verb)) for (const l of writeListeners) l(resource);
    const up = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (ures) => {
        res.writeHead(ures.statusCode ?? 502, ures.headers);
        res.flushHeaders(); // a watch may send nothing for a long time: the client must see it started
        ures.pipe(res);
        res.on('close', () => ures.destroy());
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
    res.on('close', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get counts() {
      return counts;
    },
    writes(except = []) {
      const out: RequestCounts = {};
      for (const [k, v] of Object.entries(counts)) {
        const [verb, resource] = k.split(' ');
        if (READ_VERBS.has(verb) || except.some((e) => resource.startsWith(e))) continue;
        out[k] = v;
      }
      return out;
    },
    reset() {
      counts = {};
    },
    quiet(quietMs, maxMs, except = ['leases']) {
      return new Promise((resolve) => {
        const finish = (quiet: boolean) => {
          clearTimeout(timer);
          clearTimeout(limit);
          writeListeners.delete(onWrite);
          resolve(quiet);
        };
        let timer = setTimeout(() => finish(true), quietMs);
        const limit = setTimeout(() => finish(false), maxMs);
        const onWrite = (resource: string) => {
          if (except.some((e) => resource.startsWith(e))) return;
          clearTimeout(timer);
          timer = setTimeout(() => finish(true), quietMs);
        };
        writeListeners.add(onWrite);
      });
    },
    close() {
      server.closeAllConnections();
      agent.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export function total(c: RequestCounts): number {
  return Object.values(c).reduce((a, b) => a + b, 0);
}
