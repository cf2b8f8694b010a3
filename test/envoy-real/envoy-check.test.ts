// operator/envoy-check on its own: the temporary layout (only certificate paths change), reading Envoy's
// verdict from its exit code and output, tracing a message back to Mappings and TLSContexts, finding the
// binary; then the real pinned Envoy on a good and a broken config.
import { expect } from 'chai';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayIR } from '../../operator/compile/ir.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { checkWithEnvoy, findEnvoy, traceEnvoyMessage } from '../../operator/envoy-check/index.js';
import { materialiseConfig, rewriteCertPaths } from '../../operator/envoy-check/materialise.js';
import { parseVerdict } from '../../operator/envoy-check/run-validate.js';
import { listenerSkeleton } from '../../operator/envoy-check/listener-skeleton.js';
import { EnvoyConfigCheck } from '../../operator/envoy-check/operator-check.js';
import { envoyBinary } from './support/envoy-pool.js';
import { forwardRoute, gatewayIR } from '../support/ir-builders.js';

const CLUSTERS: GatewayIR['clusters'] = [
  { name: 'default_web_80', address: 'web.default.svc.cluster.local', port: 80, upstreamTls: false },
  { name: 'shop_cart_80', address: 'cart.shop.svc.cluster.local', port: 80, upstreamTls: false },
];
const IR: GatewayIR = gatewayIR(
  [
    forwardRoute('shop/cart', '/cart/', 'shop_cart_80', undefined, 'shop.test'),
    forwardRoute('default/any', '/', 'default_web_80'),
  ],
  CLUSTERS,
  [
    {
      name: 'shop/shop-tls',
      serverNames: ['shop.test'],
      tls: { certFile: 'shop_shop-cert.crt', keyFile: 'shop_shop-cert.key', minTlsVersion: 'v1.2', alpnProtocols: [] },
    },
    {
      name: 'default/fallback',
      serverNames: [],
      tls: {
        certFile: 'default_fallback.crt',
        keyFile: 'default_fallback.key',
        minTlsVersion: 'v1.2',
        alpnProtocols: [],
      },
    },
  ],
  {
    'shop_shop-cert.crt': 'CRT',
    'shop_shop-cert.key': 'KEY',
    'default_fallback.crt': 'CRT2',
    'default_fallback.key': 'KEY2',
  },
);
const ids = (message: string) => traceEnvoyMessage(message, IR).map((o) => `${o.kind}/${o.namespace}/${o.name}`);

describe('envoy-check: the temporary layout', () => {
  it('rewrites certificate paths only, in compact and indented JSON, never inside other strings', () => {
    const compact = JSON.stringify({
      a: { filename: '/etc/portico/certs/x.crt' },
      b: ['/etc/portico/certs/y.key'],
      prefix: '"/etc/portico/certs/not-a-path',
    });
    expect(JSON.parse(rewriteCertPaths(compact, '/tmp/t/certs'))).to.deep.equal({
      a: { filename: '/tmp/t/certs/x.crt' },
      b: ['/tmp/t/certs/y.key'],
      prefix: '"/etc/portico/certs/not-a-path',
    });
    const pretty = JSON.stringify({ a: { filename: '/etc/portico/certs/x.crt' } }, null, 2);
    expect(JSON.parse(rewriteCertPaths(pretty, '/tmp/t/certs')).a.filename).to.equal('/tmp/t/certs/x.crt');
  });

  it('writes the config and certificate files (keys 0600) and removes them', () => {
    const config = renderEnvoyConfig(IR);
    const m = materialiseConfig(config.json, config.certFiles);
    expect(readFileSync(m.configPath, 'utf8'))
      .to.include(`"${m.certsDir}/shop_shop-cert.crt"`)
      .and.not.include('/etc/portico/certs/');
    expect(readFileSync(join(m.certsDir, 'shop_shop-cert.key'), 'utf8')).to.equal('KEY');
    expect(statSync(join(m.certsDir, 'shop_shop-cert.key')).mode & 0o777).to.equal(0o600);
    expect(m.podPaths(`Failed to load certificate chain from ${m.certsDir}/shop_shop-cert.crt`)).to.equal(
      'Failed to load certificate chain from /etc/portico/certs/shop_shop-cert.crt',
    );
    m.remove();
    expect(existsSync(m.dir)).to.equal(false);
  });
});

