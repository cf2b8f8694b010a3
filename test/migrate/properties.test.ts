// Properties of portico migrate over generated Emissary Mappings, well-formed or not: it never throws, every
// field is reported exactly once or more (nothing silently ignored), what it writes passes the Portico schema,
// and the operator's compiler accepts every Mapping it writes (never Invalid, never UnsupportedField), whichever
// fields compile/ serves today.
import { expect } from 'chai';
import fc from 'fast-check';
import type { Mapping, Service } from '../../operator/api/types.js';
import { validateMappingObject } from '../../operator/api/validators.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { migrate } from '../../operator/migrate/index.js';
import { propertyRuns } from '../support/property-runs.js';

const value = fc.oneof(
  fc.constantFrom(true, false, 0, -1, 3000, 'x', '', null),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -5, max: 200_000 }),
);
const headerMap = fc.dictionary(
  fc.constantFrom('x-a', 'X-B', ':authority', ':method', 'bad name', 'host'),
  fc.oneof(fc.constantFrom(true, 'v1', '', 'a.example.com'), value),
  { maxKeys: 3 },
);

/** Emissary fields with values Portico may or may not carry; a generated Mapping sets a few of them. */
const OPTIONAL = {
  rewrite: fc.constantFrom('/', '', '/v1/', 'x', '/a/./b'),
  host: fc.constantFrom('a.example.com', 'A.Example.com', '*', '*.example.com', 'a.example.com:8080', 'bad host'),
  hostname: fc.constantFrom('*', '*.example.com', 'api.*', 'b.example.com'),
  host_regex: fc.boolean(),
  method: fc.constantFrom('GET', 'post', 'GET|POST', 'M-SEARCH'),
  headers: headerMap,
  regex_headers: headerMap,
  query_parameters: headerMap,
  timeout_ms: value,
  idle_timeout_ms: value,
  connect_timeout_ms: value,
  weight: value,
  precedence: value,
  shadow: value,
  prefix_regex: value,
  case_sensitive: value,
  host_rewrite: fc.constantFrom('backend.internal', 'bad host', 'b:8080'),
  retry_policy: fc.record(
    {
      retry_on: fc.constantFrom('5xx', 'gateway-error', 'retriable-status-codes', 'never'),
      num_retries: value,
      per_try_timeout: fc.constantFrom('1s', '0.5s', '0s', '1 s', '250ms'),
    },
    { requiredKeys: [] },
  ),
  cors: fc.record(
    {
      origins: fc.constantFrom('https://a.example.com', ['*'], 'https://a.example.com/path', [1]),
      methods: fc.constantFrom('GET, POST', ['get']),
      max_age: fc.constantFrom('86400', 'a day'),
    },
    { requiredKeys: [] },
  ),
  add_request_headers: fc.dictionary(
    fc.constantFrom('x-a', 'Host', 'bad name'),
    fc.oneof(fc.string({ maxLength: 4 }), fc.record({ value: fc.string({ maxLength: 4 }), append: fc.boolean() })),
    { maxKeys: 2 },
  ),
  remove_response_headers: fc.oneof(
    fc.constantFrom('server', 'bad name'),
    fc.array(fc.constantFrom('server', 'x-a', 'server'), { maxLength: 3 }),
  ),
  allow_upgrade: fc.oneof(
    fc.constantFrom('websocket'),
    fc.array(fc.constantFrom('websocket', 'spdy/3.1', 'web socket'), { maxLength: 2 }),
  ),
  use_websocket: value,
  circuit_breakers: fc.array(
    fc.record(
      { priority: fc.constantFrom('default', 'high'), max_connections: value, max_retries: value },
      { requiredKeys: [] },
    ),
    { maxLength: 2 },
  ),
  load_balancer: fc.record(
    {
      policy: fc.constantFrom('round_robin', 'ring_hash', 'maglev', 'random'),
      header: fc.constantFrom('x-user'),
      source_ip: fc.boolean(),
      cookie: fc.record({ name: fc.constantFrom('session', 'bad name'), ttl: fc.constantFrom('1h', 'forever') }),
    },
    { requiredKeys: ['policy'] },
  ),
  grpc: value,
  bypass_auth: value,
  labels: fc.constant({ ambassador: [{ request: [{ remote_address: { key: 'remote_address' } }] }] }),
  ambassador_id: fc.constantFrom(['default'], 'other', ['_automatic_']),
  some_future_field: value,
};

