// Issue 14's routing vocabulary through real Envoy: Mappings compiled by compileSnapshot, rendered, served by the
// pinned Envoy (support/local-envoy.ts) in front of one local upstream per Service (support/service-upstreams.ts),
// and real HTTP requests. Each behaviour the issue names is shown here, with a control where the field is what
// makes the difference.
import { expect } from 'chai';
import http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import type { Mapping, Service } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { startLocalEnvoy, type LocalEnvoy } from './support/local-envoy.js';
import { serviceOfCluster, startServiceUpstreams, type ServiceUpstreams } from './support/service-upstreams.js';

const SERVICES = ['web', 'api', 'canary', 'mirror'];
const NOW = new Date().toISOString();

const mapping = (name: string, spec: Record<string, unknown>): Mapping => ({
  apiVersion: 'portico.dev/v1alpha1',
  kind: 'Mapping',
  metadata: { name, namespace: 'default' },
  spec: spec as unknown as Mapping['spec'],
});
const service = (name: string): Service => ({
  metadata: { name, namespace: 'default' },
  spec: { ports: [{ name: 'http', port: 80 }] },
});

const MAPPINGS: Mapping[] = [
  // method: GET-only beside a catch-all
  mapping('m-get', { prefix: '/m/', service: 'api', method: 'GET' }),
  mapping('m-all', { prefix: '/m/', service: 'web' }),
  // headers: a header constraint sorts ahead of the same prefix, but not ahead of a longer one; precedence does
  mapping('h-beta', { prefix: '/h/', service: 'canary', headers: [{ name: 'x-beta', value: '1' }] }),
  mapping('h-all', { prefix: '/h/', service: 'web' }),
  mapping('h-longer', { prefix: '/h/long/', service: 'api' }),
  mapping('p-beta', { prefix: '/p/', service: 'canary', headers: [{ name: 'x-beta', value: '1' }], precedence: 1 }),
  mapping('p-longer', { prefix: '/p/long/', service: 'api' }),
  mapping('r-agent', {
    prefix: '/ua/',
    service: 'canary',
    regexHeaders: [{ name: 'user-agent', pattern: '^Mozilla/.*' }],
  }),
  mapping('r-all', { prefix: '/ua/', service: 'web' }),
  // query parameters
  mapping('q-debug', { prefix: '/q/', service: 'canary', queryParameters: [{ name: 'debug', value: 'on' }] }),
  mapping('q-version', { prefix: '/q/', service: 'api', regexQueryParameters: [{ name: 'v', pattern: '[0-9]+' }] }),
  mapping('q-all', { prefix: '/q/', service: 'web' }),
  // how the prefix matches
  mapping('x-exact', { prefix: '/exact', service: 'api', prefixExact: true, rewrite: '' }),
  mapping('x-regex', { prefix: '/items/[0-9]+', service: 'canary', prefixRegex: true }),
  mapping('x-case', { prefix: '/Docs/', service: 'api', caseSensitive: false }),
  mapping('x-rest', { prefix: '/', service: 'web', rewrite: '' }),
  // weight: a 10 % canary
  mapping('c-main', { prefix: '/c/', service: 'web' }),
  mapping('c-canary', { prefix: '/c/', service: 'canary', weight: 10 }),
  // timeouts and retries
  mapping('t-slow', { prefix: '/slow/', service: 'api', timeout: '300ms' }),
  mapping('t-idle', { prefix: '/idle/', service: 'api', idleTimeout: '300ms' }),
  mapping('t-retry', { prefix: '/retry/', service: 'api', retryPolicy: { retryOn: ['5xx'], numRetries: 1 } }),
  mapping('t-noretry', { prefix: '/noretry/', service: 'api' }),
  // rewrites and header edits
  mapping('e-edits', {
    prefix: '/edit/',
    service: 'api',
    hostRewrite: 'backend.internal',
    regexRewrite: { pattern: '^/edit/([^/]+)/(.*)$', substitution: '/\\2/of/\\1' },
    addRequestHeaders: [{ name: 'x-source', value: 'portico' }],
    removeRequestHeaders: ['x-debug'],
    addResponseHeaders: [{ name: 'x-served-by', value: 'portico' }],
    removeResponseHeaders: ['x-upstream'],
  }),
  // upgrades, CORS, shadow
  mapping('w-socket', { prefix: '/ws/', service: 'web', allowUpgrade: ['websocket'] }),
  mapping('w-plain', { prefix: '/nows/', service: 'web' }),
  mapping('cors', {
    prefix: '/cors/',
    service: 'api',
    cors: { origins: ['https://app.example.com'], methods: ['GET', 'POST'], headers: ['content-type'], maxAge: '10m' },
  }),
  mapping('s-orders', { prefix: '/orders/', service: 'web' }),
  mapping('s-shadow', { prefix: '/orders/', service: 'mirror', shadow: true }),
  // cluster settings
  mapping('b-breaker', {
    prefix: '/breaker/',
    service: 'api',
    circuitBreakers: { maxConnections: 1, maxPendingRequests: 1, maxRequests: 1 },
  }),
  mapping('g-grpc', { prefix: '/grpc/', service: 'grpcsvc', grpc: true, connectTimeout: '500ms' }),
];

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json?: {
    service?: string;
    path?: string;
    method?: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function send(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: 'gw.test', ...opts.headers },
        agent,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          let json: Answer['json'];
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('routing vocabulary through real Envoy (issue 14)', function () {
  this.timeout(120_000);
  let upstreams: ServiceUpstreams;
  let grpcServer: http2.Http2Server;
  let grpcSeen: string[];
  const grpcSessions = new Set<http2.ServerHttp2Session>();
  let envoy: LocalEnvoy;
  let port: number;
  const via = async (path: string, opts: Parameters<typeof send>[2] = {}) =>
    (await send(port, path, opts)).json?.service;

  before(async () => {
    upstreams = await startServiceUpstreams(SERVICES);
    grpcSeen = [];
    grpcServer = http2.createServer((req, res) => {
      grpcSeen.push(req.httpVersion);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ service: 'grpcsvc', httpVersion: req.httpVersion }));
    });
    grpcServer.on('session', (session) => {
      grpcSessions.add(session);
      session.on('close', () => grpcSessions.delete(session));
    });
    await new Promise<void>((r) => grpcServer.listen(0, '127.0.0.1', r));
    const grpcPort = (grpcServer.address() as AddressInfo).port;
    const { ir, statuses } = compileSnapshot({
      mappings: MAPPINGS,
      services: [...SERVICES, 'grpcsvc'].map(service),
      tlsContexts: [],
      secrets: [],
      now: NOW,
    });
    for (const s of statuses)
      expect(s.conditions[0], `${s.ref.name}: ${s.conditions[0].message}`).to.include({ status: 'True' });
    const byService = (cluster: string) =>
      serviceOfCluster(cluster) === 'grpcsvc' ? grpcPort : upstreams.byService[serviceOfCluster(cluster)]?.port;
    envoy = await startLocalEnvoy(renderEnvoyConfig(ir), {
      http: upstreams.byService.web.port,
      tls: upstreams.byService.web.port,
      portOf: byService,
    });
    port = envoy.ports.http;
  });
  after(async () => {
    agent.destroy();
    await envoy?.stop();
    await upstreams?.close();
    for (const session of grpcSessions) session.destroy();
    await new Promise((r) => grpcServer?.close(r));
  });

  it('method: a GET-only Mapping beside a catch-all takes GET; POST goes to the catch-all', async () => {
    expect(await via('/m/x')).to.equal('api');
    expect(await via('/m/x', { method: 'POST' })).to.equal('web');
  });

  it('headers: a header constraint wins over the same prefix, not over a longer one (Emissary: prefix length first)', async () => {
    expect(await via('/h/x', { headers: { 'x-beta': '1' } })).to.equal('canary');
    expect(await via('/h/x', { headers: { 'x-beta': '2' } })).to.equal('web');
    expect(await via('/h/x')).to.equal('web');
    expect(await via('/h/long/x', { headers: { 'x-beta': '1' } })).to.equal('api');
  });

  it('precedence: sorts a header-constrained Mapping ahead of a longer prefix', async () => {
    expect(await via('/p/long/x', { headers: { 'x-beta': '1' } })).to.equal('canary');
    expect(await via('/p/long/x')).to.equal('api');
  });

  it('regexHeaders: the whole value must match the RE2 expression', async () => {
    expect(await via('/ua/x', { headers: { 'user-agent': 'Mozilla/5.0' } })).to.equal('canary');
    expect(await via('/ua/x', { headers: { 'user-agent': 'curl/8 Mozilla/5.0' } })).to.equal('web');
  });

  it('queryParameters and regexQueryParameters', async () => {
    expect(await via('/q/x?debug=on')).to.equal('canary');
    expect(await via('/q/x?debug=off')).to.equal('web');
    expect(await via('/q/x?v=12')).to.equal('api');
    expect(await via('/q/x?v=12a')).to.equal('web');
    expect(await via('/q/x')).to.equal('web');
  });

  it('prefixExact, prefixRegex, caseSensitive', async () => {
    expect(await via('/exact')).to.equal('api');
    expect(await via('/exact/more')).to.equal('web');
    expect(await via('/items/42')).to.equal('canary');
    expect(await via('/items/42/x')).to.equal('web');
    expect(await via('/items/abc')).to.equal('web');
    const docs = await send(port, '/docs/intro');
    expect(docs.json).to.include({ service: 'api', path: '/intro' });
    expect(await via('/DOCS/intro')).to.equal('api');
  });

  it('weight: a 10 % canary gets 10 ± 3 % of 2,000 requests', async () => {
    const counts: Record<string, number> = {};
    const total = 2000;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        next++;
        const who = (await via('/c/x')) ?? 'none';
        counts[who] = (counts[who] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(Object.keys(counts).sort()).to.deep.equal(['canary', 'web']);
    const share = (100 * counts.canary) / total;
    expect(share, JSON.stringify(counts)).to.be.within(7, 13);
  });

  it('timeout: a slow upstream gets 504 after the route timeout; a quick one 200', async () => {
    const started = Date.now();
    const slow = await send(port, '/slow/x', { headers: { 'x-delay-ms': '2000' } });
    expect(slow.status).to.equal(504);
    expect(Date.now() - started).to.be.below(1500);
    expect((await send(port, '/slow/x')).status).to.equal(200);
  });

  it('idleTimeout: a stream with no activity for 300 ms is ended with 504; one without the setting waits', async () => {
    const started = Date.now();
    const idle = await send(port, '/idle/x', { headers: { 'x-delay-ms': '2000' } });
    expect([idle.status, idle.body]).to.deep.equal([504, 'stream timeout']);
    expect(Date.now() - started).to.be.below(1500);
    expect((await send(port, '/noretry/x', { headers: { 'x-delay-ms': '700' } })).status).to.equal(200);
  });

  it('retryPolicy: one injected 503 becomes a 200; without the policy the 503 reaches the client', async () => {
    const seen = upstreams.byService.api.seen;
    const before = seen.length;
    const retried = await send(port, '/retry/x', { headers: { 'x-fail-first': 'retry-1' } });
    expect(retried.status).to.equal(200);
    expect(seen.slice(before).filter((r) => r.headers['x-fail-first'] === 'retry-1')).to.have.length(2);
    expect((await send(port, '/noretry/x', { headers: { 'x-fail-first': 'noretry-1' } })).status).to.equal(503);
  });

  it('hostRewrite, regexRewrite and header edits reach the upstream and the client', async () => {
    const seen = upstreams.byService.api.seen;
    const r = await send(port, '/edit/svc1/a/b', { headers: { 'x-debug': 'secret' } });
    expect(r.status).to.equal(200);
    expect(r.json?.path).to.equal('/a/b/of/svc1');
    const got = seen[seen.length - 1];
    expect(got.host).to.equal('backend.internal');
    expect(got.headers).to.include({ 'x-source': 'portico' });
    expect(got.headers).to.not.have.property('x-debug');
    expect(r.headers['x-served-by']).to.equal('portico');
    expect(r.headers).to.not.have.property('x-upstream');
    expect((await send(port, '/m/x')).headers['x-upstream'], 'other routes keep it').to.equal('api');
  });

  it('allowUpgrade: a WebSocket upgrade is relayed and echoes; without it Envoy refuses the upgrade', async () => {
    const echoed = await webSocketEcho(port, '/ws/chat', 'hello through envoy');
    expect(echoed).to.deep.equal({ status: 101, message: 'hello through envoy' });
    const refused = await webSocketEcho(port, '/nows/chat', 'x');
    expect(refused.status).to.equal(403);
  });

  it('cors: a preflight from an allowed origin gets the Access-Control headers; another origin does not', async () => {
    const preflight = (origin: string) =>
      send(port, '/cors/x', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const ok = await preflight('https://app.example.com');
    expect(ok.status).to.equal(200);
    expect(ok.headers).to.include({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-max-age': '600',
    });
    expect(ok.headers['access-control-allow-methods']).to.contain('POST');
    expect(ok.headers['access-control-allow-headers']).to.contain('content-type');
    const other = await preflight('https://evil.example');
    expect(other.headers).to.not.have.property('access-control-allow-origin');
    const simple = await send(port, '/cors/x', { headers: { origin: 'https://app.example.com' } });
    expect(simple.json?.service).to.equal('api');
    expect(simple.headers['access-control-allow-origin']).to.equal('https://app.example.com');
  });

  it('shadow: the mirror sees a copy (Host with -shadow) while the client gets the primary’s answer', async () => {
    const mirror = upstreams.byService.mirror.seen;
    const r = await send(port, '/orders/42', { headers: { 'x-order': 'o-42' } });
    expect(r.json?.service).to.equal('web');
    const deadline = Date.now() + 5000;
    while (!mirror.some((m) => m.headers['x-order'] === 'o-42') && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 50));
    const copy = mirror.find((m) => m.headers['x-order'] === 'o-42');
    expect(copy, 'the mirror got the request').to.not.equal(undefined);
    expect(copy!.host).to.equal('gw.test-shadow');
  });

  it('circuitBreakers: above maxRequests in flight, requests fail fast with 503 (x-envoy-overloaded)', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => send(port, '/breaker/x', { headers: { 'x-delay-ms': '500' } })),
    );
    const codes = answers.map((a) => a.status).sort();
    expect(codes).to.include(200);
    expect(codes).to.include(503);
    expect(answers.find((a) => a.status === 503)!.headers['x-envoy-overloaded']).to.equal('true');
  });

  it('grpc: the upstream is spoken to in HTTP/2', async () => {
    const r = await send(port, '/grpc/x');
    expect(r.status).to.equal(200);
    expect(grpcSeen).to.deep.equal(['2.0']);
  });
});

