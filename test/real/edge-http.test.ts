// Envoy's edge-proxy settings (envoy-runtime.md §2) on real Envoy 1.40, narrowly: Envoy started directly on the
// config Portico renders for one Mapping, with the Envoy Deployment's own arguments (test/real/support/direct-envoy.ts),
// reached from the pod network's node address (an RFC 1918 client). The settings as the installed pods run them:
// test/real/edge-pod.test.ts.
import { expect } from 'chai';
import http2 from 'node:http2';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { startDevGateway, type DevGateway } from '../../operator/devgateway/dev-gateway.js';
import { gatewayRequest } from '../support/gateway-client.js';
import { realWorld, type World } from '../world/world.js';
import { startDirectEnvoy, type DirectEnvoy } from './support/direct-envoy.js';
import { openStreamsAtOnce } from './support/raw-h2.js';

const CONNECTION_LIMIT_WARNING = 'There is no configured limit to the number of allowed active downstream connections';

/** Sends the first line of a request, then one more header line every `everyMs`; `endAfter` lines end it. */
function tricklingClient(host: string, port: number, everyMs: number, endAfter?: number) {
  return new Promise<{ status: number; firstByteMs: number; closedMs: number }>((resolve, reject) => {
    const s = net.connect(port, host);
    const t0 = Date.now();
    let lines = 0;
    let firstByteMs = -1;
    let data = '';
    s.write('GET /slow HTTP/1.1\r\nHost: edge\r\n');
    const timer = setInterval(() => {
      if (endAfter !== undefined && lines === endAfter) {
        s.write('\r\n');
        clearInterval(timer);
        return;
      }
      lines++;
      if (!s.destroyed) s.write(`x-line-${lines}: ${'a'.repeat(10)}\r\n`);
    }, everyMs);
    s.on('data', (d) => {
      if (firstByteMs < 0) firstByteMs = Date.now() - t0;
      data += d;
      // One response is all we wait for: a served client closes here, a cut one is closed by Envoy.
      if (endAfter !== undefined && /\r\n\r\n/.test(data)) s.end();
    });
    s.on('error', () => {});
    s.on('close', () => {
      clearInterval(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, firstByteMs, closedMs: Date.now() - t0 });
    });
    s.setTimeout(30_000, () => reject(new Error('no answer in 30 s')));
  });
}

async function waitUntilStat(e: DirectEnvoy, name: string, value: number): Promise<void> {
  for (let i = 0; i < 50 && (await e.stat(name)) !== value; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await e.stat(name), name).to.equal(value);
}

/** Opens a connection and sends one keep-alive request; resolves with the status (0 if Envoy closed it unanswered). */
function connectAndAsk(host: string, port: number): Promise<{ socket: net.Socket; status: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host, () => socket.write('GET /x HTTP/1.1\r\nHost: edge\r\n\r\n'));
    let data = '';
    const done = (status: number) => {
      socket.removeAllListeners('data');
      resolve({ socket, status });
    };
    socket.on('data', (d) => {
      data += d;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m && /\r\n\r\n/.test(data)) done(Number(m[1]));
    });
    socket.on('error', () => done(0));
    socket.on('close', () => done(0));
  });
}