describe('envoy-check: reading the verdict', () => {
  it("accepted, rejected with Envoy's message, or failed", () => {
    expect(parseVerdict(0, null, "configuration '/t/envoy.json' OK\n", '', 5)).to.deep.equal({
      kind: 'accepted',
      ms: 5,
    });
    expect(
      parseVerdict(1, null, '', "error initializing configuration '/t/envoy.json': route: unknown cluster 'x'\n", 5),
    ).to.deep.equal({ kind: 'rejected', message: "route: unknown cluster 'x'", ms: 5 });
    expect(parseVerdict(null, 'SIGKILL', '', '', 5)).to.deep.include({
      kind: 'failed',
      message: 'envoy was killed by SIGKILL without output',
    });
    expect(parseVerdict(1, null, '', 'unknown flag --mode\n', 5)).to.deep.include({
      kind: 'failed',
      message: 'envoy exited with code 1: unknown flag --mode',
    });
    // OK on stdout but a failing exit code is not an acceptance.
    expect(parseVerdict(1, null, "configuration '/t' OK", '', 5).kind).to.equal('failed');
  });
});

describe('envoy-check: tracing a message to its objects', () => {
  it('a route or a cluster names the Mappings that use it', () => {
    expect(ids("route: unknown cluster 'shop_cart_80'")).to.deep.equal(['Mapping/shop/cart']);
    expect(ids('Invalid route shop/cart: something')).to.deep.equal(['Mapping/shop/cart']);
    expect(ids("cluster manager: duplicate cluster 'default_web_80'")).to.deep.equal(['Mapping/default/any']);
  });

  it('a certificate file or a filter chain names its TLSContext', () => {
    expect(ids('Failed to load certificate chain from /etc/portico/certs/shop_shop-cert.crt')).to.deep.equal([
      'TLSContext/shop/shop-tls',
    ]);
    expect(
      ids(
        'Failed to load certificate chain from /etc/portico/certs/default_fallback.crt, only RSA certificates with 2048-bit or larger keys are supported',
      ),
    ).to.deep.equal(['TLSContext/default/fallback']);
    expect(ids("filter chain 'shop/shop-tls' has the same matching rules defined as 'default/fallback'")).to.deep.equal(
      ['TLSContext/default/fallback', 'TLSContext/shop/shop-tls'],
    );
  });

  it('a domain names the Mappings that asked for it and the TLSContexts serving it, not the host-less ones', () => {
    expect(
      ids('Only unique values for domains are permitted. Duplicate entry of domain shop.test in route https'),
    ).to.deep.equal(['Mapping/shop/cart', 'TLSContext/shop/shop-tls']);
  });

  it('an unrelated message names nothing', () => {
    expect(ids('Invalid ALPN protocol string')).to.deep.equal([]);
    expect(ids('')).to.deep.equal([]);
  });
});

describe('envoy-check: finding the binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-find-envoy-'));
  const fake = join(dir, 'envoy');
  writeFileSync(fake, '#!/bin/sh\n');
  chmodSync(fake, 0o755);
  const notExecutable = join(dir, 'plain');
  writeFileSync(notExecutable, '');

  it('an explicit path first, then envoy on PATH, else missing', () => {
    expect(findEnvoy(fake, '--envoy', '/nowhere')).to.deep.equal({ path: fake, source: `--envoy=${fake}` });
    expect(findEnvoy('', '--envoy', `/nowhere:${dir}`)).to.deep.equal({ path: fake, source: 'envoy on PATH' });
    expect(findEnvoy(notExecutable, '--envoy', dir)).to.deep.include({
      path: fake,
      note: `--envoy=${notExecutable} is not an executable file; using ${fake} (envoy on PATH)`,
    });
    expect(findEnvoy(undefined, '--envoy', '/nowhere')).to.deep.equal({ missing: 'there is no envoy on PATH' });
    expect(findEnvoy(notExecutable, 'PORTICO_ENVOY', '/nowhere')).to.deep.equal({
      missing: `PORTICO_ENVOY=${notExecutable} is not an executable file and there is no envoy on PATH`,
    });
  });
});

