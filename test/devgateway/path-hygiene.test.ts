// The dev gateway's copy of Envoy's path handling, on answers real Envoy 1.40 gave (normalize_path, merge_slashes,
// UNESCAPE_AND_REDIRECT: Portico's listener settings). test/real/dev-gateway-parity.test.ts compares the two live.
import { expect } from 'chai';
import { applyPathHygiene, canonicalPath, mergeSlashes } from '../../operator/devgateway/path-hygiene.js';

const PORTICO = { normalizePath: true, mergeSlashes: true, escapedSlashes: 'UNESCAPE_AND_REDIRECT' as const };

describe('devgateway: path hygiene as Envoy applies it', () => {
  const cases: Array<[string, string, 'continue' | 'redirect']> = [
    ['/b/%7Eu/?', '/b/~u/?', 'continue'],
    ['/beta//./%7Eu//b?a=b/../c', '/beta/~u/b?a=b/../c', 'continue'],
    ['//betas/a%20b/%41lpha', '/betas/a%20b/Alpha', 'continue'],
    ['//%2e/betas?q=%2F&x=y', '/betas?q=%2F&x=y', 'continue'],
    ['/%2E%2E/alpha%2Fdeep?q=%2F&x=y', '/alpha/deep?q=%2F&x=y', 'redirect'],
    ['/b/%2F/alpha', '/b/alpha', 'redirect'],
    ['/%2F', '//', 'redirect'],
    ['/w/%2F//b//alpha', '/w/b/alpha', 'redirect'],
    ['/x//betas', '/x/betas', 'continue'],
    ['/../canary//~u', '/canary/~u', 'continue'],
    ['/a/b/..', '/a/', 'continue'],
  ];
  for (const [input, out, action] of cases) {
    it(`${input} → ${action} ${out}`, () => {
      expect(applyPathHygiene(input, PORTICO)).to.deep.equal({ action, pathAndQuery: out });
    });
  }

  it('rejects an escaped slash when told to, and leaves it alone when told to', () => {
    expect(applyPathHygiene('/a%2Fb', { ...PORTICO, escapedSlashes: 'REJECT_REQUEST' })).to.deep.equal({
      action: 'reject',
    });
    expect(applyPathHygiene('/a%2Fb', { ...PORTICO, escapedSlashes: 'KEEP_UNCHANGED' })).to.deep.equal({
      action: 'continue',
      pathAndQuery: '/a%2Fb',
    });
  });

  it('keeps a leading and a trailing slash when merging, as Envoy does', () => {
    expect(mergeSlashes('//')).to.equal('//');
    expect(mergeSlashes('/a///b/')).to.equal('/a/b/');
    expect(canonicalPath('/a\\b/%c3%a9')).to.equal('/a/b/%C3%A9');
  });
});
