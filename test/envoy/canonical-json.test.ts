// canonicalJson serialises each distinct object once and reuses its text (a large config repeats shared routes
// and connection managers many times); it must give exactly JSON.stringify's bytes for anything.
import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalJson } from '../../operator/envoy/serialise.js';
import { propertyRuns } from '../support/property-runs.js';

describe('envoy: canonicalJson', () => {
  it('equals JSON.stringify for any JSON-like value, with undefined members and odd keys (property)', () => {
    const value = fc.anything({
      maxDepth: 4,
      withNullPrototype: false,
      withBoxedValues: false,
      withMap: false,
      withSet: false,
      withTypedArray: false,
      withSparseArray: false,
      withBigInt: false,
      withDate: true,
      withObjectString: false,
    });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value), (obj) => {
        expect(canonicalJson(obj)).to.equal(JSON.stringify(obj));
      }),
      { numRuns: propertyRuns(500) },
    );
  });

  it('equals JSON.stringify when sub-objects are shared by reference many times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (pool, picks) => {
          const shared = pool.map((v) => ({ v }));
          const doc = {
            a: picks.map((i) => shared[i % shared.length]),
            b: { again: picks.map((i) => [shared[(i + 1) % shared.length], i]) },
            u: undefined,
            f: () => 1,
          };
          expect(canonicalJson(doc)).to.equal(JSON.stringify(doc));
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });
});
