// Request-time behaviour on a real Envoy started with the rendered config (support/local-envoy.ts: only ports
// are moved; names resolve through a pod's resolv.conf to local upstreams), for the decisions of issue 11 §1:
//  - a Host with a trailing dot (`shop.local.`) reaches the shop.local vhost, not `*` (strip_trailing_host_dot),
//    so it can bypass neither per-host routes nor the HTTPS redirect; shown failing without the setting;
//  - an ExternalName target is resolved as an absolute name (no search-domain queries) and sent as SNI
//    without the trailing dot;
//  - a "\" in a path is "/" to Envoy before matching, %2F and %5C are redirected first, and "\1" in a regex
//    rewrite is a back-reference that makes Envoy skip the rewrite: why the compiler refuses such prefixes and
//    rewrites (path-form.ts) and escapes backslashes in substitutions (rewrite.ts).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { Secret, Service, TLSContext } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import type { GatewayIR, IRRewrite, IRRoute } from '../../operator/compile/ir.js';
import { renderEnvoyConfig, type EnvoyConfig } from '../../operator/envoy/index.js';
import { REPO_ROOT } from '../world/kubelet/images.js';
import { startLocalEnvoy, type LocalEnvoy } from './support/local-envoy.js';
import { rawRequest, startEchoUpstreams, type EchoUpstreams } from './support/upstreams.js';
import { mapping } from '../support/objects.js';
import { forwardRoute, gatewayIR } from '../support/ir-builders.js';

const NOW = new Date().toISOString();

function hostsConfig(): EnvoyConfig {
  const examples = yaml.loadAll(readFileSync(join(REPO_ROOT, 'examples', 'tls.yaml'), 'utf8')) as Array<
    Secret | TLSContext
  >;
  const secret = examples.find((d): d is Secret => d.kind === 'Secret');
  if (!secret) throw new Error('examples/tls.yaml: no Secret');
  const tls: TLSContext = {
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'TLSContext',
    metadata: { name: 'example-tls', namespace: 'default' },
    spec: { hosts: ['example.local'], secret: secret.metadata.name, redirectCleartext: true },
  };
  const services: Service[] = [
    { metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } },
    {
      metadata: { name: 'partner', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: 'api.partner.example.', ports: [{ port: 443 }] },
    },
  ];
  const mappings = [
    mapping('default', 'star', { prefix: '/', service: 'web', rewrite: '/star/' }),
    mapping('default', 'shop', { prefix: '/', service: 'web', host: 'shop.local', rewrite: '/shop/' }),
    mapping('default', 'named', { prefix: '/', service: 'web', host: 'example.local', rewrite: '/named/' }),
    mapping('default', 'partner', { prefix: '/partner/', service: 'https://partner:443', rewrite: '/' }),
  ];
  const { ir, statuses } = compileSnapshot(
    {
      mappings,
      tlsContexts: [tls],
      services,
      secrets: [{ ...secret, metadata: { ...secret.metadata, namespace: 'default' } }],
      now: NOW,
    },
    { externalNameServices: 'allow' },
  );
  for (const s of statuses) expect(s.inConfig, `${s.ref.name}: ${JSON.stringify(s.conditions)}`).to.equal(true);
  return renderEnvoyConfig(ir);
}

/** The same config as Envoy would get it without strip_trailing_host_dot: only to show why it is set. */
function withoutHostDotStripping(config: EnvoyConfig): EnvoyConfig {
  return { ...config, json: config.json.replaceAll('"strip_trailing_host_dot":true,', '') };
}