const emissarySpec = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('/', '/a/', '/api/v1/', '/man') },
      { weight: 1, arbitrary: fc.constantFrom('nope', '/a//b', '/x?y', '/%7e/', '', undefined) },
    ),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('svc', 'svc:8080', 'svc.other', 'https://svc', 'svc.other:https') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '127.0.0.1:80',
          'example.com',
          'http://svc/path',
          'ftp://svc',
          'svc:0',
          '',
          undefined,
        ),
      },
    ),
    fc
      .subarray(Object.keys(OPTIONAL) as Array<keyof typeof OPTIONAL>, { maxLength: 3 })
      .chain((keys) =>
        fc.record(Object.fromEntries(keys.map((k) => [k, OPTIONAL[k]])) as Record<string, fc.Arbitrary<unknown>>),
      ),
  )
  .map(
    ([prefix, service, rest]) =>
      ({
        ...(prefix === undefined ? {} : { prefix }),
        ...(service === undefined ? {} : { service }),
        ...rest,
      }) as Record<string, unknown>,
  );

const services: Service[] = ['svc', 'other'].flatMap((ns) => [
  {
    metadata: { name: 'svc', namespace: ns },
    spec: { ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }, { port: 8080 }] },
  },
]);

describe('migrate: properties', () => {
  it('the generated Mappings are often written, so the properties below test something', () => {
    const samples = fc.sample(fc.array(emissarySpec, { minLength: 1, maxLength: 4 }), { numRuns: 200, seed: 1 });
    const written = samples.map(
      (specs) =>
        migrate(
          specs.map((spec, i) => ({
            object: { apiVersion: 'getambassador.io/v2', kind: 'Mapping', metadata: { name: `m${i}` }, spec },
            source: 'x',
          })),
          { unservedMappingFields: [] },
        ).objects.length,
    );
    const total = samples.reduce((n, s) => n + s.length, 0);
    const rate = written.reduce((a, b) => a + b, 0) / total;
    expect(rate, `${(rate * 100).toFixed(0)} % of ${total} generated Mappings written`).to.be.greaterThan(0.2);
  });

  for (const [label, unservedMappingFields] of [
    ['with what compile/ serves today', undefined],
    ['with every field served', []],
  ] as const) {
    it(`${label}: never throws, reports every field, writes only what the schema and the compiler accept`, () => {
      fc.assert(
        fc.property(fc.array(emissarySpec, { minLength: 1, maxLength: 4 }), (specs) => {
          const docs = specs.map((spec, i) => ({
            object: {
              apiVersion: i % 2 ? 'getambassador.io/v2' : 'getambassador.io/v3alpha1',
              kind: 'Mapping',
              metadata: { name: `m${i}`, namespace: 'default' },
              spec,
            },
            source: `in.yaml:${i + 1}`,
          }));
          const r = migrate(docs, unservedMappingFields ? { unservedMappingFields } : {});
          r.reports.forEach((report, i) => {
            const reported = new Set(report.notes.map((n) => n.field.replace(/^\(default\) /, '').split(/[.[]/)[0]));
            for (const field of Object.keys(specs[i]))
              expect(reported.has(field) || reported.has('(object)'), `${field} of m${i} not reported`).to.equal(true);
          });
          for (const o of r.objects) expect(validateMappingObject(o), JSON.stringify(o)).to.deep.equal([]);
          if (unservedMappingFields) return;
          const { statuses } = compileSnapshot({
            mappings: r.objects as unknown as Mapping[],
            services,
            tlsContexts: [],
            secrets: [],
            now: '2030-01-01T00:00:00Z',
          });
          for (const s of statuses) {
            const accepted = s.conditions.find((c) => c.type === 'Accepted')!;
            // A shadow is judged with the Mappings it mirrors, which a generated set may lack (as in Emissary).
            if (accepted.reason === 'Invalid' && accepted.message.startsWith('spec.shadow: ')) continue;
            expect(['Invalid', 'UnsupportedField'], `${s.ref.name}: ${accepted.message}`).to.not.include(
              accepted.reason,
            );
          }
        }),
        { numRuns: propertyRuns(300) },
      );
    });
  }
});