/** A WebSocket handshake and one masked text frame; the status line, and the echoed text if upgraded. */
function webSocketEcho(port: number, path: string, text: string): Promise<{ status: number; message?: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let upgraded = false;
    socket.setTimeout(5000, () => socket.destroy(new Error('websocket timeout')));
    socket.on('connect', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: gw.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    socket.on('data', (d: Buffer) => {
      data = Buffer.concat([data, d]);
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = Number(data.subarray(0, end).toString('latin1').split(' ')[1]);
      if (status !== 101) {
        socket.destroy();
        return resolve({ status });
      }
      if (!upgraded) {
        upgraded = true;
        const mask = Buffer.from([1, 2, 3, 4]);
        const payload = Buffer.from(text);
        socket.write(
          Buffer.concat([
            Buffer.from([0x81, 0x80 | payload.length]),
            mask,
            Buffer.from(payload.map((b, i) => b ^ mask[i % 4])),
          ]),
        );
      }
      const frame = data.subarray(end + 4);
      if (frame.length >= 2 && frame.length >= 2 + (frame[1] & 0x7f)) {
        socket.destroy();
        resolve({ status, message: frame.subarray(2, 2 + (frame[1] & 0x7f)).toString() });
      }
    });
    socket.on('error', reject);
  });
}