describe('envoy-check: the real pinned Envoy', function () {
  this.timeout(60_000);

  it('accepts a good config and refuses a broken one in its own words, with pod paths', async () => {
    const routesOnly: GatewayIR = {
      ...IR,
      listeners: IR.listeners.filter((l) => l.name === 'http'),
      tls: { files: {} },
    };
    expect(await checkWithEnvoy(envoyBinary(), renderEnvoyConfig(routesOnly))).to.deep.include({ kind: 'accepted' });
    // The certificate files hold no PEM: Envoy refuses the chain of the first filter chain it loads.
    const verdict = await checkWithEnvoy(envoyBinary(), renderEnvoyConfig(IR));
    expect(verdict.kind).to.equal('rejected');
    const message = (verdict as { message: string }).message;
    expect(message).to.match(
      /^Failed to load certificate chain from \/etc\/portico\/certs\/(shop_shop-cert|default_fallback)\.crt/,
    );
    expect(traceEnvoyMessage(message, IR)).to.have.length(1);
  });

  it('leaves no temporary folder behind', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'portico-check-parent-'));
    await checkWithEnvoy(envoyBinary(), renderEnvoyConfig(IR), { tmpDir: parent });
    expect(readdirSync(parent)).to.deep.equal([]);
  });
});

describe('envoy-check: what the operator loads, and when', function () {
  this.timeout(60_000);
  const withRoute = (prefix: string): GatewayIR =>
    gatewayIR([forwardRoute('default/any', prefix, 'default_web_80')], CLUSTERS);

  it('the listener skeleton keeps listeners, filter chains and TLS, drops routes and clusters, changes nothing', () => {
    const config = renderEnvoyConfig(IR);
    const before = config.json;
    const sk = listenerSkeleton(config.bootstrap) as any;
    expect(JSON.stringify(config.bootstrap)).to.equal(before);
    expect(sk.static_resources.clusters).to.deep.equal([]);
    const https = sk.static_resources.listeners.find((l: any) => l.name === 'https');
    expect(https.filter_chains.map((fc: any) => fc.name)).to.deep.equal(['shop/shop-tls', 'default/fallback']);
    expect(https.filter_chains[0].transport_socket).to.deep.equal(
      (config.bootstrap as any).static_resources.listeners.find((l: any) => l.name === 'https').filter_chains[0]
        .transport_socket,
    );
    for (const l of sk.static_resources.listeners)
      for (const fc of l.filter_chains) expect(fc.filters[0].typed_config.route_config.virtual_hosts).to.deep.equal([]);
  });

  it('listeners mode: Envoy runs again only when listeners or certificates change; full mode: on every change', async () => {
    const listeners = new EnvoyConfigCheck({ envoyPath: envoyBinary(), mode: 'listeners' });
    const a = withRoute('/a/');
    expect((await listeners.check(renderEnvoyConfig(a), a)).kind).to.equal('accepted');
    const b = withRoute('/b/');
    expect((await listeners.check(renderEnvoyConfig(b), b)).kind).to.equal('skipped');
    const full = new EnvoyConfigCheck({ envoyPath: envoyBinary(), mode: 'full' });
    expect((await full.check(renderEnvoyConfig(a), a)).kind).to.equal('accepted');
    expect((await full.check(renderEnvoyConfig(a), a)).kind).to.equal('skipped');
    expect((await full.check(renderEnvoyConfig(b), b)).kind).to.equal('accepted');
    // A certificate change is a listener change; this one is refused, traced, and remembered.
    const refused = await listeners.check(renderEnvoyConfig(IR), IR);
    expect(refused).to.deep.include({ kind: 'rejected' });
    expect((refused as { objects: unknown[] }).objects).to.have.length(1);
    expect(await listeners.check(renderEnvoyConfig(IR), IR)).to.deep.equal(refused);
    expect(
      (await new EnvoyConfigCheck({ envoyPath: envoyBinary(), mode: 'off' }).check(renderEnvoyConfig(IR), IR)).kind,
    ).to.equal('skipped');
  });
});
