// Hostile and malformed Mappings (issue 7 §4), fuzzed with fast-check beside a fixed set of valid Mappings:
// huge, unicode, control-character, `..` and `%2e` prefixes; regex-like strings; invalid service strings; ports
// out of range; hosts with wildcards in wrong places; cross-namespace references without a grant. Every case
// must satisfy the invariants in fuzz-harness.ts. Also: the CRD limits hold at the schema (what the API server
// enforces), and thousands of Mappings on one prefix compile, validate and are all served.
import { expect } from 'chai';
import fc from 'fast-check';
import type { Mapping, Service } from '../../../operator/api/types.js';
import { validateMappingObject } from '../../../operator/api/validators.js';
import type { Snapshot } from '../../../operator/compile/types.js';
import { SCALE, checkInvariants, fuzz, runs, type Expectation } from './fuzz-harness.js';

const NOW = '2030-01-01T00:00:00Z';
const NS = 'fuzz';
const mapping = (name: string, spec: Record<string, unknown>, namespace = NS): Mapping =>
  ({ apiVersion: 'portico.dev/v1alpha1', kind: 'Mapping', metadata: { name, namespace, generation: 1 }, spec }) as unknown as Mapping;

const services: Service[] = [
  { metadata: { name: 'web', namespace: NS }, spec: { ports: [{ name: 'http', port: 80 }] } },
  { metadata: { name: 'api', namespace: NS }, spec: { ports: [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9090 }] } },
  { metadata: { name: 'other', namespace: 'elsewhere' }, spec: { ports: [{ port: 80 }] } },
];
const VALID: Mapping[] = [
  mapping('valid-root', { prefix: '/', service: 'web' }),
  mapping('valid-api', { prefix: '/api/', service: 'api:http', rewrite: '' }),
  mapping('valid-host', { prefix: '/h/', service: 'web', host: 'shop.example.com' }),
  mapping('valid-wild', { prefix: '/w/', service: 'api:grpc', host: '*.example.com', rewrite: '/x/' }),
];
const validExpectations: Expectation[] = VALID.map((m) => ({ kind: 'Mapping', namespace: NS, name: m.metadata.name }));

// --- hostile strings -------------------------------------------------------------------------------------
const huge = fc.integer({ min: 1025, max: 100_000 }).chain((n) => fc.constantFrom('a', '/', '%2e', 'é', '.*').map((unit) => `/${unit.repeat(Math.ceil(n / unit.length))}`));
const unicode = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`);
const controls = fc.array(fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), { minLength: 1, maxLength: 5 }).chain((cs) =>
  fc.constantFrom(`/a${cs.join('')}b/`, `/${cs.join('')}`, `/x/\u007f`, `/line\nbreak`, `/tab\there`),
);
const dotty = fc
  .array(fc.constantFrom('..', '.', '%2e', '%2E', '%2e%2e', '.%2e', '%2E.', 'a', 'admin', '', '%2f', '%5C', '%', '%zz', '%c3%a9', '%7e'), { minLength: 1, maxLength: 6 })
  .map((segs) => `/${segs.join('/')}`);
const regexLike = fc.constantFrom('.*', '(', '[', '[a-z]+', '(a|b)*', '\\d+', '^/x$', '$', '{1,2}', '*', '+?', '\\').chain((r) =>
  fc.constantFrom(`/${r}`, `/${r}/`, `/api/${r}`, r, `/${r}${r}`),
);
const randomPath = fc.string({ maxLength: 30 });
const hostilePath = fc.oneof(huge, unicode, controls, dotty, regexLike, randomPath);

const badPort = fc.oneof(fc.constantFrom(0, -1, 65536, 99999, 2 ** 31, 1e21), fc.integer({ min: 65536, max: 10_000_000 }), fc.integer({ min: -1000, max: 0 }));
const hostileService = fc.oneof(
  badPort.map((p) => `web:${p}`),
  badPort.map((p) => `https://api.${NS}:${p}`),
  fc.constantFrom('', ' ', 'web:', ':80', 'web::80', 'web:http:80', 'ftp://web', 'http://', 'web/path', 'web?x', 'user@web', '[::1]:80', 'WEB', 'web.', '.web',
    'a.b.c.d', 'web.svc.cluster.local', 'web:' + 'p'.repeat(16), 'web:1e3', 'web:0x50', 'web:+80', 'web:８０', '-web', 'web-', 'x'.repeat(64), 'other.elsewhere', 'nosuch', 'api:nope', 'api'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 513, max: 50_000 }).map((n) => 'w'.repeat(n)),
);
const hostileHost = fc.oneof(
  fc.constantFrom('*', '**', '*.', '*.*.example.com', 'a.*.example.com', 'example.*', '*example.com', 'ex*ample.com', 'example.com*', '.example.com', 'example.com.',
    'EXAMPLE.com', 'exa mple.com', 'example.com:8080', '-a.com', 'a-.com', 'xn--caf-dma.com', 'café.com', '*.com', 'a'.repeat(64) + '.com', `${'a.'.repeat(130)}com`, '1.2.3.4', '[::1]'),
  fc.string({ maxLength: 30 }),
  fc.stringMatching(/^[a-z*.]{1,12}$/),
);

