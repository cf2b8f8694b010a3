// One local HTTP upstream per Service, for routing behaviour through a local Envoy (local-envoy.ts `portOf`).
// Each answers with what it received, as JSON ({service, method, path, query, headers}) and an x-upstream
// response header naming its service, records every request,
// and on request:
//  - `x-delay-ms: N` answers after N ms (a slow upstream);
//  - `x-fail-first: <key>` answers 503 to the first request with that key and 200 to later ones (a retry);
//  - `Upgrade: websocket` completes the WebSocket handshake and echoes each text frame back.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  host: string;
  headers: http.IncomingHttpHeaders;
}

export interface ServiceUpstream {
  service: string;
  port: number;
  seen: SeenRequest[];
}

export interface ServiceUpstreams {
  byService: Record<string, ServiceUpstream>;
  close(): Promise<void>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Reads one masked client text frame (payload < 126 bytes) and returns it unmasked as a server frame. */
function echoFrame(frame: Buffer): Buffer | undefined {
  if (frame.length < 6) return undefined;
  const len = frame[1] & 0x7f;
  if (len >= 126 || frame.length < 6 + len) return undefined;
  const mask = frame.subarray(2, 6);
  const payload = Buffer.from(frame.subarray(6, 6 + len).map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
}

async function startOne(
  service: string,
): Promise<{ upstream: ServiceUpstream; server: http.Server; upgraded: Set<Socket> }> {
  const seen: SeenRequest[] = [];
  const upgraded = new Set<Socket>();
  const failed = new Set<string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    seen.push({ method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      const key = req.headers['x-fail-first'];
      let status = 200;
      if (typeof key === 'string' && !failed.has(key)) {
        failed.add(key);
        status = 503;
      }
      const body = JSON.stringify({
        service,
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
      });
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-upstream': service,
        });
        res.end(body);
      };
      const delay = Number(req.headers['x-delay-ms'] ?? 0);
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '', headers: req.headers });
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${WS_GUID}`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.on('data', (d: Buffer) => {
      const reply = echoFrame(d);
      if (reply) socket.write(reply);
    });
    socket.on('error', () => undefined);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { upstream: { service, port: (server.address() as AddressInfo).port, seen }, server, upgraded };
}

export async function startServiceUpstreams(services: readonly string[]): Promise<ServiceUpstreams> {
  const started = await Promise.all(services.map(startOne));
  return {
    byService: Object.fromEntries(started.map((s) => [s.upstream.service, s.upstream])),
    close: async () => {
      for (const s of started) {
        s.server.closeAllConnections();
        // Upgraded (WebSocket) sockets have left the HTTP server's books, but close() still waits for them.
        for (const socket of s.upgraded) socket.destroy();
      }
      await Promise.all(started.map((s) => new Promise((r) => s.server.close(r))));
    },
  };
}

/** `<ns>_<svc>_<port>[_tls][_<hash>]` → svc. */
export const serviceOfCluster = (cluster: string): string => cluster.split('_')[1];
