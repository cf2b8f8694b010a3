import { expect } from 'chai';
import { applyJsonPatch, PatchError, GENERIC_INVALID_MESSAGE } from '../../../operator/apiserver/patch/index.js';
import { kubectlLocalPatch } from './kubectl-local.js';

function failure(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(PatchError);
    return e as PatchError;
  }
  throw new Error('expected a PatchError');
}

// RFC 6902 Appendix A (A.13, a document with a duplicate key, cannot be written as a JS value).
const rfcCases: { name: string; doc: unknown; patch: unknown; expected?: unknown; fails?: boolean }[] = [
  {
    name: 'A.1 adding an object member',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz', value: 'qux' }],
    expected: { baz: 'qux', foo: 'bar' },
  },
  {
    name: 'A.2 adding an array element',
    doc: { foo: ['bar', 'baz'] },
    patch: [{ op: 'add', path: '/foo/1', value: 'qux' }],
    expected: { foo: ['bar', 'qux', 'baz'] },
  },
  {
    name: 'A.3 removing an object member',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'remove', path: '/baz' }],
    expected: { foo: 'bar' },
  },
  {
    name: 'A.4 removing an array element',
    doc: { foo: ['bar', 'qux', 'baz'] },
    patch: [{ op: 'remove', path: '/foo/1' }],
    expected: { foo: ['bar', 'baz'] },
  },
  {
    name: 'A.5 replacing a value',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'replace', path: '/baz', value: 'boo' }],
    expected: { baz: 'boo', foo: 'bar' },
  },
  {
    name: 'A.6 moving a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    expected: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    name: 'A.7 moving an array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    expected: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    name: 'A.8 testing a value: success',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
    ],
    expected: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  {
    name: 'A.9 testing a value: error',
    doc: { baz: 'qux' },
    patch: [{ op: 'test', path: '/baz', value: 'bar' }],
    fails: true,
  },
  {
    name: 'A.10 adding a nested member object',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }],
    expected: { foo: 'bar', child: { grandchild: {} } },
  },
  {
    name: 'A.11 ignoring unrecognized elements',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }],
    expected: { foo: 'bar', baz: 'qux' },
  },
  {
    name: 'A.12 adding to a nonexistent target',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }],
    fails: true,
  },
  {
    name: 'A.14 ~ escape ordering',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: 10 }],
    expected: { '/': 9, '~1': 10 },
  },
  {
    name: 'A.15 comparing strings and numbers',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: '10' }],
    fails: true,
  },
  {
    name: 'A.16 adding an array value',
    doc: { foo: ['bar'] },
    patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
    expected: { foo: ['bar', ['abc', 'def']] },
  },
  {
    name: 'copy deep-copies',
    doc: { a: { b: 1 } },
    patch: [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'replace', path: '/c/b', value: 2 },
    ],
    expected: { a: { b: 1 }, c: { b: 2 } },
  },
  {
    name: '~1 escapes a slash in a key',
    doc: { metadata: { annotations: {} } },
    patch: [{ op: 'add', path: '/metadata/annotations/example.com~1x', value: 'y' }],
    expected: { metadata: { annotations: { 'example.com/x': 'y' } } },
  },
];

describe('apiserver/patch: JSON patch (RFC 6902)', () => {
  for (const c of rfcCases) {
    it(c.name, () => {
      const before = JSON.stringify(c.doc);
      if (c.fails) {
        const e = failure(() => applyJsonPatch(c.doc, c.patch));
        expect(e.code).to.equal(422);
        expect(e.reason).to.equal('Invalid');
        expect(e.message).to.equal(GENERIC_INVALID_MESSAGE);
      } else {
        expect(applyJsonPatch(c.doc, c.patch)).to.deep.equal(c.expected);
      }
      expect(JSON.stringify(c.doc)).to.equal(before, 'the input document must not be modified');
    });
  }

  it('a body that is not a list of operations is a 400 BadRequest', () => {
    const e = failure(() => applyJsonPatch({}, { op: 'add', path: '/a', value: 1 }));
    expect(e.code).to.equal(400);
    expect(e.reason).to.equal('BadRequest');
    expect(e.message).to.equal('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });

  it('a failed test reports the path in detail, the generic message in the body', () => {
    const e = failure(() =>
      applyJsonPatch({ spec: { replicas: 2 } }, [{ op: 'test', path: '/spec/replicas', value: 3 }]),
    );
    expect(e.detail).to.equal('testing value /spec/replicas failed: test failed');
    expect(e.causes).to.equal(undefined);
  });
});

// Same operations through the real kubectl (`patch --local`, the evanphx library kube-apiserver also uses):
// results must be identical, and so must the failure reason.
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a', 'b'] },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
  },
};
const oracleCases: { name: string; ops: unknown[] }[] = [
  { name: 'replace an existing field', ops: [{ op: 'replace', path: '/spec/replicas', value: 5 }] },
  {
    name: 'replace a missing member adds it (real-server leniency)',
    ops: [{ op: 'replace', path: '/metadata/labels/tier', value: 'fe' }],
  },
  { name: 'append with -', ops: [{ op: 'add', path: '/metadata/finalizers/-', value: 'c' }] },
  { name: 'insert at index', ops: [{ op: 'add', path: '/metadata/finalizers/1', value: 'c' }] },
  { name: 'negative index removes from the end', ops: [{ op: 'remove', path: '/metadata/finalizers/-1' }] },
  {
    name: 'move a label into annotations',
    ops: [
      { op: 'add', path: '/metadata/annotations', value: {} },
      { op: 'move', from: '/metadata/labels/app', path: '/metadata/annotations/app' },
    ],
  },
  {
    name: 'copy the container image into an annotation',
    ops: [
      { op: 'add', path: '/metadata/annotations', value: {} },
      { op: 'copy', from: '/spec/template/spec/containers/0/image', path: '/metadata/annotations/img' },
    ],
  },
  {
    name: 'test then replace (optimistic precondition)',
    ops: [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ],
  },
  { name: 'failing test', ops: [{ op: 'test', path: '/spec/replicas', value: 9 }] },
  { name: 'remove a missing member', ops: [{ op: 'remove', path: '/metadata/nope' }] },
  { name: 'remove under a missing parent', ops: [{ op: 'remove', path: '/status/x' }] },
  { name: 'add under a missing parent', ops: [{ op: 'add', path: '/metadata/annotations/x', value: 'y' }] },
  { name: 'add past the end of a list', ops: [{ op: 'add', path: '/metadata/finalizers/5', value: 'x' }] },
  { name: 'unknown op', ops: [{ op: 'bogus', path: '/x' }] },
];

describe('apiserver/patch: JSON patch matches kubectl patch --local --type json', () => {
  for (const c of oracleCases) {
    it(c.name, async () => {
      const real = await kubectlLocalPatch(deployment, 'json', c.ops);
      if (real.ok) {
        expect(applyJsonPatch(deployment, c.ops)).to.deep.equal(real.object);
      } else {
        const e = failure(() => applyJsonPatch(deployment, c.ops));
        expect(e.code).to.equal(422);
        expect(e.detail).to.equal(real.error);
      }
    });
  }
});