describe('real Envoy: the edge settings, one by one', function () {
  this.timeout(120_000);
  let world: World;
  let envoy: DirectEnvoy;
  let url: string;
  const variants: DirectEnvoy[] = [];

  before(async function () {
    world = await realWorld();
    envoy = await startDirectEnvoy(world);
    url = `http://${envoy.ip}:8080`;
  });
  after(async () => {
    await Promise.all([envoy, ...variants].map((e) => e?.stop()));
  });

  it('starts without the "no limit on downstream connections" warning, one worker per requested CPU', async () => {
    expect(envoy.envoy.logTail(200_000)).not.to.include(CONNECTION_LIMIT_WARNING);
    const info = JSON.parse(await envoy.admin('/server_info'));
    expect(info.command_line_options.concurrency).to.equal(1);
  });

  describe('headers with underscores', () => {
    let dev: DevGateway;
    before(async () => {
      dev = await startDevGateway({ port: 0 });
      dev.setConfig(envoy.bootstrap);
    });
    after(() => dev?.close());

    it('are refused with 400 and the connection closed, by Envoy and by the dev gateway alike', async () => {
      for (const base of [url, `http://127.0.0.1:${dev.port}`]) {
        const r = await gatewayRequest(base, { path: '/x', headers: { x_user: 'mallory' } });
        expect([r.status, r.text, r.headers.connection], base).to.deep.equal([400, 'Bad Request', 'close']);
      }
    });

    it('while the same header with a hyphen reaches the upstream', async () => {
      const r = await gatewayRequest(url, { path: '/x', headers: { 'x-user': 'alice' } });
      expect(r.status).to.equal(200);
      expect(r.json.headers['x-user']).to.equal('alice');
    });
  });

  it('cuts a client that trickles its headers at 10 s (408), and serves one that finishes them in time', async () => {
    // One header line every 500 ms keeps the connection busy, so no idle timeout would ever fire.
    const [slowloris, slowButDone] = await Promise.all([
      tricklingClient(envoy.ip, 8080, 500),
      tricklingClient(envoy.ip, 8080, 500, 6),
    ]);
    expect(slowloris.status, 'the trickling client').to.equal(408);
    expect(slowloris.firstByteMs).to.be.within(9_500, 11_000);
    // Envoy closes right after its answer (plus its 1 s delayed close), not at the end of some longer timeout.
    expect(slowloris.closedMs - slowloris.firstByteMs).to.be.below(2_000);
    expect(slowButDone.status, 'headers complete after 3.5 s').to.equal(200);
  });

  it('limits HTTP/2: advertises 100 streams and a 64 KiB stream window, opens the connection window to 1 MiB', async () => {
    const session = http2.connect(url);
    try {
      const settings = await new Promise<http2.Settings>((resolve, reject) => {
        session.once('remoteSettings', resolve);
        session.once('error', reject);
      });
      expect(settings).to.include({ maxConcurrentStreams: 100, initialWindowSize: 65536 });
      // The connection window is raised by a WINDOW_UPDATE right after the SETTINGS.
      const r = session.request({ ':path': '/x' });
      r.resume();
      await new Promise((resolve) => r.on('close', resolve));
      expect(session.state.remoteWindowSize).to.equal(1024 * 1024);
    } finally {
      session.close();
    }
  });

  it('refuses the 101st concurrent HTTP/2 stream of a client that ignores the limit', async () => {
    const out = await openStreamsAtOnce(envoy.ip, 8080, 101, { 'x-set-response-delay-ms': '1500' }, 3_000);
    expect(out.reset, 'RST_STREAM REFUSED_STREAM (7)').to.deep.equal([{ stream: 201, code: 7 }]);
    expect(out.answered).to.have.length(100);
  });

  it('buffers at most 32 KiB per connection: stops reading a fast upload until the upstream catches up, body intact', async () => {
    const dump = JSON.parse(await envoy.admin('/config_dump'));
    const listeners = dump.configs
      .find((c: any) => c['@type'].endsWith('ListenersConfigDump'))
      .static_listeners.map((l: any) => l.listener);
    const clusters = dump.configs
      .find((c: any) => c['@type'].endsWith('ClustersConfigDump'))
      .static_clusters.map((c: any) => c.cluster);
    for (const x of [...listeners, ...clusters]) expect(x.per_connection_buffer_limit_bytes, x.name).to.equal(32768);

    // Under 1 MiB, so Envoy's default limit would never pause: the contrast shows the pauses are the 32 KiB limit.
    const body = randomBytes(450_000).toString('hex');
    const unlimited = await startDirectEnvoy(world, {
      bootstrap: (b) => {
        for (const l of b.static_resources.listeners) delete l.per_connection_buffer_limit_bytes;
        for (const c of b.static_resources.clusters) delete c.per_connection_buffer_limit_bytes;
      },
    });
    variants.push(unlimited);
    const paused: number[] = [];
    for (const e of [envoy, unlimited]) {
      const before = await e.stat('http.http.downstream_flow_control_paused_reading_total');
      const r = await gatewayRequest(`http://${e.ip}:8080`, {
        method: 'POST',
        path: '/upload',
        body,
        headers: { 'content-type': 'text/plain' },
      });
      expect(r.status).to.equal(200);
      expect(r.json.body === body, 'the upstream got the body byte for byte').to.equal(true);
      paused.push((await e.stat('http.http.downstream_flow_control_paused_reading_total')) - before);
    }
    expect(paused[0], 'reads paused at 32 KiB').to.be.above(0);
    expect(paused[1], "reads paused with Envoy's default 1 MiB").to.equal(0);
  });

  it('refuses connections past the global limit (a variant with 5 instead of 50,000) and still answers probes', async () => {
    const dump = JSON.parse(await envoy.admin('/config_dump'));
    const monitors = dump.configs.find((c: any) => c['@type'].endsWith('BootstrapConfigDump')).bootstrap
      .overload_manager.resource_monitors;
    expect(
      monitors.find((m: any) => m.name === 'envoy.resource_monitors.global_downstream_max_connections').typed_config
        .max_active_downstream_connections,
    ).to.equal('50000');

    const limited = await startDirectEnvoy(world, {
      overload: (om) => {
        om.resource_monitors.find(
          (m: any) => m.name === 'envoy.resource_monitors.global_downstream_max_connections',
        ).typed_config.max_active_downstream_connections = 5;
      },
    });
    variants.push(limited);
    const open = await Promise.all([...Array(5)].map(() => connectAndAsk(limited.ip, 8080)));
    expect(open.map((o) => o.status)).to.deep.equal([200, 200, 200, 200, 200]);
    const extra = await Promise.all([...Array(2)].map(() => connectAndAsk(limited.ip, 8080)));
    expect(
      extra.map((o) => o.status),
      'closed unanswered',
    ).to.deep.equal([0, 0]);
    expect(await limited.stat('listener.0.0.0.0_8080.downstream_global_cx_overflow')).to.equal(2);
    // The readiness listener is exempt: a full pod is not taken out of every load balancer.
    expect((await gatewayRequest(`http://${limited.ip}:8002`, { path: '/ready' })).status).to.equal(200);
    open[0].socket.destroy();
    await new Promise((r) => setTimeout(r, 300));
    const again = await connectAndAsk(limited.ip, 8080);
    expect(again.status, 'a freed slot is usable again').to.equal(200);
    for (const o of [...open, ...extra, again]) o.socket.destroy();
  });

  it("answers 503 once the heap passes 90 % of the limit (a variant whose limit is below Envoy's idle heap)", async () => {
    expect(await envoy.stat('overload.envoy.overload_actions.stop_accepting_requests.active')).to.equal(0);
    const small = await startDirectEnvoy(world, {
      awaitReady: false,
      overload: (om) => {
        om.resource_monitors.find(
          (m: any) => m.name === 'envoy.resource_monitors.fixed_heap',
        ).typed_config.max_heap_size_bytes = 4 * 2 ** 20;
      },
    });
    variants.push(small);
    await waitUntilStat(small, 'overload.envoy.overload_actions.stop_accepting_requests.active', 1);
    const r = await gatewayRequest(`http://${small.ip}:8080`, { path: '/x' });
    expect([r.status, r.text]).to.deep.equal([503, 'envoy overloaded']);
    // Its readiness fails too, so an overloaded pod leaves the load balancers instead of being OOM-killed in them.
    expect((await gatewayRequest(`http://${small.ip}:8002`, { path: '/ready' })).status).to.equal(503);
  });

  it('treats a client at an RFC 1918 address as external: its x-envoy-* headers are dropped, X-Forwarded-For appended', async () => {
    const r = await gatewayRequest(url, {
      path: '/x',
      headers: {
        'x-envoy-upstream-rq-timeout-ms': '1',
        'x-envoy-internal': 'true',
        'x-forwarded-for': '203.0.113.9',
        'x-set-response-delay-ms': '300',
      },
    });
    expect(r.status, 'its 1 ms timeout was not obeyed').to.equal(200);
    const h = r.json.headers;
    expect(world.network.gateway).to.match(/^10\./);
    expect(h['x-envoy-internal']).to.equal(undefined);
    expect(h['x-envoy-external-address']).to.equal(world.network.gateway);
    expect(h['x-forwarded-for']).to.equal(`203.0.113.9,${world.network.gateway}`);
    expect(h['x-envoy-expected-rq-timeout-ms']).to.equal('15000');
  });

  it('trusts the pod itself (loopback): there x-envoy-upstream-rq-timeout-ms is obeyed', async () => {
    const { execFile } = await import('node:child_process');
    const code = await new Promise<string>((resolve) => {
      execFile(
        'ip',
        [
          'netns',
          'exec',
          envoy.netns,
          'curl',
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '-H',
          'x-envoy-upstream-rq-timeout-ms: 50',
          '-H',
          'x-set-response-delay-ms: 1000',
          'http://127.0.0.1:8080/x',
        ],
        (_e, out) => resolve(out),
      );
    });
    expect(code, 'upstream timeout after 50 ms').to.equal('504');
  });
});
