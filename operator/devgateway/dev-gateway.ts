// `portico dev`'s data plane. There is no Envoy here, so this HTTP server routes each request exactly as the
// published Envoy config says (route-model.ts) and answers for the upstream Service with an echo of what the
// Service would have received, unless --upstream maps that Service to a real local address.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rejectBeforeRouting } from './header-rules.js';
import { clusterTarget, connectionManagerFor, routeRequest, type RouteDecision } from './route-model.js';
import { DevGatewayCounters } from './dev-gateway-stats.js';

/** Envoy's cleartext listener port, whose routes the dev gateway serves. */
const ENVOY_HTTP_PORT = 8080;

export interface DevGatewayOptions {
  host?: string;
  port: number;
  /** `<service>.<namespace>` → base URL of a real upstream (e.g. http://127.0.0.1:3000). */
  upstreams?: Map<string, URL>;
}

export interface DevGateway {
  port: number;
  setConfig(bootstrap: object): void;
  /** Its requests counted as Envoy counts them, for /portico/v1/stats. */
  counters: DevGatewayCounters;
  close(): Promise<void>;
}

function serviceKey(address: string): string {
  return address.replace(/\.svc\.cluster\.local$/, '');
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

function echo(
  res: http.ServerResponse,
  req: http.IncomingMessage,
  decision: Extract<RouteDecision, { kind: 'forward' }>,
  upstream: string,
): void {
  const body = {
    gateway: 'portico dev',
    route: decision.route,
    upstream,
    method: req.method,
    host: req.headers.host,
    originalPath: req.url,
    path: decision.path,
  };
  res.writeHead(200, { 'content-type': 'application/json', 'x-portico-route': decision.route });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

/** The headers Envoy sends upstream that a client did not: its Host (port stripped when configured) and X-Forwarded-*. */
function forwardedHeaders(
  req: http.IncomingMessage,
  hcm: { strip_any_host_port?: boolean; strip_trailing_host_dot?: boolean } | undefined,
): http.OutgoingHttpHeaders {
  const stripPort = hcm?.strip_any_host_port === true;
  let host = req.headers.host ?? '';
  if (hcm?.strip_trailing_host_dot) host = host.replace(/\.(:\d+)?$/, '$1');
  const xff = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
  return {
    ...req.headers,
    host: stripPort ? host.replace(/:\d+$/, '') : host,
    'x-forwarded-proto': 'http',
    'x-forwarded-for': xff,
  };
}

function proxy(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  base: URL,
  path: string,
  headers: http.OutgoingHttpHeaders,
  done: (status: number) => void,
): void {
  // The path goes out as routed, byte for byte (new URL(path, base) would read "//x" as a host).
  const target = { host: base.hostname, port: base.port || 80, path: `${base.pathname.replace(/\/$/, '')}${path}` };
  const upstream = http.request({ ...target, method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
    done(up.statusCode ?? 502);
  });
  upstream.on('error', (err) => {
    if (res.headersSent) return;
    send(res, 503, `upstream connect error: ${err.message}\n`);
    done(503);
  });
  req.pipe(upstream);
}

export async function startDevGateway(opts: DevGatewayOptions): Promise<DevGateway> {
  let bootstrap: object | undefined;
  const counters = new DevGatewayCounters();
  const server = http.createServer((req, res) => {
    if (!bootstrap) return send(res, 503, 'no config yet\n');
    const rejected = rejectBeforeRouting(bootstrap, ENVOY_HTTP_PORT, Object.keys(req.headers));
    if (rejected) return send(res, rejected.status, rejected.body, { connection: 'close' });
    const decision = routeRequest(bootstrap, {
      port: ENVOY_HTTP_PORT,
      host: req.headers.host ?? '',
      path: req.url ?? '/',
      method: req.method,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
      random: Math.floor(Math.random() * 1_000_000),
    });
    switch (decision.kind) {
      case 'no-listener':
      case 'not-found':
        return send(res, 404, '');
      case 'direct':
        if (decision.status === 503) counters.noBackend(decision.route);
        return send(res, decision.status, decision.body);
      case 'redirect':
        return send(res, decision.status, '', { location: decision.location });
      case 'forward': {
        const target = clusterTarget(bootstrap, decision.cluster);
        if (!target) return send(res, 503, 'no healthy upstream\n');
        const base = opts.upstreams?.get(serviceKey(target.address));
        const done = (status: number) => counters.upstreamDone(decision.route, decision.cluster, status);
        if (base)
          return proxy(
            req,
            res,
            base,
            decision.path,
            forwardedHeaders(req, connectionManagerFor(bootstrap, ENVOY_HTTP_PORT)),
            done,
          );
        done(200);
        return echo(res, req, decision, `${target.tls ? 'https' : 'http'}://${target.address}:${target.port}`);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    setConfig(next) {
      bootstrap = next;
      counters.setClusters(
        ((next as { static_resources?: { clusters?: { name: string }[] } }).static_resources?.clusters ?? []).map(
          (c) => c.name,
        ),
      );
    },
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
