// HTTP(S) requests to a gateway (real Envoy or the dev gateway) as a client sends them: any Host header, any raw
// path (no normalisation: `//`, `%2F` and dot segments go out as written), an SNI name, and the peer certificate
// for TLS.
import http from 'node:http';
import https from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';

export interface GatewayRequest {
  path?: string;
  host?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Default false: a new connection per request, as a new client makes (pass an Agent to reuse connections). */
  agent?: http.Agent | false;
  /** TLS: the SNI name (default: the host without its port). */
  servername?: string;
  /** TLS: CA to verify against; without it the peer certificate is not verified. */
  ca?: string | Buffer;
  timeoutMs?: number;
}

export interface GatewayResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body as JSON, or undefined. */
  json: any;
  peerCertificate?: PeerCertificate;
}

export function gatewayRequest(baseUrl: string, r: GatewayRequest = {}): Promise<GatewayResponse> {
  const base = new URL(baseUrl);
  const tls = base.protocol === 'https:';
  const hostHeader = r.host ?? base.host;
  const options: https.RequestOptions = {
    host: base.hostname,
    port: base.port || (tls ? 443 : 80),
    path: r.path ?? '/',
    method: r.method ?? 'GET',
    headers: {
      Host: hostHeader,
      ...r.headers,
      ...(r.body !== undefined ? { 'Content-Length': Buffer.byteLength(r.body) } : {}),
    },
    agent: r.agent ?? false,
    timeout: r.timeoutMs ?? 10_000,
  };
  if (tls) {
    options.servername = r.servername ?? hostHeader.replace(/:\d+$/, '');
    options.ca = r.ca;
    options.rejectUnauthorized = r.ca !== undefined;
  }
  return new Promise((resolve, reject) => {
    const req = (tls ? https : http).request(options, (res) => {
      const peerCertificate = tls ? (res.socket as TLSSocket).getPeerCertificate() : undefined;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, peerCertificate });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${options.method} ${options.path}: timeout`)));
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}
