// The dev gateway's reading of Envoy route tables, on hand-written route configs (each row a request).
import { expect } from 'chai';
import { routeRequest, pickVirtualHost } from '../../operator/devgateway/route-model.js';

const bootstrap = (virtual_hosts: object[]) => ({
  static_resources: {
    listeners: [
      {
        address: { socket_address: { address: '0.0.0.0', port_value: 8080 } },
        filter_chains: [{ filters: [{ name: 'hcm', typed_config: { route_config: { virtual_hosts } } }] }],
      },
    ],
    clusters: [],
  },
});

const config = bootstrap([
  {
    name: 'api',
    domains: ['api.example.com'],
    routes: [{ name: 'api-root', match: { prefix: '/' }, route: { cluster: 'api' } }],
  },
  {
    name: 'wild',
    domains: ['*.example.com'],
    routes: [{ name: 'wild-root', match: { prefix: '/' }, route: { cluster: 'wild' } }],
  },
  {
    name: 'deeper',
    domains: ['*.eu.example.com'],
    routes: [{ name: 'eu-root', match: { prefix: '/' }, route: { cluster: 'eu' } }],
  },
  {
    name: 'any',
    domains: ['*'],
    routes: [
      { name: 'exact', match: { path: '/healthz' }, direct_response: { status: 200, body: { inline_string: 'ok' } } },
      {
        name: 'post-only',
        match: { prefix: '/form', headers: [{ name: ':method', string_match: { exact: 'POST' } }] },
        route: { cluster: 'forms' },
      },
      { name: 'regex', match: { safe_regex: { regex: '/v[0-9]+/items' } }, route: { cluster: 'items' } },
      {
        name: 'canary-a',
        match: { prefix: '/c/', runtime_fraction: { default_value: { numerator: 500000, denominator: 'MILLION' } } },
        route: { cluster: 'a', prefix_rewrite: '/' },
      },
      { name: 'canary-b', match: { prefix: '/c/' }, route: { cluster: 'b', prefix_rewrite: '/' } },
      {
        name: 'weighted',
        match: { prefix: '/w/' },
        route: {
          weighted_clusters: {
            clusters: [
              { name: 'w1', weight: 1 },
              { name: 'w2', weight: 3 },
            ],
          },
        },
      },
      {
        name: 'user',
        match: { prefix: '/user' },
        route: { cluster: 'user', regex_rewrite: { pattern: { regex: '^/user/*' }, substitution: '/' } },
      },
      {
        name: 'down',
        match: { prefix: '/down/' },
        direct_response: { status: 503, body: { inline_string: 'no healthy upstream' } },
      },
      { name: 'secure', match: { prefix: '/secure/' }, redirect: { https_redirect: true } },
    ],
  },
]);

