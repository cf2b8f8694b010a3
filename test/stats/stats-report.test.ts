// From Envoy's stat names (as Envoy 1.40 spells them for Portico's config) to the report's figures.
import { expect } from 'chai';
import { statMeaning } from '../../operator/stats/envoy-stat-names.js';
import { buildStatsReport } from '../../operator/stats/stats-report.js';
import { splitStats } from '../../operator/stats/envoy-scrape.js';
import { parseEnvoyStatsJson } from '../../operator/stats/envoy-stats-json.js';

describe('stats: Envoy stat names', () => {
  const cases: Array<[string, ReturnType<typeof statMeaning>]> = [
    [
      'cluster.shop_cart_80.upstream_rq_completed',
      { scope: 'service', id: 'shop/cart', field: 'completed', counter: true },
    ],
    [
      'cluster.shop_cart_443_tls.upstream_rq_5xx',
      { scope: 'service', id: 'shop/cart', field: 'upstream_5xx', counter: true },
    ],
    [
      'cluster.shop_cart_80.membership_healthy',
      { scope: 'service', id: 'shop/cart', field: 'members_healthy', counter: false },
    ],
    [
      'vhost.*.route.shop/cart.upstream_rq_completed',
      { scope: 'mapping', id: 'shop/cart', field: 'completed', counter: true },
    ],
    // Mapping names and virtual host names may hold dots; namespaces may not.
    [
      'vhost.api.route.example.com.route.shop/cart.v2.upstream_rq_5xx',
      { scope: 'mapping', id: 'shop/cart.v2', field: 'upstream_5xx', counter: true },
    ],
    [
      'portico_no_backend.shop/gone.http_local_rate_limit.enabled',
      { scope: 'mapping', id: 'shop/gone', field: 'no_backend', counter: true },
    ],
    ['cluster.portico_admin.upstream_rq_completed', undefined],
    ['vhost.*.route.shop/cart.upstream_rq_503', undefined],
    ['http.http.downstream_rq_5xx', undefined],
  ];
  for (const [name, meaning] of cases) it(name, () => expect(statMeaning(name)).to.deep.equal(meaning));

  it('reads Envoy’s JSON and tells a clear error when it is not', () => {
    const body = JSON.stringify({
      stats: [
        { name: 'server.uptime', value: 7 },
        { name: 'cluster.a_b_80.membership_total', value: 1 },
        { histograms: {} },
      ],
    });
    const s = splitStats(parseEnvoyStatsJson(body));
    expect(s.uptimeSeconds).to.equal(7);
    expect([...s.gauges]).to.deep.equal([['cluster.a_b_80.membership_total', 1]]);
    expect(() => parseEnvoyStatsJson('<html>')).to.throw(/not JSON/);
    expect(() => parseEnvoyStatsJson('{}')).to.throw(/no "stats" list/);
  });
});

describe('stats: the report', () => {
  const totals = new Map([
    ['cluster.shop_cart_80.upstream_rq_completed', 10],
    ['cluster.shop_cart_80.upstream_rq_5xx', 3],
    ['cluster.shop_cart_443_tls.upstream_rq_completed', 2],
    ['vhost.*.route.shop/cart.upstream_rq_completed', 8],
    ['vhost.example.com.route.shop/cart.upstream_rq_completed', 4],
    ['vhost.*.route.shop/cart.upstream_rq_5xx', 3],
    ['portico_no_backend.shop/gone.http_local_rate_limit.enabled', 5],
  ]);
  const report = (endpointCounts?: (s: string) => { healthy: number; total: number } | undefined) =>
    buildStatsReport({
      totals,
      upPodGauges: [
        new Map([
          ['cluster.shop_cart_80.membership_healthy', 1],
          ['cluster.shop_cart_80.membership_total', 1],
          ['cluster.shop_web_80.membership_healthy', 2],
          ['cluster.shop_web_80.membership_total', 3],
        ]),
        new Map([
          ['cluster.shop_web_80.membership_healthy', 1],
          ['cluster.shop_web_80.membership_total', 3],
        ]),
      ],
      envoys: [],
      services: ['shop/web', 'shop/cart'],
      mappings: ['shop/gone', 'shop/cart', 'shop/idle'],
      endpointCounts,
      collectedAt: 't1',
      countingSince: 't0',
    });

  it('sums a Service’s clusters and a Mapping’s routes over every virtual host; ok is completed minus 5xx', () => {
    const r = report();
    expect(r.services['shop/cart']).to.deep.include({ requests: 12, upstream_ok: 9, upstream_bad: 3 });
    expect(r.mappings).to.deep.equal({
      'shop/cart': { requests: 12, upstream_ok: 9, upstream_bad: 3, no_backend: 0 },
      'shop/gone': { requests: 5, upstream_ok: 0, upstream_bad: 0, no_backend: 5 },
      'shop/idle': { requests: 0, upstream_ok: 0, upstream_bad: 0, no_backend: 0 },
    });
    expect(Object.keys(r.services), 'sorted').to.deep.equal(['shop/cart', 'shop/web']);
  });

  it('members: from EndpointSlices where given, else the fewest healthy and most in total any Envoy sees', () => {
    expect(report().services['shop/web']).to.deep.include({
      healthy_members: 1,
      total_members: 3,
      members_from: 'envoy',
    });
    const r = report((s) => (s === 'shop/cart' ? { healthy: 2, total: 3 } : undefined));
    expect(r.services['shop/cart']).to.deep.include({
      healthy_members: 2,
      total_members: 3,
      members_from: 'endpointslices',
    });
    expect(r.services['shop/web'].members_from).to.equal('envoy');
  });
});
