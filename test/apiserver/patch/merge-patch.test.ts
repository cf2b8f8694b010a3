import { expect } from 'chai';
import { applyMergePatch } from '../../../operator/apiserver/patch/index.js';
import { kubectlLocalPatch } from './kubectl-local.js';

// RFC 7386 Appendix A, every row.
const rfcCases: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [
    ['a', 'b'],
    ['c', 'd'],
    ['c', 'd'],
  ],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('apiserver/patch: merge patch (RFC 7386)', () => {
  rfcCases.forEach(([doc, patch, expected], i) => {
    it(`Appendix A row ${i + 1}: ${JSON.stringify(doc)} + ${JSON.stringify(patch)}`, () => {
      const before = JSON.stringify(doc);
      expect(applyMergePatch(doc, patch)).to.deep.equal(expected);
      expect(JSON.stringify(doc)).to.equal(before, 'the input must not be modified');
    });
  });

  it('matches kubectl patch --local --type merge on a Deployment (lists replaced, null deletes)', async () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'a', image: 'a:1' },
              { name: 'b', image: 'b:1' },
            ],
          },
        },
      },
    };
    const patch = {
      metadata: { labels: { tier: null, env: 'prod' } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'a', image: 'a:2' }] } } },
    };
    const real = await kubectlLocalPatch(d, 'merge', patch);
    expect(real.ok).to.equal(true);
    expect(applyMergePatch(d, patch)).to.deep.equal((real as { object: unknown }).object);
  });
});
