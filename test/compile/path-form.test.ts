// Prefixes and rewrites must be in the normal form Envoy routes on (normalize_path + merge_slashes).
import { expect } from 'chai';
import { pathFormProblem } from '../../operator/compile/path-form.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { allRoutes } from '../../operator/compile/ir-queries.js';

describe('pathFormProblem', () => {
  const cases: Array<[string, 'prefix' | 'rewrite', RegExp | undefined]> = [
    ['/user/', 'prefix', undefined],
    ['/caf%C3%A9/', 'prefix', undefined],
    ['/a%2Fb', 'prefix', /must not contain %2F \(an escaped "\/"\)/],
    ['/a%5cb', 'prefix', /must not contain %5c \(an escaped "\\"\)/],
    ['/a\\b/', 'prefix', /must not contain "\\": Envoy reads it as "\/"/],
    ['/x\\1/', 'rewrite', /must not contain "\\": write "\/", or %5C/],
    ['/x/%2F/', 'rewrite', undefined],
    ['/a..b/', 'prefix', undefined],
    ['/.well-known/', 'prefix', undefined],
    ['/a//b', 'prefix', /"\/\/"/],
    ['/a/../admin', 'prefix', /"\.\."/],
    ['/a/./b', 'prefix', /"\."/],
    ['/a/..', 'prefix', /"\.\."/],
    ['/a/%2e%2e/admin', 'prefix', /unreserved character "\." \(%2e\)/],
    ['/%7Euser', 'prefix', /unreserved character "~"/],
    ['/%41', 'prefix', /unreserved character "A"/],
    ['/caf%c3%a9', 'prefix', /uppercase \(%C3, not %c3\)/],
    ['/100%', 'prefix', /without two hex digits/],
    ['/a%zz', 'prefix', /without two hex digits/],
    ['/v2/', 'rewrite', undefined],
    ['/x/%2e/', 'rewrite', undefined],
    ['/../admin/', 'rewrite', /"\.\."/],
    ['/a//', 'rewrite', /"\/\/"/],
  ];
  for (const [path, what, want] of cases) {
    it(`${what} ${path}: ${want ? 'refused' : 'fine'}`, () => {
      const p = pathFormProblem(path, what);
      if (want) expect(p).to.match(want);
      else expect(p).to.equal(undefined);
    });
  }

  it('compileSnapshot rejects such a Mapping naming the field, and serves the valid one beside it', () => {
    const m = (name: string, prefix: string, rewrite?: string) => ({
      apiVersion: 'portico.dev/v1alpha1' as const,
      kind: 'Mapping' as const,
      metadata: { name, namespace: 'default' },
      spec: { prefix, service: 's', ...(rewrite !== undefined ? { rewrite } : {}) },
    });
    const r = compileSnapshot({
      mappings: [m('dots', '/a/%2E%2E/b/'), m('rw', '/x/', '/../y/'), m('ok', '/ok/')],
      tlsContexts: [],
      services: [{ metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }],
      secrets: [],
      now: '2030-01-01T00:00:00Z',
    });
    const msg = (n: string) => r.statuses.find((s) => s.ref.name === n)!.conditions[0];
    expect(msg('dots')).to.include({ status: 'False', reason: 'Invalid' });
    expect(msg('dots').message).to.match(/^spec\.prefix: Invalid value: must not percent-encode/);
    expect(msg('rw').message).to.match(/^spec\.rewrite: Invalid value: must not contain "\." or "\.\."/);
    // dots claims nothing (its prefix is unusable); rw's prefix is fine, so it keeps /x/ and answers 503.
    expect(
      allRoutes(r.ir)
        .flatMap((x) => x.members)
        .map((x) => [x.name, x.action.kind]),
    ).to.deep.equal([
      ['default/ok', 'forward'],
      ['default/rw', 'direct'],
    ]);
  });
});
