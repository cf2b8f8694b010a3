// The Services behind real Envoy in `portico dev`: a small echo server per upstream of the published config
// (each on its own loopback port, so it knows which Service it stands for), answering as the dev gateway's echo
// does: JSON naming the upstream and saying what it received. `path` is the path Envoy forwarded (after its
// rewrite), `originalPath` the client's (Envoy's x-envoy-original-path when it rewrote), `host` the Host Envoy
// sent. The dev gateway's `route` field is not there: Envoy does not tell the upstream which route it took.
// Upstreams that Envoy reaches over TLS (a Mapping's `https://` service) get an HTTPS echo with portico dev's
// certificate (Envoy does not verify upstream certificates in the published config).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { UpstreamTarget } from './local-bootstrap.js';

export interface EchoUpstreams {
  /** The ports of echo servers for these upstreams (started on first use, kept for the run). */
  portsFor(targets: readonly UpstreamTarget[]): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export interface EchoOptions {
  host: string;
  /** For the HTTPS echoes. */
  tls: { cert: string; key: string };
}

function answer(upstream: string) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    req.resume();
    const original = req.headers['x-envoy-original-path'];
    const body = {
      gateway: 'envoy',
      upstream,
      method: req.method,
      host: req.headers.host,
      originalPath: typeof original === 'string' ? original : req.url,
      path: req.url,
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify(body, null, 2)}\n`);
  };
}

export function echoUpstreams(opts: EchoOptions): EchoUpstreams {
  const servers = new Map<string, Promise<{ server: http.Server; port: number }>>();
  const start = (t: UpstreamTarget) => {
    const server =
      t.scheme === 'https'
        ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, answer(t.key))
        : http.createServer(answer(t.key));
    return new Promise<{ server: http.Server; port: number }>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, opts.host, () => resolve({ server, port: (server.address() as AddressInfo).port }));
    });
  };
  return {
    async portsFor(targets) {
      const out = new Map<string, number>();
      for (const t of targets) {
        let s = servers.get(t.key);
        if (!s) servers.set(t.key, (s = start(t)));
        out.set(t.key, (await s).port);
      }
      return out;
    },
    async close() {
      const all = await Promise.allSettled([...servers.values()]);
      servers.clear();
      await Promise.all(
        all.map((r) =>
          r.status === 'fulfilled'
            ? new Promise<void>((resolve) => {
                r.value.server.closeAllConnections();
                r.value.server.close(() => resolve());
              })
            : Promise.resolve(),
        ),
      );
    },
  };
}