type Hostile = { field: 'spec.prefix' | 'spec.rewrite' | 'spec.service' | 'spec.host'; value: string };
const hostileArb: fc.Arbitrary<Hostile> = fc.oneof(
  { weight: 4, arbitrary: hostilePath.map((value) => ({ field: 'spec.prefix' as const, value })) },
  { weight: 2, arbitrary: hostilePath.map((value) => ({ field: 'spec.rewrite' as const, value })) },
  { weight: 3, arbitrary: hostileService.map((value) => ({ field: 'spec.service' as const, value })) },
  { weight: 2, arbitrary: hostileHost.map((value) => ({ field: 'spec.host' as const, value })) },
);

function hostileMapping(h: Hostile, i: number): Mapping {
  const spec: Record<string, unknown> = { prefix: `/hostile-${i}/`, service: 'web' };
  spec[h.field.slice('spec.'.length)] = h.value;
  return mapping(`hostile-${i}`, spec);
}

describe('fuzz: hostile Mappings', function () {
  this.timeout(120_000 * SCALE);

  it('one hostile Mapping beside valid ones: no throw, field named, valid ones served, output validates', () => {
    fuzz('one-hostile-mapping', hostileArb, runs(2500), (h) => {
      const bad = hostileMapping(h, 0);
      const snapshot: Snapshot = { mappings: [...VALID, bad], tlsContexts: [], services, secrets: [], now: NOW };
      checkInvariants(snapshot, [...validExpectations, { kind: 'Mapping', namespace: NS, name: bad.metadata.name, badField: h.field }]);
    });
  });

  it('many hostile Mappings at once, with duplicates and shuffled order', () => {
    const arb = fc.array(hostileArb, { minLength: 1, maxLength: 25 }).chain((hs) => fc.shuffledSubarray([...VALID, ...hs.map(hostileMapping)], { minLength: VALID.length + hs.length }).map((ms) => ({ hs, ms })));
    fuzz('many-hostile-mappings', arb, runs(300), ({ hs, ms }) => {
      const expectations: Expectation[] = [...validExpectations, ...hs.map((h, i): Expectation => ({ kind: 'Mapping', namespace: NS, name: `hostile-${i}`, badField: h.field }))];
      checkInvariants({ mappings: ms, tlsContexts: [], services, secrets: [], now: NOW }, expectations);
    });
  });

  it('wrong JSON types in every field (what a hand-written file or an old CRD can carry)', () => {
    const junk = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }), fc.double());
    const arb = fc.record({ field: fc.constantFrom('spec.prefix', 'spec.rewrite', 'spec.service', 'spec.host'), value: junk });
    fuzz('wrong-types', arb, runs(800), ({ field, value }) => {
      const bad = hostileMapping({ field: field as Hostile['field'], value: value as string }, 0);
      checkInvariants({ mappings: [...VALID, bad], tlsContexts: [], services, secrets: [], now: NOW }, [...validExpectations, { kind: 'Mapping', namespace: NS, name: 'hostile-0', badField: field }]);
    });
  });

  it('the invariants are real: they fail on a wrongly named field, an unserved valid object and a throw', () => {
    const bad = hostileMapping({ field: 'spec.prefix', value: '/a/../b' }, 0);
    const snap: Snapshot = { mappings: [...VALID, bad], tlsContexts: [], services, secrets: [], now: NOW };
    expect(() => checkInvariants(snap, [{ kind: 'Mapping', namespace: NS, name: 'hostile-0', badField: 'spec.service' }])).to.throw(/no condition names spec\.service/);
    expect(() => checkInvariants(snap, [{ kind: 'Mapping', namespace: NS, name: 'hostile-0' }])).to.throw(/not served/);
    const missing = mapping('missing', { prefix: '/m/', service: 'nosuch' });
    expect(() => checkInvariants({ ...snap, mappings: [missing] }, [{ kind: 'Mapping', namespace: NS, name: 'missing' }])).to.throw(/not served: spec\.service/);
    const boom = (): void => {
      throw new Error('boom');
    };
    expect(() => fuzz('self-test', fc.integer(), 10, boom, false)).to.throw(/self-test: boom/);
  });

  it('the CRD schema (what the API server enforces, 422) refuses huge and malformed fields, naming them', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['100 KB prefix', { prefix: `/${'a'.repeat(100_000)}`, service: 'web' }, 'spec.prefix'],
      ['100 KB rewrite', { prefix: '/', rewrite: `/${'a'.repeat(100_000)}`, service: 'web' }, 'spec.rewrite'],
      ['100 KB service', { prefix: '/', service: 'w'.repeat(100_000) }, 'spec.service'],
      ['100 KB host', { prefix: '/', service: 'web', host: `${'a.'.repeat(50_000)}com` }, 'spec.host'],
      ['control character in prefix', { prefix: '/a\u0001b', service: 'web' }, 'spec.prefix'],
      ['non-ASCII prefix', { prefix: '/café/', service: 'web' }, 'spec.prefix'],
      ['wildcard in the middle of host', { prefix: '/', service: 'web', host: 'a.*.example.com' }, 'spec.host'],
    ];
    for (const [what, spec, field] of cases) {
      const errors = validateMappingObject(mapping('m', spec));
      expect(errors.map((e) => e.field), what).to.include(field);
      expect(JSON.stringify(errors).length, `${what}: errors do not echo the value`).to.be.lessThan(2000);
    }
  });

  it('thousands of Mappings on one prefix: one canary group, all served, output validates', () => {
    const arb = fc.record({ n: fc.integer({ min: 1000, max: 3000 }), namespaces: fc.integer({ min: 1, max: 20 }), host: fc.option(fc.constant('shop.example.com'), { nil: undefined }) });
    fuzz('thousands-on-one-prefix', arb, runs(4), ({ n, namespaces, host }) => {
      const same = Array.from({ length: n }, (_, i) => mapping(`same-${i}`, { prefix: '/same/', service: 'web', ...(host ? { host } : {}) }));
      const expectations: Expectation[] = [...validExpectations, ...same.map((m): Expectation => ({ kind: 'Mapping', namespace: NS, name: m.metadata.name }))];
      const statuses = checkInvariants({ mappings: [...VALID, ...same], tlsContexts: [], services, secrets: [], now: NOW }, expectations);
      const splitMessage = statuses.find((s) => s.ref.name === 'same-0')!.conditions[0].message;
      expect(splitMessage).to.include(`1/${n} each`);
      void namespaces;
    });
  });
});