describe('request time on real Envoy: trailing dots, ExternalName, backslashes', function () {
  this.timeout(120_000);
  let upstreams: EchoUpstreams;
  const started: LocalEnvoy[] = [];
  const start = async (config: Pick<EnvoyConfig, 'json' | 'certFiles'>) => {
    const e = await startLocalEnvoy(config, upstreams);
    started.push(e);
    return e;
  };
  before(async () => (upstreams = await startEchoUpstreams()));
  after(async () => {
    for (const e of started) await e.stop();
    await upstreams?.close();
  });

  describe('a Host with a trailing dot', () => {
    let envoy: LocalEnvoy;
    before(async () => (envoy = await start(hostsConfig())));
    const get = (host: string, path = '/q') => rawRequest(envoy.ports.http, path, host);

    it('reaches its named vhost, and the upstream sees the Host without the dot', async () => {
      for (const host of ['shop.local', 'shop.local.', 'shop.local.:8080', 'SHOP.local.']) {
        const r = await get(host);
        expect(r.status, host).to.equal(200);
        expect(JSON.parse(r.body), host).to.include({ path: '/shop/q' });
        expect(JSON.parse(r.body).host, host).to.match(/^(shop|SHOP)\.local$/);
      }
    });

    it('is redirected to HTTPS like the name without the dot', async () => {
      for (const host of ['example.local', 'example.local.']) {
        const r = await get(host);
        expect(r.status, host).to.equal(301);
        expect(r.headers.location, host).to.equal('https://example.local/q');
      }
    });

    it('without strip_trailing_host_dot, lands on `*` and skips the redirect (why it is set)', async () => {
      const bare = await start(withoutHostDotStripping(hostsConfig()));
      const r = await rawRequest(bare.ports.http, '/q', 'example.local.');
      expect(r.status).to.equal(200);
      expect(JSON.parse(r.body)).to.include({ path: '/star/q' });
    });
  });

  describe('an ExternalName target', () => {
    it('is resolved as an absolute name and sent as SNI without the trailing dot', async () => {
      const config = hostsConfig();
      const cluster = (JSON.parse(config.json).static_resources.clusters as any[]).find(
        (c) => c.name === 'default_partner_443_tls',
      );
      expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address).to.equal(
        'api.partner.example.',
      );
      const envoy = await start(config);
      const r = await rawRequest(envoy.ports.http, '/partner/x', 'gw.test');
      expect(r.status, r.body).to.equal(200);
      expect(JSON.parse(r.body)).to.include({ path: '/x', sni: 'api.partner.example', host: 'gw.test' });
      const partnerQueries = envoy.dnsQueries.filter((q) => q.startsWith('api.partner.example'));
      expect(partnerQueries.length).to.be.at.least(1);
      expect(new Set(partnerQueries), 'no search domain appended to an absolute name').to.deep.equal(
        new Set(['api.partner.example']),
      );
    });
  });

  describe('backslashes and escaped slashes in paths', () => {
    const route = (name: string, prefix: string, rewrite: IRRewrite): IRRoute =>
      forwardRoute(name, prefix, 'default_web_80', rewrite);
    // Routes the compiler no longer produces, built directly: what Envoy did with them is why.
    const ir: GatewayIR = gatewayIR(
      [
        route('default/backslash-prefix', '/b\\c/', { kind: 'prefix', value: '/got-backslash/' }),
        route('default/escaped-slash-prefix', '/p%2Fq/', { kind: 'prefix', value: '/got-escaped/' }),
        route('default/raw-backref', '/rx', { kind: 'regex', pattern: '^/rx/*', substitution: '/x\\1/' }),
        route('default/escaped-backref', '/ry', { kind: 'regex', pattern: '^/ry/*', substitution: '/y\\\\1/' }),
        route('default/rest', '/', { kind: 'prefix', value: '/rest/' }),
      ],
      [{ name: 'default_web_80', address: 'web.default.svc.cluster.local', port: 80, upstreamTls: false }],
    );
    let envoy: LocalEnvoy;
    before(async () => (envoy = await start(renderEnvoyConfig(ir))));

    it('a "\\" is "/" before matching, so a prefix holding one never matches', async () => {
      const r = await rawRequest(envoy.ports.http, '/b\\c/z', 'gw.test');
      expect(JSON.parse(r.body)).to.include({ path: '/rest/b/c/z' });
    });

    it('%2F and %5C are redirected to the unescaped path before matching', async () => {
      for (const path of ['/p%2Fq/z', '/b%5Cc/z']) {
        const r = await rawRequest(envoy.ports.http, path, 'gw.test');
        expect(r.status, path).to.equal(307);
        expect(r.headers.location, path).to.match(/^\/(p\/q|b\/c)\/z$/);
      }
    });

    it('"\\1" in a regex substitution silently skips the rewrite; escaped, it is a literal backslash', async () => {
      expect(JSON.parse((await rawRequest(envoy.ports.http, '/rx/abc', 'gw.test')).body)).to.include({
        path: '/rx/abc',
      });
      expect(JSON.parse((await rawRequest(envoy.ports.http, '/ry/abc', 'gw.test')).body)).to.include({
        path: '/y\\1/abc',
      });
    });

    it('so the compiler refuses such prefixes and rewrites, naming the field', () => {
      const svc: Service = { metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } };
      const { statuses } = compileSnapshot({
        mappings: [
          mapping('default', 'a', { prefix: '/b\\c/', service: 'web' }),
          mapping('default', 'b', { prefix: '/p%2Fq/', service: 'web' }),
          mapping('default', 'c', { prefix: '/rx', service: 'web', rewrite: '/x\\1/' }),
        ],
        tlsContexts: [],
        services: [svc],
        secrets: [],
        now: NOW,
      });
      expect(statuses.map((s) => [s.conditions[0].status, s.conditions[0].message.split(':')[0]])).to.deep.equal([
        ['False', 'spec.prefix'],
        ['False', 'spec.prefix'],
        ['False', 'spec.rewrite'],
      ]);
    });
  });
});
