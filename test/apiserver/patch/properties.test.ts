import { expect } from 'chai';
import fc from 'fast-check';
import {
  applyJsonPatch,
  applyMergePatch,
  serverSideApply,
  type KubeObject,
} from '../../../operator/apiserver/patch/index.js';

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/);
const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 100 }), fc.boolean());
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(scalar, { maxLength: 3 }), tie('object')),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).object as fc.Arbitrary<Record<string, unknown>>;
const patchValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.constant(null), tie('object')),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).object as fc.Arbitrary<Record<string, unknown>>;

describe('apiserver/patch: properties', () => {
  it('merge patch is idempotent', () => {
    fc.assert(
      fc.property(json, patchValue, (doc, patch) => {
        const once = applyMergePatch(doc, patch);
        expect(applyMergePatch(once, patch)).to.deep.equal(once);
      }),
      { numRuns: 200 },
    );
  });

  it('a JSON patch add of a scalar member equals the merge patch setting it', () => {
    fc.assert(
      fc.property(json, key, scalar, (doc, k, v) => {
        expect(applyJsonPatch(doc, [{ op: 'add', path: `/${k}`, value: v }])).to.deep.equal(
          applyMergePatch(doc, { [k]: v }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('a sole applier: re-apply is a no-op, and the object follows exactly what it applies', () => {
    const spec = fc.dictionary(key, scalar, { maxKeys: 5 });
    const cr = (s: Record<string, unknown>): KubeObject => ({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: { name: 'm' },
      spec: s,
    });
    const req = { manager: 'kubectl', force: false, apiVersion: 'portico.dev/v1alpha1' };
    fc.assert(
      fc.property(spec, spec, (a, b) => {
        const first = serverSideApply({ ...req, live: undefined, applied: cr(a), now: '2025-01-01T00:00:00Z' }).object;
        expect(
          serverSideApply({ ...req, live: first, applied: cr(a), now: '2025-06-01T00:00:00Z' }).object,
        ).to.deep.equal(first);
        const second = serverSideApply({ ...req, live: first, applied: cr(b), now: '2025-06-01T00:00:00Z' }).object;
        expect(second.spec ?? {}).to.deep.equal(b);
      }),
      { numRuns: 200 },
    );
  });
});
