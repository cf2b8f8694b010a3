import { expect } from 'chai';
import fc from 'fast-check';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { realisticBootstrap } from './realistic-bootstrap.js';
import { propertyRuns } from '../support/property-runs.js';

/** Every object/array location inside a document, as a list of keys from the root. */
function locations(doc: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(doc)) doc.forEach((v, i) => locations(v, [...at, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) locations(v, [...at, k], out);
  return out;
}

const base = realisticBootstrap(1);
const spots = locations(base).filter((p) => p.length > 0);

describe('envoy/validate: robustness (fast-check)', () => {
  it('never throws on arbitrary JSON and always returns well-formed issues', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (json) => {
        const issues = validateEnvoyBootstrap(json);
        for (const issue of issues) {
          expect(issue.path).to.be.a('string');
          expect(issue.message).to.be.a('string').and.not.equal('');
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('replacing an object or array of a valid bootstrap by another JSON kind is reported at exactly that path', () => {
    const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
    const insideStruct = (spot: (string | number)[]) =>
      spot.slice(0, -1).some((k) => k === 'json_format' || k === 'static_layer');
    const format = (spot: (string | number)[]) =>
      spot
        .map((k, i) =>
          typeof k === 'number'
            ? `[${k}]`
            : /^[A-Za-z_]\w*$/.test(k)
              ? i === 0
                ? k
                : `.${k}`
              : `[${JSON.stringify(k)}]`,
        )
        .join('');
    const structured = spots.filter(
      (spot) => !insideStruct(spot) && ['object', 'array'].includes(kind(valueAt(base, spot))),
    );
    expect(structured.length).to.be.greaterThan(50);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: structured.length - 1 }),
        fc.jsonValue({ maxDepth: 2 }),
        (spotIndex, replacement) => {
          const doc = realisticBootstrap(1);
          const spot = structured[spotIndex];
          const parent = valueAt(doc, spot.slice(0, -1)) as any;
          const before = parent[spot[spot.length - 1]];
          fc.pre(replacement !== null && kind(replacement) !== kind(before)); // null means "unset", which may be valid
          parent[spot[spot.length - 1]] = replacement;
          const paths = validateEnvoyBootstrap(doc).map((i) => i.path);
          expect(paths).to.include(format(spot));
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });
});

function valueAt(doc: unknown, spot: (string | number)[]): unknown {
  let v: any = doc;
  for (const key of spot) v = v[key];
  return v;
}
