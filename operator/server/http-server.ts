// The operator's HTTP endpoints (port 8877): liveness, readiness with a plain-text detail, Prometheus
// metrics, and the /portico/v1/* diagnostics. Nothing here ever returns Secret data: the config served is the
// whole Envoy JSON, which references certificate files by path, with any inline secret material removed by
// what its field is (config-redaction.ts).
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../log/logger.js';
import { redactEnvoyConfig } from './config-redaction.js';
import type { MappingRow } from './diagnostics.js';
import type { StatsReport } from '../stats/stats-report.js';

export interface OperatorView {
  version: string;
  readiness(): { ready: boolean; detail: string[] };
  /** The last good Envoy config (published by the leader, or computed by a follower). */
  config(): { hash: string; json: string; published: boolean } | undefined;
  mappings(): MappingRow[];
  /** Envoy's figures per Service and Mapping, collected afresh (docs/statistics.md). */
  stats(): Promise<StatsReport>;
}

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

const json = (res: http.ServerResponse, status: number, body: unknown) =>
  send(res, status, JSON.stringify(body, null, 2) + '\n', 'application/json');

export async function startHttpServer(opts: {
  host?: string;
  port: number;
  view: OperatorView;
  registry: Registry;
  log: Logger;
}): Promise<HttpServer> {
  const { view, registry, log } = opts;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    void route(url.pathname, res).catch((err: unknown) => {
      log.error('http handler failed', { path: url.pathname, error: String(err) });
      if (!res.headersSent) send(res, 500, 'internal error\n');
    });
  });

  async function route(path: string, res: http.ServerResponse): Promise<void> {
    switch (path) {
      case '/healthz':
        return send(res, 200, 'ok\n');
      case '/readyz': {
        const r = view.readiness();
        return send(
          res,
          r.ready ? 200 : 503,
          `${r.ready ? 'ready' : 'not ready'}\n${r.detail.map((d) => `- ${d}`).join('\n')}\n`,
        );
      }
      case '/metrics':
        return send(res, 200, await registry.metrics(), registry.contentType);
      case '/portico/v1/health': {
        const r = view.readiness();
        return json(res, r.ready ? 200 : 503, {
          hostname: os.hostname(),
          ok: r.ready,
          msg: r.ready ? 'portico health check OK' : r.detail.join('; '),
          version: view.version,
        });
      }
      case '/portico/v1/mappings': {
        const rows = view.mappings();
        return json(res, 200, { count: rows.length, mappings: rows });
      }
      case '/portico/v1/stats':
        return json(res, 200, await view.stats());
      case '/portico/v1/config': {
        const c = view.config();
        if (!c) return json(res, 404, { message: 'no valid configuration computed yet' });
        const config = redactEnvoyConfig(JSON.parse(c.json));
        return json(res, 200, { hash: c.hash, published: c.published, config });
      }
      default:
        return send(res, 404, 'not found\n');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
