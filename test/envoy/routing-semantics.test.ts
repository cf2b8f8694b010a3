// Routing semantics, proven on the rendered Envoy JSON (see envoy-router.ts): what a request actually hits.
import { expect } from 'chai';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { readManifests } from '../../operator/cli/manifest-files.js';
import type { Mapping, Service } from '../../operator/api/types.js';
import { clusterTarget, routeRequest } from '../../operator/devgateway/route-model.js';
import { mapping, service } from '../support/objects.js';

const NOW = '2030-01-01T00:00:00Z';

function render(mappings: Mapping[], services: Service[]) {
  return renderEnvoyConfig(compileSnapshot({ mappings, services, tlsContexts: [], secrets: [], now: NOW }).ir)
    .bootstrap;
}

describe('routing semantics (interpreting the rendered Envoy config)', () => {
  const examples = readManifests(['examples/']);
  const b = renderEnvoyConfig(compileSnapshot({ ...examples, now: NOW }).ir).bootstrap;
  const get = (path: string, host = 'gateway.local', port = 8080) => routeRequest(b, { port, host, path });

  it('examples: /user/health reaches usersvc as /health', () => {
    const r = get('/user/health');
    expect(r).to.include({ kind: 'forward', path: '/health' });
    if (r.kind === 'forward')
      expect(clusterTarget(b, r.cluster)).to.deep.equal({
        address: 'usersvc.default.svc.cluster.local',
        port: 80,
        tls: false,
        type: 'STRICT_DNS',
      });
  });

  it('examples: /grue/x reaches gruesvc as /grue/x', () => {
    const r = get('/grue/x');
    expect(r).to.include({ kind: 'forward', path: '/grue/x' });
    if (r.kind === 'forward')
      expect(clusterTarget(b, r.cluster)?.address).to.equal('gruesvc.default.svc.cluster.local');
  });

  it('examples: /user (no slash) does not match prefix /user/', () => {
    expect(get('/user')).to.deep.equal({ kind: 'not-found' });
  });

  it('examples: host routing picks exact host, then wildcard, with the port stripped; tls.yaml does not redirect these hosts', () => {
    expect(get('/', 'api.example.com:8080')).to.include({ kind: 'forward', path: '/', route: 'default/api-host' });
    expect(get('/x', 'blog.apps.example.com')).to.include({
      kind: 'forward',
      path: '/x',
      route: 'default/apps-wildcard',
    });
    expect(get('/user/a', 'blog.apps.example.com')).to.include({
      kind: 'forward',
      path: '/a',
      route: 'default/usermapping',
    });
  });

  it('examples: cleartext requests for TLS hosts redirect to https; the TLS listener serves them', () => {
    expect(get('/user/health', 'example.local')).to.include({
      kind: 'redirect',
      status: 301,
      location: 'https://example.local/user/health',
    });
    expect(get('/user/health', 'www.example.local')).to.include({
      kind: 'redirect',
      status: 301,
      location: 'https://www.example.local/user/health',
    });
    expect(routeRequest(b, { port: 8443, host: 'example.local', path: '/user/health' })).to.include({
      kind: 'forward',
      path: '/health',
    });
  });

  it('prefix /user with rewrite / turns /user/health into /health and /users into /s (plain string prefix)', () => {
    const cfg = render(
      [mapping('default', 'u', { prefix: '/user', service: 'usersvc', rewrite: '/' })],
      [service('default', 'usersvc')],
    );
    expect(routeRequest(cfg, { port: 8080, host: 'h', path: '/user/health' })).to.include({ path: '/health' });
    expect(routeRequest(cfg, { port: 8080, host: 'h', path: '/user' })).to.include({ path: '/' });
    expect(routeRequest(cfg, { port: 8080, host: 'h', path: '/users' })).to.include({ path: '/s' });
  });

  it('a missing-service prefix answers 503 and does not fall through to a shorter prefix', () => {
    const cfg = render(
      [
        mapping('default', 'root', { prefix: '/', service: 'usersvc' }),
        mapping('default', 'gone', { prefix: '/gone/', service: 'nosvc' }),
      ],
      [service('default', 'usersvc')],
    );
    expect(routeRequest(cfg, { port: 8080, host: 'h', path: '/gone/x' })).to.include({
      kind: 'direct',
      status: 503,
      route: 'default/gone',
    });
    expect(routeRequest(cfg, { port: 8080, host: 'h', path: '/other' })).to.include({
      kind: 'forward',
      route: 'default/root',
    });
  });

  it('longer prefixes win whatever the input order', () => {
    const ms = [
      mapping('default', 'a', { prefix: '/', service: 'one' }),
      mapping('default', 'b', { prefix: '/api/', service: 'two' }),
      mapping('default', 'c', { prefix: '/api/v2/', service: 'three' }),
    ];
    for (const order of [ms, [...ms].reverse()]) {
      const cfg = render(order, [service('default', 'one'), service('default', 'two'), service('default', 'three')]);
      expect(routeRequest(cfg, { port: 8080, host: 'h', path: '/api/v2/x' })).to.include({
        route: 'default/c',
        path: '/x',
      });
      expect(routeRequest(cfg, { port: 8080, host: 'h', path: '/api/v1' })).to.include({
        route: 'default/b',
        path: '/v1',
      });
      expect(routeRequest(cfg, { port: 8080, host: 'h', path: '/else' })).to.include({ route: 'default/a' });
    }
  });

  it('identical matches split traffic evenly (canary group) and never fall through', () => {
    const cfg = render(
      [
        mapping('default', 'v1', { prefix: '/shop/', service: 'one' }),
        mapping('default', 'v2', { prefix: '/shop/', service: 'two' }),
        mapping('default', 'v3', { prefix: '/shop/', service: 'nosvc' }),
      ],
      [service('default', 'one'), service('default', 'two')],
    );
    const hits: Record<string, number> = {};
    for (let r = 0; r < 1_000_000; r += 997) {
      const res = routeRequest(cfg, { port: 8080, host: 'h', path: '/shop/a', random: r });
      const key = res.kind === 'forward' ? res.route : res.kind === 'direct' ? `503:${res.route}` : res.kind;
      hits[key] = (hits[key] ?? 0) + 1;
    }
    expect(Object.keys(hits).sort()).to.deep.equal(['503:default/v3', 'default/v1', 'default/v2']);
    const total = Object.values(hits).reduce((a, b) => a + b, 0);
    for (const n of Object.values(hits)) expect(n / total).to.be.closeTo(1 / 3, 0.01);
  });
});
