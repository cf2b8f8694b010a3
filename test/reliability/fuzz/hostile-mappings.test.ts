// Hostile and malformed Mappings (issue 7 §4), fuzzed with fast-check beside a fixed set of valid Mappings:
// huge, unicode, control-character, `..` and `%2e` prefixes; regex-like strings; invalid service strings; ports
// out of range; hosts with wildcards in wrong places; cross-namespace references without a grant. Every case
// must satisfy the invariants in fuzz-harness.ts. Also: the CRD limits hold at the schema (what the API server
// enforces), and thousands of Mappings on one prefix compile, validate and are all served.
import { expect } from 'chai';
import fc from 'fast-check';
import { validateMappingObject } from '../../../operator/api/validators.js';
import type { Snapshot } from '../../../operator/compile/types.js';
import { SCALE, checkInvariants, fuzz, runs, type Expectation } from './fuzz-harness.js';
import {
  NOW,
  NS,
  VALID,
  hostileArb,
  hostileMapping,
  manyHostileArb,
  mapping,
  services,
  validExpectations,
  type Hostile,
} from './hostile-mapping-arbitraries.js';

describe('fuzz: hostile Mappings', function () {
  this.timeout(120_000 * SCALE);

  it('one hostile Mapping beside valid ones: no throw, field named, valid ones served, output validates', () => {
    fuzz('one-hostile-mapping', hostileArb, runs(2500), (h) => {
      const bad = hostileMapping(h, 0);
      const snapshot: Snapshot = { mappings: [...VALID, bad], tlsContexts: [], services, secrets: [], now: NOW };
      checkInvariants(snapshot, [
        ...validExpectations,
        { kind: 'Mapping', namespace: NS, name: bad.metadata.name, badField: h.field },
      ]);
    });
  });

  it('many hostile Mappings at once, with duplicates and shuffled order', () => {
    fuzz('many-hostile-mappings', manyHostileArb, runs(300), ({ hs, ms }) => {
      const expectations: Expectation[] = [
        ...validExpectations,
        ...hs.map((h, i): Expectation => ({ kind: 'Mapping', namespace: NS, name: `hostile-${i}`, badField: h.field })),
      ];
      checkInvariants({ mappings: ms, tlsContexts: [], services, secrets: [], now: NOW }, expectations);
    });
  });

  it('wrong JSON types in every field (what a hand-written file or an old CRD can carry)', () => {
    const junk = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
      fc.double(),
    );
    const arb = fc.record({
      field: fc.constantFrom('spec.prefix', 'spec.rewrite', 'spec.service', 'spec.host'),
      value: junk,
    });
    fuzz('wrong-types', arb, runs(800), ({ field, value }) => {
      const bad = hostileMapping({ field: field as Hostile['field'], value: value as unknown as string }, 0);
      checkInvariants({ mappings: [...VALID, bad], tlsContexts: [], services, secrets: [], now: NOW }, [
        ...validExpectations,
        { kind: 'Mapping', namespace: NS, name: 'hostile-0', badField: field },
      ]);
    });
  });

  it('the invariants are real: they fail on a wrongly named field, an unserved valid object and a throw', () => {
    const bad = hostileMapping({ field: 'spec.prefix', value: '/a/../b' }, 0);
    const snap: Snapshot = { mappings: [...VALID, bad], tlsContexts: [], services, secrets: [], now: NOW };
    expect(() =>
      checkInvariants(snap, [{ kind: 'Mapping', namespace: NS, name: 'hostile-0', badField: 'spec.service' }]),
    ).to.throw(/no condition names spec\.service/);
    expect(() => checkInvariants(snap, [{ kind: 'Mapping', namespace: NS, name: 'hostile-0' }])).to.throw(/not served/);
    const missing = mapping('missing', { prefix: '/m/', service: 'nosuch' });
    expect(() =>
      checkInvariants({ ...snap, mappings: [missing] }, [{ kind: 'Mapping', namespace: NS, name: 'missing' }]),
    ).to.throw(/not served: spec\.service/);
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
      expect(
        errors.map((e) => e.field),
        what,
      ).to.include(field);
      expect(JSON.stringify(errors).length, `${what}: errors do not echo the value`).to.be.lessThan(2000);
    }
  });

  it('thousands of Mappings on one prefix: one canary group, all served, output validates', () => {
    const arb = fc.record({
      n: fc.integer({ min: 1000, max: 3000 }),
      namespaces: fc.integer({ min: 1, max: 20 }),
      host: fc.option(fc.constant('shop.example.com'), { nil: undefined }),
    });
    fuzz('thousands-on-one-prefix', arb, runs(4), ({ n, namespaces, host }) => {
      const same = Array.from({ length: n }, (_, i) =>
        mapping(`same-${i}`, { prefix: '/same/', service: 'web', ...(host ? { host } : {}) }),
      );
      const expectations: Expectation[] = [
        ...validExpectations,
        ...same.map((m): Expectation => ({ kind: 'Mapping', namespace: NS, name: m.metadata.name })),
      ];
      const statuses = checkInvariants(
        { mappings: [...VALID, ...same], tlsContexts: [], services, secrets: [], now: NOW },
        expectations,
      );
      const splitMessage = statuses.find((s) => s.ref.name === 'same-0')!.conditions[0].message;
      expect(splitMessage).to.include(`1/${n} each`);
      void namespaces;
    });
  });
});
