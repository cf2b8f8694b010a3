// Which vhosts an HTTPS filter chain carries: only those its SNI names can reach, plus the catch-all.
import { expect } from 'chai';
import { namesOverlap, vhostsForServerNames } from '../../operator/envoy/sni-vhosts.js';
import type { IRVirtualHost } from '../../operator/compile/ir.js';

describe('envoy: vhosts per SNI filter chain', () => {
  const cases: Array<[string, string, boolean]> = [
    ['a.com', 'a.com', true],
    ['a.com', 'b.com', false],
    ['a.com', '*', true],
    ['*.a.com', 'x.a.com', true],
    ['*.a.com', 'a.com', false],
    ['*.a.com', 'x.b.com', false],
    ['x.a.com', '*.a.com', true],
    ['a.com', '*.a.com', false],
    ['*.a.com', '*.x.a.com', true],
    ['*.x.a.com', '*.a.com', true],
    ['*.a.com', '*.b.com', false],
    ['*.a.com', '*.ba.com', false],
  ];
  for (const [name, domain, overlap] of cases) {
    it(`${name} ${overlap ? 'reaches' : 'does not reach'} vhost ${domain}`, () => expect(namesOverlap(name, domain)).to.equal(overlap));
  }

  it('keeps order, and a chain without names keeps every vhost', () => {
    const vh = (domain: string): IRVirtualHost => ({ name: domain, domain, redirectToHttps: false, routes: [] });
    const all = [vh('api.test'), vh('shop.test'), vh('*.shop.test'), vh('*')];
    expect(vhostsForServerNames(all, ['shop.test', '*.shop.test']).map((v) => v.domain)).to.deep.equal(['shop.test', '*.shop.test', '*']);
    expect(vhostsForServerNames(all, [])).to.deep.equal(all);
  });
});
