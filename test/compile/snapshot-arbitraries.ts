// The random snapshots of the compile property tests (fast-check), shared with test/envoy-real, which loads
// samples of them into real Envoy. Names, hosts and services come from small pools so that objects collide
// (same host, same prefix, same name) as often as real clusters make them.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { Mapping, PorticoReferenceGrant, Secret, Service, TLSContext } from '../../operator/api/types.js';
import type { Snapshot } from '../../operator/compile/types.js';

// Test-only certificates (valid, expired, mismatched, wrong type, …) from the TLS golden case.
const fixtureSecrets = (
  yaml.loadAll(readFileSync(new URL('../golden/tls-sni-redirect/input.yaml', import.meta.url), 'utf8')) as Array<
    Secret & { kind?: string }
  >
).filter((d) => d?.kind === 'Secret');

const namespaces = ['default', 'team-a'];
const names = ['a', 'b', 'c', 'svc', 'x-1'];
const nameArb = fc.constantFrom(...names);
const nsArb = fc.constantFrom(...namespaces);
const prefixArb = fc.oneof(
  fc.constantFrom(
    '/',
    '/a',
    '/a/',
    '/api/',
    '/api/v2/',
    '/user',
    '/user/',
    '/x.y',
    '/(a)+',
    '/a//b',
    'no-slash',
    '',
    '/has space',
    '/q?x',
  ),
  fc.stringMatching(/^\/[a-z/]{0,6}$/),
);
const rewriteArb = fc.option(fc.constantFrom('/', '', '/a/', '/v2', '/api/', '//', 'x'), { nil: undefined });
const hostArb = fc.option(
  fc.constantFrom('a.example.com', 'b.example.com', '*.example.com', '*.a.example.com', 'BAD_HOST', '*'),
  { nil: undefined },
);
const serviceArb = fc.oneof(
  fc.constantFrom(
    'a',
    'b:80',
    'c:http',
    'svc.team-a',
    'https://a',
    'http://svc.team-a:8080',
    'missing',
    'a:admin',
    'ftp://a',
    'a/b',
    '',
  ),
  fc
    .tuple(nameArb, fc.option(nsArb), fc.option(fc.constantFrom(80, 8080, 'http', 'grpc')))
    .map(([n, ns, p]) => `${n}${ns ? `.${ns}` : ''}${p ? `:${p}` : ''}`),
);

// A few creation times (some equal, some absent) so that age order and its namespace/name tie-break both run.
const createdArb = fc.option(
  fc.constantFrom(
    '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00Z',
    '2026-02-01T00:00:00Z',
    '2025-06-01T12:00:00Z',
    'garbage',
  ),
  { nil: undefined },
);