describe('dev gateway: route model', () => {
  const cases: Array<[string, Parameters<typeof routeRequest>[1], object]> = [
    [
      'exact host wins over wildcard',
      { port: 8080, host: 'api.example.com:8080', path: '/x' },
      { kind: 'forward', cluster: 'api', path: '/x' },
    ],
    ['wildcard host', { port: 8080, host: 'shop.example.com', path: '/x' }, { kind: 'forward', cluster: 'wild' }],
    ['longest wildcard wins', { port: 8080, host: 'a.eu.example.com', path: '/x' }, { kind: 'forward', cluster: 'eu' }],
    [
      'bare domain does not match its own wildcard',
      { port: 8080, host: 'example.com', path: '/healthz' },
      { kind: 'direct', status: 200, body: 'ok' },
    ],
    ['exact path', { port: 8080, host: 'h', path: '/healthz?probe=1' }, { kind: 'direct', status: 200 }],
    ['header matcher refuses GET', { port: 8080, host: 'h', path: '/form', method: 'GET' }, { kind: 'not-found' }],
    [
      'header matcher takes POST',
      { port: 8080, host: 'h', path: '/form', method: 'POST' },
      { kind: 'forward', cluster: 'forms' },
    ],
    [
      'regex matches the whole path',
      { port: 8080, host: 'h', path: '/v2/items' },
      { kind: 'forward', cluster: 'items' },
    ],
    ['regex does not match a longer path', { port: 8080, host: 'h', path: '/v2/items/1' }, { kind: 'not-found' }],
    [
      'runtime fraction admits low randoms',
      { port: 8080, host: 'h', path: '/c/x', random: 10 },
      { kind: 'forward', cluster: 'a', path: '/x' },
    ],
    [
      'runtime fraction falls through for high randoms',
      { port: 8080, host: 'h', path: '/c/x', random: 999_999 },
      { kind: 'forward', cluster: 'b', path: '/x' },
    ],
    [
      'weighted clusters by weight',
      { port: 8080, host: 'h', path: '/w/', random: 0 },
      { kind: 'forward', cluster: 'w1' },
    ],
    [
      'weighted clusters, heavier one',
      { port: 8080, host: 'h', path: '/w/', random: 2 },
      { kind: 'forward', cluster: 'w2' },
    ],
    [
      'regex rewrite never leaves //',
      { port: 8080, host: 'h', path: '/user/health' },
      { kind: 'forward', cluster: 'user', path: '/health' },
    ],
    [
      'regex rewrite keeps the query',
      { port: 8080, host: 'h', path: '/user/a?b=c' },
      { kind: 'forward', path: '/a?b=c' },
    ],
    [
      'direct 503 answers instead of falling through',
      { port: 8080, host: 'h', path: '/down/x' },
      { kind: 'direct', status: 503 },
    ],
    [
      'https redirect keeps host and path',
      { port: 8080, host: 'h:8080', path: '/secure/p?q=1' },
      { kind: 'redirect', status: 301, location: 'https://h/secure/p?q=1' },
    ],
    ['no route', { port: 8080, host: 'h', path: '/nothing' }, { kind: 'not-found' }],
    ['no listener on the port', { port: 9999, host: 'h', path: '/' }, { kind: 'no-listener' }],
  ];
  for (const [name, request, expected] of cases) {
    it(name, () => expect(routeRequest(config, request)).to.include(expected));
  }

  it('reads a trailing-dot Host as the name without it when the connection manager strips it, as Envoy does', () => {
    const stripping = JSON.parse(JSON.stringify(config));
    stripping.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.strip_trailing_host_dot = true;
    expect(routeRequest(stripping, { port: 8080, host: 'api.example.com.', path: '/' })).to.include({ cluster: 'api' });
    expect(routeRequest(stripping, { port: 8080, host: 'api.example.com.:8080', path: '/' })).to.include({
      cluster: 'api',
    });
    expect(routeRequest(stripping, { port: 8080, host: 'other.test.', path: '/secure/' })).to.include({
      kind: 'redirect',
      location: 'https://other.test/secure/',
    });
    expect(routeRequest(config, { port: 8080, host: 'api.example.com.', path: '/' })).to.not.include({
      cluster: 'api',
    });
  });

  it('picks no virtual host when nothing matches and there is no catch-all', () => {
    expect(pickVirtualHost([{ domains: ['a.com'] }], 'b.com')).to.equal(undefined);
  });
});

describe('dev gateway: route model, TLS listener', () => {
  const chain = (names: string[] | undefined, cluster: string) => ({
    ...(names ? { filter_chain_match: { server_names: names } } : {}),
    filters: [
      {
        name: 'hcm',
        typed_config: {
          route_config: {
            virtual_hosts: [
              {
                name: cluster,
                domains: ['*'],
                routes: [{ name: cluster, match: { prefix: '/' }, route: { cluster } }],
              },
            ],
          },
        },
      },
    ],
  });
  const tls = {
    static_resources: {
      listeners: [
        {
          address: { socket_address: { port_value: 8443 } },
          filter_chains: [
            chain(['a.example.com'], 'exact'),
            chain(['*.example.com'], 'wild'),
            chain(['*.eu.example.com'], 'eu'),
            chain(undefined, 'default'),
          ],
        },
      ],
      clusters: [],
    },
  };
  const cases: Array<[string, string, string]> = [
    ['exact SNI name', 'a.example.com', 'exact'],
    ['wildcard SNI name', 'b.example.com', 'wild'],
    ['longest wildcard SNI name', 'x.eu.example.com', 'eu'],
    ['the default chain for other names', 'other.org', 'default'],
  ];
  for (const [name, sni, cluster] of cases) {
    it(name, () => expect(routeRequest(tls, { port: 8443, host: sni, path: '/' })).to.include({ cluster }));
  }
});

describe('dev gateway: query parameter matches, as Envoy reads them', () => {
  const q = bootstrap([
    {
      name: 'any',
      domains: ['*'],
      routes: [
        {
          name: 'beta',
          match: { prefix: '/', query_parameters: [{ name: 'v', string_match: { exact: 'a b' } }] },
          route: { cluster: 'beta' },
        },
        {
          name: 'debug',
          match: { prefix: '/', query_parameters: [{ name: 'debug', present_match: true }] },
          route: { cluster: 'debug' },
        },
        { name: 'rest', match: { prefix: '/' }, route: { cluster: 'rest' } },
      ],
    },
  ]);
  const cases: Array<[string, string]> = [
    ['/x?v=a%20b', 'beta'], // percent-decoded before matching
    ['/x?v=a+b', 'rest'], // `+` is not a space to Envoy
    ['/x?v=a%20b&v=other', 'beta'], // the first value counts
    ['/x?debug', 'debug'],
    ['/x?debug=1', 'debug'],
    ['/x?nodebug=1', 'rest'],
    ['/x', 'rest'],
  ];
  for (const [path, cluster] of cases) {
    it(`${path} → ${cluster}`, () => expect(routeRequest(q, { port: 8080, host: 'h', path })).to.include({ cluster }));
  }
});
