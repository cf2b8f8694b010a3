// The bootstrap's statistics parts (envoy/stats-bootstrap.ts): a stats listener that reaches only GET /stats on the
// admin, a stat prefix naming the Mapping on every route, and the no-backend counter only on Portico's own 503s.
// What real Envoy counts with them: test/real/stats.test.ts.
import { expect } from 'chai';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import type { GatewayIR } from '../../operator/compile/ir.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { forwardRoute, gatewayIR, simpleRoute } from '../support/ir-builders.js';

const ir: GatewayIR = gatewayIR(
  [
    simpleRoute('shop/missing', '/missing/', { kind: 'direct', status: 503, body: 'no healthy upstream' }),
    forwardRoute('shop/cart.v2', '/', 'shop_cart_80'),
  ],
  [{ name: 'shop_cart_80', address: 'cart.shop.svc.cluster.local', port: 80, upstreamTls: false }],
);

describe('renderEnvoyConfig: statistics', () => {
  const b = renderEnvoyConfig(ir).bootstrap as any;
  const listener = (name: string) => b.static_resources.listeners.find((l: any) => l.name === name);
  const hcm = (name: string) => listener(name).filter_chains[0].filters[0].typed_config;

  it('passes the Envoy proto validator', () => {
    expect(validateEnvoyBootstrap(b)).to.deep.equal([]);
  });

  it('serves exactly GET /stats on :8003 from the admin, and nothing else', () => {
    expect(listener('stats').address.socket_address).to.deep.equal({ address: '0.0.0.0', port_value: 8003 });
    const routes = hcm('stats').route_config.virtual_hosts.flatMap((v: any) => v.routes);
    expect(routes).to.have.length(1);
    expect(routes[0].match).to.deep.equal({
      path: '/stats',
      headers: [{ name: ':method', string_match: { exact: 'GET' } }],
    });
    const admin = b.static_resources.clusters.find((c: any) => c.name === routes[0].route.cluster);
    expect(admin.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).to.deep.equal({
      address: '127.0.0.1',
      port_value: 9901,
    });
  });

  it('names each route’s stats after its Mapping, and counts Portico’s 503 only where a backend is missing', () => {
    const [missing, cart] = hcm('http').route_config.virtual_hosts[0].routes;
    expect(cart.stat_prefix).to.equal('shop/cart.v2');
    expect(cart.typed_per_filter_config).to.equal(undefined);
    expect(missing.stat_prefix).to.equal('shop/missing');
    const counter = missing.typed_per_filter_config['envoy.filters.http.local_ratelimit'];
    expect(counter.stat_prefix).to.equal('portico_no_backend.shop/missing');
    expect(counter.filter_enforced.default_value.numerator, 'never limits').to.equal(0);
    expect(hcm('http').http_filters.map((f: any) => f.name)).to.deep.equal([
      'envoy.filters.http.local_ratelimit',
      'envoy.filters.http.router',
    ]);
  });

  it('creates a cluster’s traffic stats only when it first takes a request', () => {
    expect(b.deferred_stat_options).to.deep.equal({ enable_deferred_creation_stats: true });
  });

  it('drops the per-route stats the report does not read', () => {
    const [pattern] = b.stats_config.stats_matcher.exclusion_list.patterns;
    const re = new RegExp(pattern.safe_regex.regex);
    expect(re.test('vhost.*.route.shop/cart.v2.upstream_rq_503')).to.equal(true);
    expect(re.test('vhost.*.route.shop/cart.v2.upstream_rq_retry_success')).to.equal(true);
    expect(re.test('vhost.*.route.shop/cart.v2.upstream_rq_2xx')).to.equal(true);
    expect(re.test('vhost.*.route.shop/cart.v2.upstream_rq_5xx')).to.equal(false);
    expect(re.test('vhost.*.route.shop/cart.v2.upstream_rq_completed')).to.equal(false);
    expect(re.test('cluster.shop_cart_80.upstream_rq_503')).to.equal(false);
    expect(re.test('http.http.downstream_rq_active'), 'the preStop drain reads it').to.equal(false);
  });
});
