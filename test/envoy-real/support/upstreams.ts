// Local upstreams for a local Envoy: each answers with what it received (path, Host, and for TLS the SNI name
// the client sent), as JSON.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { selfSignedCert } from '../../support/pki.js';

export interface EchoUpstreams {
  http: number;
  tls: number;
  close(): Promise<void>;
}

function answer(req: http.IncomingMessage, res: http.ServerResponse, sni?: string | false | null): void {
  const body = JSON.stringify({
    path: req.url,
    host: req.headers.host,
    ...(sni !== undefined ? { sni: sni || null } : {}),
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startEchoUpstreams(): Promise<EchoUpstreams> {
  const plain = http.createServer((req, res) => answer(req, res));
  const pair = selfSignedCert('upstream.test', ['upstream.test']);
  const secure = https.createServer({ cert: pair.cert, key: pair.key }, (req, res) =>
    answer(req, res, (req.socket as TLSSocket).servername),
  );
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  return {
    http: (plain.address() as AddressInfo).port,
    tls: (secure.address() as AddressInfo).port,
    close: async () => {
      plain.closeAllConnections();
      secure.closeAllConnections();
      await Promise.all([new Promise((r) => plain.close(r)), new Promise((r) => secure.close(r))]);
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 request written byte for byte (Host and path exactly as given, no client normalisation). */
export async function rawRequest(port: number, path: string, host: string): Promise<RawResponse> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    let done = false;
    const parse = (final: boolean) => {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0 || done) return;
      const [status, ...lines] = data.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const body = data.slice(end + 4);
      // Done at content-length, without waiting for Envoy's delayed close of the connection.
      if (!final && (headers['content-length'] === undefined || body.length < Number(headers['content-length'])))
        return;
      done = true;
      socket.destroy();
      resolve({ status: Number(status.split(' ')[1]), headers, body });
    };
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      parse(false);
    });
    socket.on('error', (err) => (done ? undefined : reject(err)));
    socket.on('end', () => parse(true));
  });
}