// Issue 14's fields, each absent most of the time, with good values, bad ones and combinations (a weight
// above 100 in a group, two shadows, a regex prefix with a rewrite) from small pools so that groups form.
const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 12 }, { arbitrary: arb, weight: 1 });
const routingFieldsArb = fc.record(
  {
    method: opt(fc.constantFrom('GET', 'POST', 'get')),
    headers: opt(
      fc.constantFrom(
        [{ name: 'x-beta', value: '1' }],
        [{ name: 'x-beta' }],
        [{ name: 'X-Beta', value: '2' }, { name: 'x-beta' }],
        [{ name: 'bad name' }],
      ),
    ),
    regexHeaders: opt(
      fc.constantFrom(
        [{ name: 'user-agent', pattern: '^Mozilla/.*' }],
        [{ name: 'x-a', pattern: '(a' }],
        [{ name: 'x-a', pattern: '(?=x)' }],
      ),
    ),
    queryParameters: opt(fc.constantFrom([{ name: 'debug' }], [{ name: 'v', value: '2' }])),
    regexQueryParameters: opt(fc.constantFrom([{ name: 'v', pattern: '[0-9]+' }], [{ name: 'v', pattern: '\\1' }])),
    prefixExact: opt(fc.boolean()),
    prefixRegex: opt(fc.boolean()),
    caseSensitive: opt(fc.boolean()),
    precedence: opt(fc.constantFrom(0, 1, 10, -5, 2.5)),
    weight: opt(fc.constantFrom(0, 10, 50, 90, 100, 101)),
    shadow: opt(fc.boolean()),
    timeout: opt(fc.constantFrom('3s', '500ms', '0s', '1m30s', '3 seconds')),
    idleTimeout: opt(fc.constantFrom('30s', 'x')),
    connectTimeout: opt(fc.constantFrom('250ms', '0s', '3s')),
    retryPolicy: opt(
      fc.constantFrom(
        { retryOn: ['5xx'] },
        { retryOn: ['gateway-error', 'reset'], numRetries: 3, perTryTimeout: '1s' },
        { retryOn: [] },
        { retryOn: ['never'] },
      ),
    ),
    hostRewrite: opt(fc.constantFrom('backend.internal', 'backend:8080', 'bad host')),
    regexRewrite: opt(
      fc.constantFrom({ pattern: '^/a/(.*)$', substitution: '/\\1' }, { pattern: '(', substitution: '/' }),
    ),
    addRequestHeaders: opt(
      fc.constantFrom(
        [{ name: 'x-a', value: 'v' }],
        [{ name: 'x-b', value: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%', append: false }],
        [{ name: 'host', value: 'x' }],
      ),
    ),
    removeResponseHeaders: opt(fc.constantFrom(['server'], ['x-a', 'X-A'])),
    allowUpgrade: opt(fc.constantFrom(['websocket'], ['WebSocket', 'spdy/3.1'])),
    cors: opt(
      fc.constantFrom(
        { origins: ['*'] },
        { origins: ['https://a.example.com'], methods: ['GET'], credentials: true, maxAge: '1h' },
        { origins: [] },
      ),
    ),
    circuitBreakers: opt(
      fc.constantFrom({ maxConnections: 10 }, { maxRetries: 0, maxRequests: 5 }, { maxConnections: 0 }),
    ),
    loadBalancer: opt(
      fc.constantFrom(
        { policy: 'LeastRequest' },
        { policy: 'RingHash', header: 'x-user' },
        { policy: 'Maglev', cookie: { name: 's', ttl: '1h' } },
        { policy: 'RingHash' },
        { policy: 'Random' },
      ),
    ),
    grpc: opt(fc.boolean()),
  },
  { requiredKeys: [] },
);

const mappingArb: fc.Arbitrary<Mapping> = fc
  .record({
    name: nameArb,
    namespace: fc.option(nsArb, { nil: undefined }),
    prefix: prefixArb,
    service: serviceArb,
    rewrite: rewriteArb,
    host: hostArb,
    generation: fc.nat(5),
    created: createdArb,
    routing: fc.option(routingFieldsArb, { nil: undefined, freq: 2 }),
  })
  .map(({ name, namespace, generation, rewrite, host, prefix, service, created, routing }) => ({
    apiVersion: 'portico.dev/v1alpha1' as const,
    kind: 'Mapping' as const,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      generation,
      ...(created ? { creationTimestamp: created } : {}),
    },
    spec: {
      prefix,
      service,
      ...(rewrite !== undefined ? { rewrite } : {}),
      ...(host !== undefined ? { host } : {}),
      ...(Object.fromEntries(Object.entries(routing ?? {}).filter(([, v]) => v !== undefined)) as Partial<
        Mapping['spec']
      >),
    },
  }));

const serviceObjArb: fc.Arbitrary<Service> = fc
  .record({
    name: nameArb,
    namespace: nsArb,
    ports: fc.subarray([{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }, { port: 8080 }]),
  })
  .map(({ name, namespace, ports }) => ({ metadata: { name, namespace }, spec: { ports } }));

const secretNames = [...new Set(fixtureSecrets.map((s) => s.metadata.name))];
const tlsArb: fc.Arbitrary<TLSContext> = fc
  .record({
    name: nameArb,
    namespace: nsArb,
    created: createdArb,
    hosts: fc.option(
      fc.subarray([
        'a.example.com',
        'b.example.com',
        '*.example.com',
        'shop.test',
        '*.shop.test',
        'api.test',
        'Bad Host',
      ]),
      { nil: undefined },
    ),
    secret: fc.constantFrom(...secretNames, 'nope', 'api-tls.certs'),
    redirectCleartext: fc.option(fc.boolean(), { nil: undefined }),
    minTlsVersion: fc.option(fc.constantFrom('v1.2', 'v1.3', '1.2'), { nil: undefined }),
  })
  .map(({ name, namespace, created, hosts, secret, redirectCleartext, minTlsVersion }) => ({
    apiVersion: 'portico.dev/v1alpha1' as const,
    kind: 'TLSContext' as const,
    metadata: { name, namespace, ...(created ? { creationTimestamp: created } : {}) },
    spec: {
      secret,
      ...(hosts ? { hosts } : {}),
      ...(redirectCleartext !== undefined ? { redirectCleartext } : {}),
      ...(minTlsVersion ? { minTlsVersion: minTlsVersion as TLSContext['spec']['minTlsVersion'] } : {}),
    },
  }));

const grantArb: fc.Arbitrary<PorticoReferenceGrant> = fc
  .record({
    name: nameArb,
    namespace: fc.constantFrom(...namespaces, 'certs'),
    from: fc.array(
      fc.record({
        kind: fc.constantFrom('Mapping' as const, 'TLSContext' as const),
        namespace: fc.constantFrom(...namespaces, '*'),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    to: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constantFrom('Service' as const, 'Secret' as const),
          name: fc.option(fc.constantFrom(...names, 'api-tls'), { nil: undefined }),
        }),
        fc.record({
          kind: fc.constant('Host' as const),
          name: fc.option(fc.constantFrom('a.example.com', '*.example.com', 'shop.test'), { nil: undefined }),
        }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ name, namespace, from, to }) => ({
    apiVersion: 'portico.dev/v1alpha1' as const,
    kind: 'PorticoReferenceGrant' as const,
    metadata: { name, namespace },
    spec: { from, to: to.map((t) => (t.name ? t : { kind: t.kind })) },
  }));

export const snapshotArb: fc.Arbitrary<Snapshot> = fc.record({
  referenceGrants: fc.array(grantArb, { maxLength: 3 }),
  mappings: fc.array(mappingArb, { maxLength: 14 }),
  services: fc.array(serviceObjArb, { maxLength: 6 }),
  tlsContexts: fc.array(tlsArb, { maxLength: 4 }),
  secrets: fc.subarray(fixtureSecrets),
  now: fc.constantFrom('2030-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'not a time'),
});

export const optionsArb = fc.record({
  hostOwnership: fc.constantFrom('namespace' as const, 'open' as const),
  externalNameServices: fc.constantFrom('deny' as const, 'allow' as const),
});
